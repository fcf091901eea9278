package io.stockade.cli;

import io.stockade.server.V1Request;
import io.stockade.server.command.AdminCommand.CreateProject;
import io.stockade.server.command.AdminCommand.DeleteProject;
import io.stockade.server.command.AdminCommand.UpdateProject;
import io.stockade.server.command.Patch;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade project}, {@code stockade network} and {@code stockade instance}: the objects around groups. */
@Command(name = "project", mixinStandardHelpOptions = true, description = "Projects (admins): list, show, create, set, delete.",
        subcommands = {ProjectCommand.ListProjects.class, ProjectCommand.Show.class, ProjectCommand.Create.class, ProjectCommand.Set.class,
            ProjectCommand.Delete.class})
final class ProjectCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.id(), Output.Column.of("NAME", "name"),
            Output.Column.of("SMTP", "smtpAllowed"));

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists projects.", "", "Example:", "  stockade project list"})
    static final class ListProjects extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            return list("projects", COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Shows a project.", "", "Example:", "  stockade project show acme"})
    static final class Show extends GroupCommand.Verb {
        @Parameters(paramLabel = "PROJECT", description = "project id or name")
        String project;

        @Override
        public Integer call() throws Exception {
            return show("v1/projects/" + GroupCommand.enc(project), COLUMNS);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes empty projects (admins).", "", "Example:", "  stockade project delete acme"})
    static final class Delete extends GroupCommand.Verb {
        @Parameters(paramLabel = "PROJECT", arity = "1..*", description = "project ids or names")
        java.util.List<String> projects;

        @Override
        public Integer call() throws Exception {
            for (String p : projects) {
                api().send(new DeleteProject(p));
                output.deleted(out(), "project", p);
            }
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {"Creates a project.", "", "Example:", "  stockade project create acme"})
    static final class Create extends GroupCommand.Verb {
        @Parameters(paramLabel = "NAME", description = "the project's name")
        String name;

        @Option(names = "--smtp-allowed", description = "the project may send SMTP (vps-panel profile)")
        boolean smtp;

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "project", api().send(new CreateProject(null, name, smtp)), "created");
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = {"Changes a project.", "", "Example:", "  stockade project set acme --smtp-allowed true"})
    static final class Set extends GroupCommand.Verb {
        @Parameters(paramLabel = "PROJECT", description = "project id or name")
        String project;

        @Option(names = "--name", description = "a new name")
        String name;

        @Option(names = "--smtp-allowed", arity = "1", description = "true or false: whether the project may send SMTP (vps-panel profile)")
        Boolean smtp;

        @Override
        public Integer call() throws Exception {
            UpdateProject change = command();
            output.changed(out(), "project", api().send(change), "changed: " + Output.what(V1Request.of(change)));
            return 0;
        }

        UpdateProject command() {
            return new UpdateProject(project, Patch.unlessNull(name), Patch.unlessNull(smtp));
        }
    }
}
