package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.stockade.server.V1Request;
import io.stockade.server.command.GroupCommand.CreateGroup;
import io.stockade.server.command.GroupCommand.DeleteGroup;
import io.stockade.server.command.GroupCommand.InitialRules;
import io.stockade.server.command.GroupCommand.ReplaceRules;
import io.stockade.server.command.GroupCommand.UpdateGroup;
import io.stockade.server.command.Patch;
import io.stockade.server.command.RuleSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade group}: security groups and their rules. Groups are named by id or unique name. */
@Command(name = "group", mixinStandardHelpOptions = true, description = "Security groups: list, show, create, set, delete, rules.",
        subcommands = {GroupCommand.ListGroups.class, GroupCommand.Show.class, GroupCommand.Create.class, GroupCommand.Set.class,
            GroupCommand.Delete.class, GroupCommand.Rules.class, VnicDropsCommands.GroupLogDrops.class})
final class GroupCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.id(), Output.Column.of("NAME", "name"),
            Output.Column.ref("PROJECT", "project", "projects"), Output.Column.of("RULES", n -> Integer.toString(n.path("rules").size())),
            Output.Column.of("STATEFUL", "stateful"), Output.Column.of("DESCRIPTION", "description"));

    static String path(String group) {
        return "v1/security-groups/" + enc(group);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Common parts of every client verb. */
    abstract static class Verb implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Mixin
        Output output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private Api api;

        java.io.PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** The server, reached once; tables then show other objects by name. */
        Api api() throws java.io.IOException {
            if (api == null) {
                api = connection.api();
                output.names = new Names(api, output.format == Output.Format.wide);
            }
            return api;
        }

        /** Prints every object of a collection ({@code hosts}, {@code projects}…) as the list verbs do. */
        int list(String collection, List<Output.Column> columns) throws java.io.IOException {
            output.items(out(), api().get("v1/" + collection + "?limit=1000").path("items"), columns);
            return 0;
        }

        /** Prints the object at a path ({@code v1/hosts/hv01}) as the show verbs do. */
        int show(String path, List<Output.Column> columns) throws java.io.IOException {
            output.item(out(), api().get(path), columns);
            return 0;
        }

        /** The id of a project named by id or name. */
        String projectId(String project) throws java.io.IOException {
            return api().get("v1/projects/" + enc(project)).path("id").asText();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists groups.", "", "Example:", "  stockade group list --project demo -o json"})
    static final class ListGroups extends Verb {
        @Option(names = "--project", description = "only this project's groups (id or name)")
        String project;

        @Option(names = "--name", description = "only groups with this name")
        String name;

        @Override
        public Integer call() throws Exception {
            StringBuilder q = new StringBuilder("v1/security-groups?limit=1000");
            if (project != null) {
                q.append("&project=").append(enc(projectId(project)));
            }
            if (name != null) {
                q.append("&name=").append(enc(name));
            }
            output.items(out(), api().get(q.toString()).path("items"), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Shows a group and its rules as rule text.", "", "Example:", "  stockade group show sg-dbsrv"})
    static final class Show extends Verb {
        @Parameters(paramLabel = "GROUP", description = "group id, name or Neutron UUID")
        String group;

        @Override
        public Integer call() throws Exception {
            JsonNode g = api().get(path(group));
            if (output.table() && !output.quiet) {
                output.item(out(), g, COLUMNS);
                out().println("rules:");
                g.path("rules").forEach(r -> out().println("  " + output.names.ruleText(r.path("text").asText()) + "   (" + r.path("id").asText() + ")"));
                out().flush();
            } else {
                output.item(out(), g, COLUMNS);
            }
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a group, optionally with rules in Wakame-vdc text.", "", "Example:",
                "  stockade group create dbsrv --id sg-dbsrv --rule 'tcp:3306,3306,sg-dbclnts' --rule 'tcp:22,22,ip4:0.0.0.0'"})
    static final class Create extends Verb {
        @Parameters(paramLabel = "NAME", description = "the group's name")
        String name;

        @Option(names = "--id", description = "an explicit id such as sg-dbsrv")
        String id;

        @Option(names = "--description", description = "what the group is for")
        String description;

        @Option(names = "--project", description = "project id or name (admins)")
        String project;

        @Option(names = "--stateless", description = "a stateless group (replies need rules too)")
        boolean stateless;

        @Option(names = "--rule", description = "a rule as rule text (repeatable)")
        List<String> rules;

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "group", api().send(command()), "created");
            return 0;
        }

        CreateGroup command() {
            return new CreateGroup(id, name, description, project, !stateless, false, false, rules == null ? new InitialRules.ProfileDefault()
                    : new InitialRules.Given(rules.stream().<RuleSpec>map(r -> new RuleSpec.Line(r, null)).toList()));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = {"Changes a group's name, description or statefulness.", "", "Example:", "  stockade group set web --description 'web servers'"})
    static final class Set extends Verb {
        @Parameters(paramLabel = "GROUP", description = "group id, name or Neutron UUID")
        String group;

        @Option(names = "--name", description = "a new name")
        String name;

        @Option(names = "--description", description = "a new description")
        String description;

        @Option(names = "--stateful", arity = "1", description = "true or false")
        Boolean stateful;

        @Override
        public Integer call() throws Exception {
            UpdateGroup change = command();
            output.changed(out(), "group", api().send(change), "changed: " + Output.what(V1Request.of(change)));
            return 0;
        }

        UpdateGroup command() {
            return new UpdateGroup(group, Patch.unlessNull(name), Patch.unlessNull(description), Patch.unlessNull(stateful), Patch.keep());
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes groups (refused while in use, per profile).", "", "Example:", "  stockade group delete old-web"})
    static final class Delete extends Verb {
        @Parameters(paramLabel = "GROUP", arity = "1..*", description = "group ids or names")
        List<String> groups;

        @Override
        public Integer call() throws Exception {
            for (String g : groups) {
                api().send(new DeleteGroup(g));
                output.deleted(out(), "group", g);
            }
            return 0;
        }
    }

    @Command(name = "rules", mixinStandardHelpOptions = true, description = "A group's rules as Wakame-vdc text.",
            subcommands = {Rules.ShowText.class, Rules.Apply.class, Rules.Edit.class})
    static final class Rules implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (show, apply)");
        }

        @Command(name = "edit", mixinStandardHelpOptions = true,
                description = {"Opens $EDITOR (or $VISUAL, else vi) on the group's rule text and replaces the rules with what is saved.",
                    "When the text does not parse, the editor opens again with the errors marked; an unchanged text changes nothing.", "",
                    "Example:", "  EDITOR=nano stockade group rules edit sg-dbsrv"})
        static final class Edit extends Verb {
            @Parameters(paramLabel = "GROUP", description = "group id or name")
            String group;

            @Override
            public Integer call() throws Exception {
                Api api = api();
                String original = api.getText(path(group) + "/rules");
                Path file = Files.createTempFile("stockade-rules-", ".txt");
                try {
                    String text = original;
                    String errors = "";
                    for (int attempt = 0; attempt < 10; attempt++) {
                        Files.writeString(file, errors + text);
                        String editor = System.getenv().getOrDefault("VISUAL", System.getenv().getOrDefault("EDITOR", "vi"));
                        int rc = new ProcessBuilder("sh", "-c", editor + " \"$0\"", file.toString()).inheritIO().start().waitFor();
                        if (rc != 0) {
                            spec.commandLine().getErr().println("stockade: the editor exited with " + rc + "; nothing changed");
                            return 1;
                        }
                        text = Files.readString(file).lines().filter(l -> !l.startsWith("#! ")).reduce("", (a, b) -> a + b + "\n");
                        if (text.equals(original)) {
                            out().println("no change");
                            out().flush();
                            return 0;
                        }
                        try {
                            api.send(new ReplaceRules(group, text));
                            out().println("rules of " + group + " replaced");
                            out().flush();
                            return 0;
                        } catch (Api.Error e) {
                            errors = java.util.Arrays.stream(e.getMessage().split("; ")).map(m -> "#! " + m + "\n").reduce("", String::concat);
                        }
                    }
                    spec.commandLine().getErr().println("stockade: giving up after 10 attempts; nothing changed");
                    return 1;
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true, description = {"Prints the group's rules as canonical rule text.", "", "Example:", "  stockade group rules show sg-dbsrv"})
        static final class ShowText extends Verb {
            @Parameters(paramLabel = "GROUP", description = "group id or name")
            String group;

            @Override
            public Integer call() throws Exception {
                out().print(api().getText(path(group) + "/rules"));
                out().flush();
                return 0;
            }
        }

        @Command(name = "apply", mixinStandardHelpOptions = true,
                description = {"Replaces all of the group's rules with the rule text in FILE (- for stdin), atomically.",
                    "With --dry-run, prints the changes (- removed, + added) and changes nothing.", "", "Example:",
                    "  stockade group rules apply sg-dbsrv rules.txt --dry-run"})
        static final class Apply extends Verb {
            @Parameters(index = "0", paramLabel = "GROUP", description = "group id or name")
            String group;

            @Parameters(index = "1", paramLabel = "FILE|-", description = "a file of rule text, or - for stdin")
            String file;

            @Option(names = "--dry-run", description = "show the changes, change nothing")
            boolean dryRun;

            @Override
            public Integer call() throws Exception {
                String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
                if (dryRun) {
                    java.util.Set<String> current = new java.util.LinkedHashSet<>(api().getText(path(group) + "/rules").lines().toList());
                    java.util.Set<String> wanted = new java.util.LinkedHashSet<>(io.stockade.core.ruletext.RuleText.print(
                            io.stockade.core.ruletext.RuleText.parse(text)).lines().toList());
                    current.stream().filter(l -> !wanted.contains(l)).forEach(l -> out().println("- " + l));
                    wanted.stream().filter(l -> !current.contains(l)).forEach(l -> out().println("+ " + l));
                    out().flush();
                    return 0;
                }
                JsonNode g = api().send(new ReplaceRules(group, text));
                output.changed(out(), "group", g, "rules replaced (" + g.path("rules").size() + " rules)");
                return 0;
            }
        }
    }
}
