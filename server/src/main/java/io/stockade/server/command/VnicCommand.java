package io.stockade.server.command;

import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * Writes to instances and vnics, and to which groups a vnic has. Instances, vnics, hosts,
 * networks and groups are named by tokens (an id or a unique name); group lists keep their order.
 */
public sealed interface VnicCommand extends Command {
    /** A new instance in {@code project} (a token; null: the caller's own). */
    record CreateInstance(String name, String project) implements VnicCommand {}

    /** Deletes an instance and its vnics. */
    record DeleteInstance(String instance) implements VnicCommand {}

    /** Sets the same groups on every vnic of an instance, in one revision. */
    record SetInstanceGroups(String instance, List<String> groups) implements VnicCommand {
        public SetInstanceGroups {
            groups = List.copyOf(groups);
        }
    }

    /**
     * A new vnic. {@code id} the one asked for (null: a fresh one); {@code project} a token (null:
     * the instance's, else the caller's own); {@code instance}, {@code host}, {@code network} tokens
     * or null; {@code outsideSubnets}: an admin or the service places its addresses outside the
     * network's subnets.
     */
    record CreateVnic(String id, String name, String project, String instance, String host, String device, MacAddress mac,
            List<InetAddress> addresses, String network, List<String> groups, boolean portSecurity, boolean logDrops, String description,
            boolean outsideSubnets) implements VnicCommand {
        public CreateVnic {
            addresses = List.copyOf(addresses);
            groups = List.copyOf(groups);
        }
    }

    /** Changes a vnic: where it is (host, device: a migration), its addresses, groups, port security, drop logging, name or description. */
    record UpdateVnic(String vnic, Patch<String> name, Patch<String> instance, Patch<String> host, Patch<String> device, Patch<MacAddress> mac,
            Patch<List<InetAddress>> addresses, Patch<String> network, Patch<List<String>> groups, Patch<Boolean> portSecurity,
            Patch<Boolean> logDrops, Patch<String> description, boolean outsideSubnets) implements VnicCommand {
        /** Binds the vnic to a host and device, or unbinds it (both null): what a hypervisor's hook does as a domain starts or stops. */
        public static UpdateVnic place(String vnic, String host, String device) {
            return new UpdateVnic(vnic, Patch.keep(), Patch.keep(), Patch.to(host), Patch.to(device), Patch.keep(), Patch.keep(), Patch.keep(),
                    Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), false);
        }

        /** Switches logging of the vnic's dropped packets on or off. */
        public static UpdateVnic logDrops(String vnic, boolean on) {
            return new UpdateVnic(vnic, Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(),
                    Patch.keep(), Patch.keep(), Patch.to(on), Patch.keep(), false);
        }
    }

    /** Deletes a vnic. */
    record DeleteVnic(String vnic) implements VnicCommand {}

    /** Sets a vnic's groups, in order. */
    record SetVnicGroups(String vnic, List<String> groups) implements VnicCommand {
        public SetVnicGroups {
            groups = List.copyOf(groups);
        }
    }
}
