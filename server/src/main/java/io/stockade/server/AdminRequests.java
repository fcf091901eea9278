package io.stockade.server;

import io.stockade.core.model.FirewallMode;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import io.stockade.server.command.AdminCommand.CreateHost;
import io.stockade.server.command.AdminCommand.CreateNetwork;
import io.stockade.server.command.AdminCommand.CreateProject;
import io.stockade.server.command.AdminCommand.RegisterHost;
import io.stockade.server.command.AdminCommand.UpdateProject;
import io.stockade.server.command.Patch;
import java.util.List;
import java.util.Set;

/** The {@code /v1} requests on projects, networks and hosts read as commands; what needs the world is left to {@link AdminOps}. */
final class AdminRequests {
    static final Set<String> PROJECT_FIELDS = Set.of("id", "name", "smtpAllowed");
    static final Set<String> NETWORK_FIELDS = Set.of("id", "name", "subnets", "gateways", "dhcpServers", "dnsServers", "routerMacs", "mode");
    static final Set<String> HOST_FIELDS = Set.of("name", "bridge", "uplinks");
    static final Set<String> AGENT_FIELDS = Set.of("bridge", "uplinks");

    private AdminRequests() {}

    static CreateProject project(Body b) {
        String name = b.string("name", true);
        return new CreateProject(b.has("id") ? b.string("id", true) : null, name, Boolean.TRUE.equals(b.bool("smtpAllowed")));
    }

    static UpdateProject update(String project, Body b) {
        return new UpdateProject(project, b.has("name") ? Patch.to(b.string("name", true)) : Patch.keep(), Patch.unlessNull(b.bool("smtpAllowed")));
    }

    static CreateNetwork network(Body b) {
        String name = b.string("name", true);
        return new CreateNetwork(b.has("id") ? b.string("id", true) : null, name,
                list(b, "subnets").stream().map(s -> Cidr.parse(s, "subnets")).toList(),
                list(b, "gateways").stream().map(s -> Ip.parse(s, "gateways")).toList(),
                list(b, "dhcpServers").stream().map(s -> Ip.parse(s, "dhcpServers")).toList(),
                list(b, "dnsServers").stream().map(s -> Ip.parse(s, "dnsServers")).toList(),
                list(b, "routerMacs").stream().map(s -> MacAddress.parse(s, "routerMacs")).toList(),
                b.has("mode") ? FirewallMode.parse(b.string("mode", true), "mode") : FirewallMode.SECURITY_GROUPS);
    }

    static CreateHost host(Body b) {
        String name = b.string("name", true);
        return new CreateHost(name, b.string("bridge", false), b.has("uplinks") ? b.strings("uplinks") : List.of());
    }

    /** An agent's announcement of its host: a field left out keeps what the host has. */
    static RegisterHost register(String host, Body b) {
        return new RegisterHost(host, b.has("bridge") ? Patch.to(b.string("bridge", true)) : Patch.keep(),
                b.has("uplinks") ? Patch.to(b.strings("uplinks")) : Patch.keep());
    }

    private static List<String> list(Body b, String field) {
        List<String> v = b.strings(field);
        return v == null ? List.of() : v;
    }
}
