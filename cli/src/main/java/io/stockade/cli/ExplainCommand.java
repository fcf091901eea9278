package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stockade explain}: would this packet pass, and why. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Asks the evaluator whether a packet from a vnic, group or address reaches a vnic, and why.", "", "Example:",
            "  stockade explain --from vif-app1 --to vif-db1 --proto tcp --port 3306"})
final class ExplainCommand extends GroupCommand.Verb {
    @Option(names = "--from", required = true, description = "vnic, group (its first member) or IP address")
    String from;

    @Option(names = "--to", required = true, description = "the destination vnic")
    String to;

    @Option(names = "--proto", defaultValue = "tcp")
    String proto;

    @Option(names = "--port", defaultValue = "0")
    int port;

    @Option(names = "--state", defaultValue = "new", description = "the packet's flow state: new, established, reply or invalid (default: new)")
    String state;

    @Override
    public Integer call() throws Exception {
        String q = "v1/explain?from=" + enc(from) + "&to=" + enc(to) + "&proto=" + enc(proto) + "&port=" + port + "&state=" + enc(state);
        JsonNode r = connection.api().get(q);
        if (output.format == Output.Format.table) {
            out().println(r.path("verdict").asText().toUpperCase() + " (" + r.path("reason").asText() + ")"
                    + (r.path("group").isNull() ? "" : " by group " + r.path("group").asText()) + (r.path("rule").isNull() ? "" : ", rule " + r.path("rule").asText()));
            r.path("trace").forEach(t -> out().println("  " + t.asText()));
            out().flush();
        } else {
            output.item(out(), r, List.of());
        }
        return 0;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
