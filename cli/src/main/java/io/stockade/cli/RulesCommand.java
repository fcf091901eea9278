package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stockade.core.ruletext.Dialect;
import io.stockade.core.ruletext.RuleText;
import io.stockade.core.ruletext.RuleTextError;
import io.stockade.core.ruletext.RuleTextException;
import io.stockade.core.ruletext.RuleTextResolver;
import io.stockade.core.ruletext.RuleTextWarning;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade rules ...}: work with Wakame-vdc rule text offline. */
@Command(name = "rules", description = "Work with rule text (Wakame-vdc syntax) offline.",
        mixinStandardHelpOptions = true, subcommands = {RulesCommand.Check.class})
final class RulesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: rules check");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Reads rule text and prints its canonical form, each warning as FILE:LINE:COL: warning: message where a line",
                "means what Wakame-vdc read rather than what it shows, or each error as FILE:LINE:COL: message (exit 1).",
                "With --wakame-compat the file may also be a Wakame-vdc group export (the JSON or YAML of its security_groups",
                "API, one group, a list, or a list of pages with results); each group is checked as Wakame-vdc read it, its",
                "warnings and errors as FILE:GROUP:LINE:COL, and lines Wakame-vdc refused or ignored, or Stockade's",
                "extensions, are errors.",
                "", "Examples:", "  printf 'tcp: 22, 22, ip4:0.0.0.0\\n' | stockade rules check -",
                "  stockade rules check --wakame-compat security_groups.json"})
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", defaultValue = "-", paramLabel = "FILE|-", description = "the rule text; - (the default) reads standard input")
        String file;

        @Option(names = "--wakame-compat", description = "accept only what Wakame-vdc accepted; FILE may be a Wakame-vdc group export")
        boolean wakameCompat;

        /** One rule text to check, and the prefix its messages carry. */
        private record Source(String where, String heading, String text) {}

        @Override
        public Integer call() throws IOException {
            String name = file.equals("-") ? "<stdin>" : file;
            String text;
            try {
                text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
            } catch (NoSuchFileException e) {
                spec.commandLine().getErr().println("stockade: " + file + ": no such file");
                return 1;
            }
            List<Source> sources;
            try {
                sources = wakameCompat && isExport(text) ? export(name, text) : List.of(new Source(name, null, text));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("stockade: " + name + ": " + e.getMessage());
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            StringBuilder canonical = new StringBuilder();
            boolean failed = false;
            for (Source s : sources) {
                try {
                    RuleText.Read read = RuleText.read(s.text(), RuleTextResolver.IDENTITY, wakameCompat ? Dialect.WAKAME : Dialect.STOCKADE);
                    if (s.heading() != null) {
                        canonical.append("# ").append(s.heading()).append('\n');
                    }
                    canonical.append(RuleText.print(read.rules()));
                    for (RuleTextWarning w : read.warnings()) {
                        err.println(s.where() + ":" + w);
                    }
                } catch (RuleTextException e) {
                    failed = true;
                    for (RuleTextError x : e.errors()) {
                        err.println(s.where() + ":" + x);
                    }
                }
            }
            if (!failed) {
                out.print(canonical);
            }
            out.flush();
            err.flush();
            return failed ? 1 : 0;
        }

        private static boolean isExport(String text) {
            String t = text.stripLeading();
            return t.startsWith("{") || t.startsWith("[") || t.startsWith("---") || t.startsWith("- ") || t.startsWith("results:")
                    || t.startsWith("id:") || t.startsWith("uuid:") || t.startsWith("rule:");
        }

        /** The groups of a Wakame-vdc export: each with an {@code id} (or {@code uuid}) and its {@code rule} text. */
        private static List<Source> export(String name, String text) {
            JsonNode root;
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(text);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IllegalArgumentException("not a Wakame-vdc group export (JSON or YAML): " + e.getOriginalMessage());
            }
            List<JsonNode> groups = new ArrayList<>();
            collect(root, groups);
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("no security group (an object with a 'rule' text) in this export");
            }
            List<Source> out = new ArrayList<>();
            for (JsonNode g : groups) {
                String id = g.path("id").asText(g.path("uuid").asText("group " + (out.size() + 1)));
                String label = g.hasNonNull("display_name") && !g.path("display_name").asText().isBlank()
                        ? id + " (" + g.path("display_name").asText() + ")" : id;
                out.add(new Source(name + ":" + id, label, g.path("rule").asText("")));
            }
            return out;
        }

        private static void collect(JsonNode n, List<JsonNode> groups) {
            if (n == null) {
                return;
            }
            if (n.isArray()) {
                n.forEach(e -> collect(e, groups));
            } else if (n.isObject() && n.has("rule")) {
                groups.add(n);
            } else if (n.isObject() && n.has("results")) {
                collect(n.get("results"), groups);
            }
        }
    }
}
