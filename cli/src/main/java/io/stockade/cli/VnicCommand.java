package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import io.stockade.server.V1Request;
import io.stockade.server.command.Patch;
import io.stockade.server.command.VnicCommand.CreateVnic;
import io.stockade.server.command.VnicCommand.DeleteVnic;
import io.stockade.server.command.VnicCommand.SetVnicGroups;
import io.stockade.server.command.VnicCommand.UpdateVnic;
import java.net.InetAddress;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade vnic} and {@code stockade instance}: where groups are attached. */
@Command(name = "vnic", mixinStandardHelpOptions = true, description = "Vnics: list, show, create, set, delete, set their groups, see their drops.",
        subcommands = {VnicCommand.ListVnics.class, VnicCommand.Show.class, VnicCommand.Create.class, VnicCommand.Set.class, VnicCommand.Delete.class,
            VnicCommand.SetGroups.class,
            VnicCommand.Attach.class, VnicCommand.Detach.class, VnicDropsCommands.Stats.class, VnicDropsCommands.Drops.class,
            VnicDropsCommands.VnicLogDrops.class})
final class VnicCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("NAME", "name"),
            Output.Column.ref("PROJECT", "project", "projects"), Output.Column.ref("INSTANCE", "instance", "instances"),
            Output.Column.ref("HOST", "host", "hosts"), Output.Column.of("DEVICE", "device"), Output.Column.of("MAC", "mac"),
            Output.Column.of("ADDRESSES", "addresses"), Output.Column.ref("GROUPS", "securityGroups", "security-groups"));

    static String path(String vnic) {
        return "v1/vnics/" + URLEncoder.encode(vnic, StandardCharsets.UTF_8);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists vnics, optionally only those on a host, in a group, of an instance",
        "or with an address.", "", "Examples:", "  stockade vnic list --host hv01 --group web", "  stockade vnic list --address 192.0.2.10 -o json"})
    static final class ListVnics extends GroupCommand.Verb {
        @Option(names = "--project", description = "only this project's vnics (id or name)")
        String project;

        @Option(names = "--host", description = "only vnics on this host (id or name)")
        String host;

        @Option(names = "--group", description = "only members of this group (id, name or Neutron UUID)")
        String group;

        @Option(names = "--instance", description = "only vnics of this instance (id or name)")
        String instance;

        @Option(names = "--address", description = "only vnics with this address")
        String address;

        @Override
        public Integer call() throws Exception {
            String q = "v1/vnics?limit=1000" + (project == null ? "" : "&project=" + GroupCommand.enc(projectId(project)));
            String hostId = host == null ? null : api().get(HostCommand.path(host)).path("id").asText();
            String groupId = group == null ? null : api().get(GroupCommand.path(group)).path("id").asText();
            String instanceId = instance == null ? null : api().get("v1/instances/" + GroupCommand.enc(instance)).path("id").asText();
            var items = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (JsonNode v : api().get(q).path("items")) {
                if ((hostId == null || hostId.equals(v.path("host").asText()))
                        && (groupId == null || contains(v.path("securityGroups"), groupId))
                        && (instanceId == null || instanceId.equals(v.path("instance").asText()))
                        && (address == null || contains(v.path("addresses"), address))) {
                    items.add(v);
                }
            }
            output.items(out(), items, COLUMNS);
            return 0;
        }

        private static boolean contains(JsonNode array, String value) {
            for (JsonNode n : array) {
                if (n.asText().equals(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Shows a vnic.", "", "Example:", "  stockade vnic show vif-web1"})
    static final class Show extends GroupCommand.Verb {
        @Parameters(paramLabel = "VNIC", description = "vnic id or name")
        String vnic;

        @Override
        public Integer call() throws Exception {
            return show(path(vnic), COLUMNS);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a vnic.", "", "Example:", "  stockade vnic create --instance vm1 --mac 52:54:00:12:34:56 --address 192.0.2.10 \\", "      --host hv01 --device tap0 --group web"})
    static final class Create extends GroupCommand.Verb {
        @Option(names = "--id", description = "an explicit id such as vif-db1")
        String id;

        @Option(names = "--name", description = "the vnic's name")
        String name;

        @Option(names = "--instance", description = "the instance (VM) it belongs to (id or name)")
        String instance;

        @Option(names = "--project", description = "project id or name (admins; default: the instance's)")
        String project;

        @Option(names = "--host", description = "the hypervisor host it is on (id or name; stockade host create makes one)")
        String host;

        @Option(names = "--device", description = "the tap device on the host")
        String device;

        @Option(names = "--mac", required = true, description = "its MAC address")
        String mac;

        @Option(names = "--address", description = "an IPv4 or IPv6 address (repeatable)")
        List<String> addresses = List.of();

        @Option(names = "--network", description = "its network (id or name)")
        String network;

        @Option(names = "--group", description = "a security group (repeatable)")
        List<String> groups = List.of();

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "vnic", api().send(command()), "created");
            return 0;
        }

        CreateVnic command() {
            return new CreateVnic(id, name, project, instance, host, device, MacAddress.parse(mac, "mac"), addresses(addresses), network, groups,
                    true, false, null, false);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Changes a vnic: its name, instance, addresses, or host and device (a migration).", "", "Examples:",
                "  stockade vnic set vif-web1 --instance vm2", "  stockade vnic set vif-web1 --host hv02 --device tap7"})
    static final class Set extends GroupCommand.Verb {
        @Parameters(paramLabel = "VNIC", description = "vnic id or name")
        String vnic;

        @Option(names = "--name", description = "a new name")
        String name;

        @Option(names = "--instance", description = "the instance it now belongs to (id or name; '' for none)")
        String instance;

        @Option(names = "--host", description = "the host it is now on (id or name)")
        String host;

        @Option(names = "--device", description = "its tap device on the host")
        String device;

        @Option(names = "--address", description = "its addresses, all of them (repeatable)")
        List<String> addresses;

        @Option(names = "--port-security", arity = "1", description = "true or false: anti-spoofing and the firewall on or off")
        Boolean portSecurity;

        @Override
        public Integer call() throws Exception {
            if (name == null && instance == null && host == null && device == null && addresses == null && portSecurity == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "nothing to change: give --name, --instance, --host, --device, --address or --port-security");
            }
            UpdateVnic change = command();
            output.changed(out(), "vnic", api().send(change), "changed: " + Output.what(V1Request.of(change)));
            return 0;
        }

        UpdateVnic command() {
            return new UpdateVnic(vnic, Patch.unlessNull(name), instance == null ? Patch.keep() : Patch.to(instance.isEmpty() ? null : instance),
                    Patch.unlessNull(host), Patch.unlessNull(device), Patch.keep(), addresses == null ? Patch.keep() : Patch.to(addresses(addresses)),
                    Patch.keep(), Patch.keep(), Patch.unlessNull(portSecurity), Patch.keep(), Patch.keep(), false);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes vnics.", "", "Example:", "  stockade vnic delete vif-web1"})
    static final class Delete extends GroupCommand.Verb {
        @Parameters(paramLabel = "VNIC", arity = "1..*", description = "vnic ids or names")
        List<String> vnics;

        @Override
        public Integer call() throws Exception {
            for (String v : vnics) {
                api().send(new DeleteVnic(v));
                output.deleted(out(), "vnic", v);
            }
            return 0;
        }
    }

    @Command(name = "set-groups", mixinStandardHelpOptions = true,
            description = {"Sets a vnic's groups (all of them, in order); no group given detaches all.", "", "Example:", "  stockade vnic set-groups vif-web1 web dbclnts"})
    static final class SetGroups extends GroupsVerb {
        @Parameters(index = "0", paramLabel = "VNIC", description = "vnic id or name")
        String vnic;

        @Parameters(index = "1..*", paramLabel = "GROUP", description = "group ids or names, in order (none: detach all)")
        List<String> groups = List.of();

        @Override
        public Integer call() throws Exception {
            groupsChanged(api().send(new SetVnicGroups(vnic, groups)));
            return 0;
        }
    }

    /** Attach and detach: a read-modify-write of the vnic's group list, by group id or name. */
    abstract static class ChangeGroups extends GroupsVerb {
        @Parameters(index = "0", paramLabel = "VNIC", description = "vnic id or name")
        String vnic;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "GROUP", description = "group ids or names")
        List<String> groups;

        /** Changes the list for one group id; returns an error message, or null. */
        abstract String change(List<String> current, String groupId);

        @Override
        public Integer call() throws Exception {
            Api api = api();
            List<String> now = new java.util.ArrayList<>();
            api.get(path(vnic)).path("securityGroups").forEach(g -> now.add(g.asText()));
            for (String g : groups) {
                String error = change(now, api.get(GroupCommand.path(g)).path("id").asText());
                if (error != null) {
                    spec.commandLine().getErr().println("stockade: vnic " + vnic + " " + error);
                    return 1;
                }
            }
            groupsChanged(api.send(new SetVnicGroups(vnic, now)));
            return 0;
        }
    }

    @Command(name = "attach", mixinStandardHelpOptions = true, description = {"Adds groups to a vnic (keeping the ones it has).", "", "Example:", "  stockade vnic attach vif-web1 dbclnts"})
    static final class Attach extends ChangeGroups {
        @Override
        String change(List<String> current, String groupId) {
            if (current.contains(groupId)) {
                return "already has group " + groupId;
            }
            current.add(groupId);
            return null;
        }
    }

    @Command(name = "detach", mixinStandardHelpOptions = true, description = {"Removes groups from a vnic.", "", "Example:", "  stockade vnic detach vif-web1 dbclnts"})
    static final class Detach extends ChangeGroups {
        @Override
        String change(List<String> current, String groupId) {
            return current.remove(groupId) ? null : "does not have group " + groupId;
        }
    }

    /** Every command that sets a vnic's groups prints them. */
    abstract static class GroupsVerb extends GroupCommand.Verb {
        void groupsChanged(JsonNode v) {
            output.changed(out(), "vnic", v, "groups: " + (v.path("securityGroups").isEmpty() ? "none" : output.names.show("security-groups", v.path("securityGroups"))));
        }
    }

    /** Addresses as given on the command line, each read as an IP address ({@code --address} names a bad one). */
    static List<InetAddress> addresses(List<String> given) {
        List<InetAddress> out = new java.util.ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            out.add(Ip.parse(given.get(i), "addresses[" + i + "]"));
        }
        return out;
    }
}
