package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stockade explain}: would this packet pass, and why. Exits 1 when it is dropped, so scripts can test it. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Asks the evaluator whether a packet from a vnic, group or address reaches a vnic, and why.",
            "Exits 0 when the packet is allowed, 1 when it is dropped (or on an error).", "", "Examples:",
            "  stockade explain --from vif-app1 --to vif-db1 --proto tcp --port 3306",
            "  stockade explain --from 198.51.100.7 --to 192.0.2.10 --proto icmp --icmp-type 8"})
final class ExplainCommand extends GroupCommand.Verb {
    @Option(names = "--from", required = true, description = "the source: a vnic, a group (its first member) or an IP address")
    String from;

    @Option(names = "--to", required = true, description = "the destination: a vnic (id or name) or one of its addresses")
    String to;

    @Option(names = "--proto", defaultValue = "tcp", description = "tcp (default), udp, icmp, icmpv6, a name or a number")
    String proto;

    @Option(names = "--port", defaultValue = "0", description = "the destination port (tcp, udp)")
    int port;

    @Option(names = "--icmp-type", description = "with --proto icmp or icmpv6: the type (default 8, echo request)")
    Integer icmpType;

    @Option(names = "--icmp-code", description = "with --icmp-type: the code (default 0)")
    Integer icmpCode;

    @Option(names = "--state", defaultValue = "new", description = "the packet's flow state: new, established, reply or invalid (default: new)")
    String state;

    @Override
    public Integer call() throws Exception {
        StringBuilder q = new StringBuilder("v1/explain?from=" + GroupCommand.enc(from) + "&to=" + GroupCommand.enc(to) + "&proto=" + GroupCommand.enc(proto)
                + "&port=" + port + "&state=" + GroupCommand.enc(state));
        if (icmpType != null) {
            q.append("&icmpType=").append(icmpType);
        }
        if (icmpCode != null) {
            q.append("&icmpCode=").append(icmpCode);
        }
        JsonNode r = api().get(q.toString());
        if (output.table() && !output.quiet) {
            String group = r.path("group").isNull() ? "" : " by group " + output.names.show("security-groups", r.path("group"));
            String rule = r.path("rule").isNull() ? "" : ", rule " + r.path("rule").asText();
            out().println(r.path("verdict").asText().toUpperCase() + " (" + r.path("reason").asText() + ")" + group + rule);
            r.path("trace").forEach(t -> out().println("  " + t.asText()));
            out().flush();
        } else if (!output.quiet) {
            output.item(out(), r, List.of());
        }
        return r.path("verdict").asText().equalsIgnoreCase("allow") ? 0 : 1;
    }
}
