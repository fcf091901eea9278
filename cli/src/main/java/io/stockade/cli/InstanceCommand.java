package io.stockade.cli;

import io.stockade.server.command.VnicCommand.CreateInstance;
import io.stockade.server.command.VnicCommand.DeleteInstance;
import io.stockade.server.command.VnicCommand.SetInstanceGroups;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade instance}: VMs and the groups of all their vnics at once. */
@Command(name = "instance", mixinStandardHelpOptions = true, description = "Instances: list, show, create, delete, set-groups.",
        subcommands = {InstanceCommand.ListInstances.class, InstanceCommand.Show.class, InstanceCommand.Create.class, InstanceCommand.Delete.class,
            InstanceCommand.SetGroups.class})
final class InstanceCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.id(), Output.Column.of("NAME", "name"),
            Output.Column.ref("PROJECT", "project", "projects"),
            new Output.Column("VNICS", (n, names) -> {
                var ids = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
                n.path("vnics").forEach(v -> ids.add(v.path("id")));
                return names.show("vnics", ids);
            }, false),
            new Output.Column("GROUPS", (n, names) -> names.show("security-groups", n.path("vnics").path(0).path("securityGroups")), false));

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists instances with their vnics.", "", "Example:", "  stockade instance list"})
    static final class ListInstances extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            return list("instances", COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Shows an instance.", "", "Example:", "  stockade instance show vm1"})
    static final class Show extends GroupCommand.Verb {
        @Parameters(paramLabel = "INSTANCE", description = "instance id or name")
        String instance;

        @Override
        public Integer call() throws Exception {
            return show("v1/instances/" + GroupCommand.enc(instance), COLUMNS);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {"Creates an instance.", "", "Example:", "  stockade instance create vm1 --project demo"})
    static final class Create extends GroupCommand.Verb {
        @Parameters(paramLabel = "NAME", description = "the instance's name")
        String name;

        @Option(names = "--project", description = "project id or name (admins)")
        String project;

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "instance", api().send(new CreateInstance(name, project)), "created");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes an instance and its vnics.", "", "Example:", "  stockade instance delete vm1"})
    static final class Delete extends GroupCommand.Verb {
        @Parameters(paramLabel = "INSTANCE", description = "instance id or name")
        String instance;

        @Override
        public Integer call() throws Exception {
            api().send(new DeleteInstance(instance));
            output.deleted(out(), "instance", instance);
            return 0;
        }
    }

    @Command(name = "set-groups", mixinStandardHelpOptions = true,
            description = {"Sets the same groups on every vnic of the instance.", "", "Example:", "  stockade instance set-groups vm1 web dbclnts"})
    static final class SetGroups extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "INSTANCE", description = "instance id or name")
        String instance;

        @Parameters(index = "1..*", paramLabel = "GROUP", description = "group ids or names (none: detach all)")
        List<String> groups = List.of();

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "instance", api().send(new SetInstanceGroups(instance, groups)),
                    "groups set to " + (groups.isEmpty() ? "none" : String.join(",", groups)));
            return 0;
        }
    }
}
