package io.stockade.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade project}, {@code stockade network} and {@code stockade instance}: the objects around groups. */
@Command(name = "project", mixinStandardHelpOptions = true, description = "Projects (admins): list, create, set.",
        subcommands = {ProjectCommand.ListProjects.class, ProjectCommand.Create.class, ProjectCommand.Set.class})
final class ProjectCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("NAME", "name"),
            Output.Column.of("SMTP", "smtpAllowed"));

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (list, create, set)");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists projects.", "", "Example:", "  stockade project list"})
    static final class ListProjects extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            output.items(out(), connection.api().get("v1/projects?limit=1000").path("items"), COLUMNS);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {"Creates a project.", "", "Example:", "  stockade project create acme"})
    static final class Create extends GroupCommand.Verb {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--smtp-allowed", description = "the project may send SMTP (vps-panel profile)")
        boolean smtp;

        @Override
        public Integer call() throws Exception {
            output.item(out(), connection.api().post("v1/projects", Map.of("name", name, "smtpAllowed", smtp)), COLUMNS);
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = {"Changes a project.", "", "Example:", "  stockade project set acme --smtp-allowed true"})
    static final class Set extends GroupCommand.Verb {
        @Parameters(paramLabel = "PROJECT")
        String project;

        @Option(names = "--name")
        String name;

        @Option(names = "--smtp-allowed", arity = "1")
        Boolean smtp;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> b = new LinkedHashMap<>();
            VnicCommand.put(b, "name", name);
            VnicCommand.put(b, "smtpAllowed", smtp);
            output.item(out(), connection.api().patch("v1/projects/" + project, b), COLUMNS);
            return 0;
        }
    }
}
