package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade import FILE}: every object of an export made in one revision (POST /v1/import), all or nothing. */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
    "Makes every object of FILE (the JSON of 'stockade export': projects, networks, hosts, ip sets,",
    "groups with their rules, instances, vnics) in one revision, all or nothing. Ids in FILE are kept",
    "and must be new; an error names the object (e.g. vnics[12]) and its field. A member's token",
    "imports into its own project (no projects, networks, hosts or placement).",
    "", "Examples:", "  stockade export > world.json && stockade import world.json --server https://other:8750",
    "  stockade import project.json -o json"})
final class ImportCommand extends GroupCommand.Verb {
    @Parameters(paramLabel = "FILE", description = "the export to load (JSON)")
    Path file;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds to wait for the server (default 600)")
    int timeout;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(file)) {
            throw new Api.Error(0, "FILE " + file + ": no such file or not readable", null);
        }
        JsonNode r = api().postFile("v1/import", file, Duration.ofSeconds(timeout));
        if (output.quiet) {
            out().println(r.path("revision").asLong());
        } else if (output.table()) {
            StringBuilder what = new StringBuilder();
            r.path("imported").fields().forEachRemaining(e -> {
                if (e.getValue().asInt() > 0) {
                    what.append(what.length() == 0 ? "" : ", ").append(e.getValue().asInt()).append(' ').append(e.getKey());
                }
            });
            out().println("imported " + (what.length() == 0 ? "nothing" : what) + " at revision " + r.path("revision").asLong());
        } else {
            output.structured(out(), r);
        }
        out().flush();
        return 0;
    }

    /** {@code stockade export}: every object the token sees, in the shape {@code stockade import} takes. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = {
        "Prints every object the token sees (a member's: its project's) as JSON, in the shape 'stockade import' takes.",
        "", "Example:", "  stockade export > world.json"})
    static final class Export extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            out().println(api().get("v1/export").toString());
            out().flush();
            return 0;
        }
    }
}
