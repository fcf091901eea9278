package io.stockade.server;

import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import io.stockade.server.command.Patch;
import io.stockade.server.command.VnicCommand.CreateInstance;
import io.stockade.server.command.VnicCommand.CreateVnic;
import io.stockade.server.command.VnicCommand.UpdateVnic;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code /v1} requests on instances and vnics read as commands; what needs the world is left to {@link VnicOps}. */
final class VnicRequests {
    static final Set<String> INSTANCE_FIELDS = Set.of("id", "name", "project");
    static final Set<String> VNIC_FIELDS = Set.of("id", "name", "project", "instance", "host", "device", "mac", "addresses", "network",
            "securityGroups", "portSecurity", "logDrops", "description", Placement.OUTSIDE_SUBNETS);
    static final Set<String> GROUPS_FIELDS = Set.of("securityGroups");

    private VnicRequests() {}

    static CreateInstance instance(Body b) {
        return new CreateInstance(b.string("name", true), b.string("project", false));
    }

    static CreateVnic create(Body b) {
        String instance = b.has("instance") ? b.string("instance", true) : null;
        String project = b.string("project", false);
        String id = b.string("id", false);
        MacAddress mac = MacAddress.parse(b.string("mac", true), "mac");
        return new CreateVnic(id, b.string("name", false), project, instance, b.string("host", false), b.string("device", false), mac,
                addresses(b), b.has("network") ? b.string("network", true) : null, b.has("securityGroups") ? groups(b) : List.of(),
                !Boolean.FALSE.equals(b.bool("portSecurity")), Boolean.TRUE.equals(b.bool("logDrops")), b.string("description", false),
                Boolean.TRUE.equals(b.bool(Placement.OUTSIDE_SUBNETS)));
    }

    /** A change of a vnic: a field left out is kept; {@code instance}, {@code host} and {@code device} given as null are cleared. */
    static UpdateVnic update(String vnic, Body b) {
        return new UpdateVnic(vnic,
                b.has("name") ? Patch.to(b.string("name", false)) : Patch.keep(),
                b.node().has("instance") ? Patch.to(b.string("instance", false)) : Patch.keep(),
                b.node().has("host") ? Patch.to(b.string("host", false)) : Patch.keep(),
                b.node().has("device") ? Patch.to(b.string("device", false)) : Patch.keep(),
                b.has("mac") ? Patch.to(MacAddress.parse(b.string("mac", true), "mac")) : Patch.keep(),
                b.has("addresses") ? Patch.to(addresses(b)) : Patch.keep(),
                b.has("network") ? Patch.to(b.string("network", true)) : Patch.keep(),
                b.has("securityGroups") ? Patch.to(groups(b)) : Patch.keep(),
                Patch.unlessNull(b.bool("portSecurity")),
                Patch.unlessNull(b.bool("logDrops")),
                b.has("description") ? Patch.to(b.string("description", false)) : Patch.keep(),
                Boolean.TRUE.equals(b.bool(Placement.OUTSIDE_SUBNETS)));
    }

    /** {@code securityGroups}: a list of group ids or names, required. */
    static List<String> groups(Body b) {
        List<String> g = b.strings("securityGroups");
        if (g == null) {
            throw ApiException.badRequest("securityGroups", "is required: a list of group ids or names");
        }
        return g;
    }

    private static List<InetAddress> addresses(Body b) {
        List<String> given = b.strings("addresses");
        List<InetAddress> out = new ArrayList<>();
        if (given != null) {
            for (int i = 0; i < given.size(); i++) {
                out.add(Ip.parse(given.get(i), "addresses[" + i + "]"));
            }
        }
        return out;
    }
}
