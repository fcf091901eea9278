package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stockade watch}: prints changes as they happen (from the change log). */
@Command(name = "watch", mixinStandardHelpOptions = true, description = {"Prints every change as it happens, until interrupted",
    "(one line each; one JSON or YAML document each with -o; revisions with -q).", "", "Examples:", "  stockade watch", "  stockade watch --since 0 -o json"})
final class WatchCommand extends GroupCommand.Verb {
    @Option(names = "--since", description = "start after this revision (default: now)")
    Long since;

    @Option(names = "--count", description = "stop after this many changes")
    Integer count;

    @Override
    public Integer call() throws Exception {
        long rev = since != null ? since : api().get("v1/audit?limit=1&since=" + Integer.MAX_VALUE).path("revision").asLong();
        int seen = 0;
        while (count == null || seen < count) {
            JsonNode items = api().get("v1/audit?since=" + rev + "&limit=100").path("items");
            for (JsonNode c : items) {
                if (output.quiet) {
                    out().println(c.path("revision").asLong());
                } else if (output.table()) {
                    out().printf("%d %s %s %s %s %s %s%n", c.path("revision").asLong(), c.path("at").asText(), c.path("actor").asText(),
                            c.path("action").asText(), c.path("kind").asText(), c.path("object").asText(), c.path("detail").path("what").asText());
                } else {
                    output.structured(out(), c);
                }
                rev = c.path("revision").asLong();
                if (count != null && ++seen >= count) {
                    break;
                }
            }
            out().flush();
            if (items.isEmpty()) {
                Thread.sleep(250);
            }
        }
        return 0;
    }
}
