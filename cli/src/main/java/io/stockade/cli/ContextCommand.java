package io.stockade.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stockade context}: named servers with their tokens, kept in {@code $STOCKADE_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/stockade/config.json}, else {@code $HOME/.config/stockade/config.json}
 * (owner-only), one of them current.
 */
@Command(name = "context", mixinStandardHelpOptions = true, description = {"Named servers and tokens: add, use, list, remove.",
    "Kept in $STOCKADE_CONFIG, else $XDG_CONFIG_HOME/stockade/config.json, else ~/.config/stockade/config.json."},
        subcommands = {ContextCommand.Add.class, ContextCommand.Use.class, ContextCommand.ListContexts.class, ContextCommand.Remove.class})
final class ContextCommand extends Noun {

    static Path file() {
        String env = System.getProperty("stockade.config", System.getenv("STOCKADE_CONFIG"));
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "stockade", "config.json");
        }
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config", "stockade", "config.json");
    }

    static ObjectNode load() throws IOException {
        Path f = file();
        ObjectMapper m = new ObjectMapper();
        return Files.exists(f) ? (ObjectNode) m.readTree(f.toFile()) : m.createObjectNode();
    }

    static void save(ObjectNode config) throws IOException {
        Path f = file();
        Files.createDirectories(f.toAbsolutePath().getParent());
        if (!Files.exists(f)) {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(f, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config));
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Adds (or replaces) a context.", "", "Example:",
        "  stockade context add prod --server https://ctl.example:8750 --token-file ~/prod.token"})
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the context's name")
        String name;

        @Option(names = "--server", required = true, description = "the server's URL (http:// or https://)")
        String server;

        @Option(names = "--token", description = "the token (kept in the config file)")
        String token;

        @Option(names = "--token-file", description = "a file holding the token (read at each use)")
        Path tokenFile;

        @Override
        public Integer call() throws IOException {
            if (!server.startsWith("http://") && !server.startsWith("https://")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--server: expected a URL starting with http:// or https://, got '" + server + "'");
            }
            ObjectNode c = load();
            ObjectNode ctx = c.with("contexts").putObject(name).put("server", server);
            if (token != null) {
                ctx.put("token", token);
            }
            if (tokenFile != null) {
                ctx.put("tokenFile", tokenFile.toString());
            }
            if (!c.has("current")) {
                c.put("current", name);
            }
            save(c);
            spec.commandLine().getOut().println("context " + name + " added" + (c.path("current").asText().equals(name) ? " (current)" : ""));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** A change to one named context of the config: a name the config does not hold is refused. */
    abstract static class OnContext implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the context's name")
        String name;

        /** Changes the config (which holds the context) and says what was done. */
        abstract String change(ObjectNode config);

        @Override
        public Integer call() throws IOException {
            ObjectNode c = load();
            if (!c.path("contexts").has(name)) {
                spec.commandLine().getErr().println("stockade: no context '" + name + "' (stockade context list shows them)");
                return 1;
            }
            String done = change(c);
            save(c);
            spec.commandLine().getOut().println(done);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true, description = {"Makes a context the current one.", "", "Example:", "  stockade context use prod"})
    static final class Use extends OnContext {
        @Override
        String change(ObjectNode c) {
            c.put("current", name);
            return "using context " + name;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {"Removes a context (no context is current after removing the current one).",
        "", "Example:", "  stockade context remove old"})
    static final class Remove extends OnContext {
        @Override
        String change(ObjectNode c) {
            ((ObjectNode) c.get("contexts")).remove(name);
            if (c.path("current").asText().equals(name)) {
                c.remove("current");
            }
            return "context " + name + " removed";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists contexts; * marks the current one.", "", "Example:", "  stockade context list"})
    static final class ListContexts implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ObjectNode c = load();
            String current = c.path("current").asText();
            c.path("contexts").fields().forEachRemaining(e -> spec.commandLine().getOut().printf("%s %-12s %s%n",
                    e.getKey().equals(current) ? "*" : " ", e.getKey(), e.getValue().path("server").asText()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
