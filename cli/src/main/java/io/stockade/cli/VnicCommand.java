package io.stockade.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade vnic} and {@code stockade instance}: where groups are attached. */
@Command(name = "vnic", mixinStandardHelpOptions = true, description = "Vnics: list, show, create, delete, set their groups, see their drops.",
        subcommands = {VnicCommand.ListVnics.class, VnicCommand.Show.class, VnicCommand.Create.class, VnicCommand.Delete.class, VnicCommand.SetGroups.class,
            VnicCommand.Attach.class, VnicCommand.Detach.class, VnicDropsCommands.Stats.class, VnicDropsCommands.Drops.class,
            VnicDropsCommands.VnicLogDrops.class})
final class VnicCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("NAME", "name"),
            Output.Column.of("INSTANCE", "instance"), Output.Column.of("HOST", "host"), Output.Column.of("DEVICE", "device"),
            Output.Column.of("MAC", "mac"), Output.Column.of("ADDRESSES", "addresses"), Output.Column.of("GROUPS", "securityGroups"));

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (list, show, create, delete, set-groups, attach, detach, stats, drops, log-drops)");
    }

    static String path(String vnic) {
        return "v1/vnics/" + URLEncoder.encode(vnic, StandardCharsets.UTF_8);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists vnics.", "", "Example:", "  stockade vnic list -o json"})
    static final class ListVnics extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            output.items(out(), connection.api().get("v1/vnics?limit=1000").path("items"), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Shows a vnic.", "", "Example:", "  stockade vnic show vif-web1"})
    static final class Show extends GroupCommand.Verb {
        @Parameters(paramLabel = "VNIC")
        String vnic;

        @Override
        public Integer call() throws Exception {
            output.item(out(), connection.api().get(path(vnic)), COLUMNS);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a vnic.", "", "Example:", "  stockade vnic create --instance vm1 --mac 52:54:00:12:34:56 --address 192.0.2.10 --host hv01 --device tap0 --group web"})
    static final class Create extends GroupCommand.Verb {
        @Option(names = "--id")
        String id;

        @Option(names = "--name")
        String name;

        @Option(names = "--instance")
        String instance;

        @Option(names = "--project")
        String project;

        @Option(names = "--host")
        String host;

        @Option(names = "--device", description = "the tap device on the host")
        String device;

        @Option(names = "--mac", required = true)
        String mac;

        @Option(names = "--address", description = "an IPv4 or IPv6 address (repeatable)")
        List<String> addresses = List.of();

        @Option(names = "--network")
        String network;

        @Option(names = "--group", description = "a security group (repeatable)")
        List<String> groups = List.of();

        @Override
        public Integer call() throws Exception {
            Map<String, Object> b = new LinkedHashMap<>();
            put(b, "id", id);
            put(b, "name", name);
            put(b, "instance", instance);
            put(b, "project", project);
            put(b, "host", host);
            put(b, "device", device);
            b.put("mac", mac);
            b.put("addresses", addresses);
            put(b, "network", network);
            b.put("securityGroups", groups);
            output.item(out(), connection.api().post("v1/vnics", b), COLUMNS);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes a vnic.", "", "Example:", "  stockade vnic delete vif-web1"})
    static final class Delete extends GroupCommand.Verb {
        @Parameters(paramLabel = "VNIC")
        String vnic;

        @Override
        public Integer call() throws Exception {
            connection.api().delete(path(vnic));
            return 0;
        }
    }

    @Command(name = "set-groups", mixinStandardHelpOptions = true,
            description = {"Sets a vnic's groups (all of them, in order); no group given detaches all.", "", "Example:", "  stockade vnic set-groups vif-web1 web dbclnts"})
    static final class SetGroups extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "VNIC")
        String vnic;

        @Parameters(index = "1..*", paramLabel = "GROUP")
        List<String> groups = List.of();

        @Override
        public Integer call() throws Exception {
            output.item(out(), connection.api().put(path(vnic) + "/security-groups", Map.of("securityGroups", groups)), COLUMNS);
            return 0;
        }
    }

    /** Attach and detach: a read-modify-write of the vnic's group list, by group id or name. */
    abstract static class ChangeGroups extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "VNIC")
        String vnic;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "GROUP")
        List<String> groups;

        /** Changes the list for one group id; returns an error message, or null. */
        abstract String change(List<String> current, String groupId);

        @Override
        public Integer call() throws Exception {
            Api api = connection.api();
            List<String> now = new java.util.ArrayList<>();
            api.get(path(vnic)).path("securityGroups").forEach(g -> now.add(g.asText()));
            for (String g : groups) {
                String error = change(now, api.get(GroupCommand.path(g)).path("id").asText());
                if (error != null) {
                    spec.commandLine().getErr().println("stockade: vnic " + vnic + " " + error);
                    return 1;
                }
            }
            output.item(out(), api.put(path(vnic) + "/security-groups", Map.of("securityGroups", now)), COLUMNS);
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

    static void put(Map<String, Object> b, String k, Object v) {
        if (v != null) {
            b.put(k, v);
        }
    }
}
