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
 * {@code stockade context}: named servers with their tokens, kept in {@code $STOCKADE_CONFIG} or
 * {@code ~/.config/stockade/config.json} (owner-only), one of them current.
 */
@Command(name = "context", mixinStandardHelpOptions = true, description = "Named servers and tokens: add, use, list.",
        subcommands = {ContextCommand.Add.class, ContextCommand.Use.class, ContextCommand.ListContexts.class})
final class ContextCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (add, use, list)");
    }

    static Path file() {
        String env = System.getProperty("stockade.config", System.getenv("STOCKADE_CONFIG"));
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".config", "stockade", "config.json");
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
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--server", required = true)
        String server;

        @Option(names = "--token")
        String token;

        @Option(names = "--token-file")
        Path tokenFile;

        @Override
        public Integer call() throws IOException {
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
            return 0;
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true, description = {"Makes a context the current one.", "", "Example:", "  stockade context use prod"})
    static final class Use implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            ObjectNode c = load();
            if (!c.path("contexts").has(name)) {
                spec.commandLine().getErr().println("stockade: no context '" + name + "' (stockade context list shows them)");
                return 1;
            }
            c.put("current", name);
            save(c);
            return 0;
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
