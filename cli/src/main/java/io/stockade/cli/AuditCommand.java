package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stockade audit}: the change log, the newest changes by default. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = {"Prints the change log: revision, time, who, what.",
    "Without --since, the newest changes (as many as --limit); with --since, the first changes after that revision.", "", "Examples:",
    "  stockade audit --limit 5", "  stockade audit --since 120 -o json"})
final class AuditCommand extends GroupCommand.Verb {
    private static final List<Output.Column> COLUMNS = List.of(Output.Column.of("REVISION", "revision"), Output.Column.of("AT", "at"),
            Output.Column.of("ACTOR", "actor"), Output.Column.of("ACTION", "action"), Output.Column.of("KIND", "kind"), Output.Column.of("OBJECT", "object"),
            Output.Column.of("WHAT", n -> n.path("detail").path("what").asText()));

    @Option(names = "--since", description = "the changes after this revision (default: the newest ones)")
    Long since;

    @Option(names = "--limit", defaultValue = "100", description = "at most this many changes (default 100, at most 1000)")
    int limit;

    @Option(names = "--object", description = "only the changes of this object (id)")
    String object;

    @Override
    public Integer call() throws Exception {
        JsonNode items = since != null ? page(since, limit) : newest();
        if (output.quiet) {
            items.forEach(c -> out().println(c.path("revision").asLong()));
            out().flush();
        } else {
            output.items(out(), items, COLUMNS);
        }
        return 0;
    }

    private JsonNode page(long after, int n) throws java.io.IOException {
        return api().get("v1/audit?since=" + after + "&limit=" + n + (object == null ? "" : "&object=" + GroupCommand.enc(object))).path("items");
    }

    /** The newest changes: pages back from the current revision, widening the window until it holds enough. */
    private JsonNode newest() throws java.io.IOException {
        long now = api().get("v1/audit?limit=1&since=" + Integer.MAX_VALUE).path("revision").asLong();
        long window = limit;
        while (true) {
            long from = Math.max(0, now - window);
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            long after = from;
            JsonNode got;
            do {
                got = page(after, 1000);
                all.addAll((ArrayNode) got);
                if (!got.isEmpty()) {
                    after = got.get(got.size() - 1).path("revision").asLong();
                }
            } while (got.size() == 1000);
            if (all.size() >= limit || from == 0) {
                ArrayNode last = JsonNodeFactory.instance.arrayNode();
                for (int i = Math.max(0, all.size() - limit); i < all.size(); i++) {
                    last.add(all.get(i));
                }
                return last;
            }
            window *= 4;
        }
    }
}
