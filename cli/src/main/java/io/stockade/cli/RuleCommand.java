package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.server.command.GroupCommand.AddRules;
import io.stockade.server.command.GroupCommand.DeleteRule;
import io.stockade.server.command.GroupCommand.NewRule;
import io.stockade.server.command.RuleSpec;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade rule}: one rule at a time, as rule text or with flags. */
@Command(name = "rule", mixinStandardHelpOptions = true, description = "Rules of a group: add, remove, list.",
        subcommands = {RuleCommand.Add.class, RuleCommand.Remove.class, RuleCommand.ListRules.class})
final class RuleCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"),
            new Output.Column("RULE", (n, names) -> names.ruleText(n.path("text").asText()), false), Output.Column.of("DESCRIPTION", "description"));

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds one rule, written as rule text or with flags.", "", "Examples:",
                "  stockade rule add sg-dbsrv 'tcp:3306,3306,sg-dbclnts'",
                "  stockade rule add web --proto tcp --port 443 --from 0.0.0.0/0",
                "  stockade rule add web --proto tcp --port 8000-8080 --from-group lb",
                "  stockade rule add web --proto icmp --icmp-type 8 --from-ipset office",
                "  stockade rule add web --egress --ethertype IPv6 --proto any --from ::/0",
                "A rule needs a source (--from, --from-group or --from-ipset); --from any is the whole Internet."})
    static final class Add extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "GROUP", description = "group id, name or Neutron UUID")
        String group;

        @Parameters(index = "1", arity = "0..1", paramLabel = "RULE-TEXT", description = "the rule as Wakame-vdc text (instead of the flags)")
        String text;

        @Option(names = "--proto", description = "tcp, udp, icmp, icmpv6, any, a name or a number")
        String proto;

        @Option(names = "--port", description = "a port or a range FROM-TO")
        String port;

        @Option(names = "--icmp-type", description = "with --proto icmp or icmpv6: the type (8: echo request)")
        Integer icmpType;

        @Option(names = "--icmp-code", description = "with --icmp-type: the code")
        Integer icmpCode;

        @Option(names = "--from", description = "a CIDR or address, or any (0.0.0.0/0, or ::/0 with --ethertype IPv6); for egress: the destination")
        String from;

        @Option(names = "--from-group", description = "every vnic of this group (a reference)")
        String fromGroup;

        @Option(names = "--from-ipset", description = "the addresses of this ip set")
        String fromIpSet;

        @Option(names = "--egress", description = "an egress rule (default ingress)")
        boolean egress;

        @Option(names = "--ethertype", description = "IPv4 or IPv6 (default: from the remote)")
        String ethertype;

        @Option(names = "--description", description = "why the rule is there")
        String description;

        @Override
        public Integer call() throws Exception {
            JsonNode rule = api().send(command());
            if (output.table() && !output.quiet) {
                out().println("rule " + output.names.ruleText(rule.path("text").asText()) + " added to " + group + " (" + rule.path("id").asText() + ")");
                out().flush();
            } else {
                output.item(out(), rule, COLUMNS);
            }
            return 0;
        }

        /** The rule the arguments give, to add to the group; a flag's value the model cannot take is refused naming its field. */
        AddRules command() {
            return new AddRules(List.of(new NewRule(group, spec(), null)));
        }

        private RuleSpec spec() {
            if (text != null) {
                List<String> flags = java.util.stream.Stream.of(proto != null ? "--proto" : null, port != null ? "--port" : null,
                        icmpType != null ? "--icmp-type" : null, icmpCode != null ? "--icmp-code" : null, from != null ? "--from" : null,
                        fromGroup != null ? "--from-group" : null, fromIpSet != null ? "--from-ipset" : null, egress ? "--egress" : null,
                        ethertype != null ? "--ethertype" : null).filter(java.util.Objects::nonNull).toList();
                if (!flags.isEmpty()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "give the rule either as RULE-TEXT or with flags, not both (got "
                            + String.join(", ", flags) + " with '" + text + "')");
                }
                return new RuleSpec.Line(text, description);
            }
            if ((from != null ? 1 : 0) + (fromGroup != null ? 1 : 0) + (fromIpSet != null ? 1 : 0) != 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "a rule needs a source: --from CIDR (--from any for the whole Internet), "
                        + "--from-group GROUP or --from-ipset IPSET" + (from == null && fromGroup == null && fromIpSet == null ? "" : "; give only one"));
            }
            IpVersion version = ethertype == null ? null : IpVersion.ofEthertype(ethertype, "ethertype");
            RuleSpec.Remote remote = fromGroup != null ? new RuleSpec.Remote.Group(fromGroup)
                    : fromIpSet != null ? new RuleSpec.Remote.IpSet(fromIpSet)
                    : new RuleSpec.Remote.Range("any".equals(from) ? (version == IpVersion.V6 ? Cidr.ANY6 : Cidr.ANY4) : Cidr.parse(from, "remoteIpPrefix"));
            int protocol = proto == null ? -1 : Match.parseProtocol(proto, "protocol");
            boolean icmp = protocol == Match.ICMP || protocol == Match.ICMPV6;
            Integer min = null;
            Integer max = null;
            if (port != null) {
                java.util.regex.Matcher m = PORTS.matcher(port.strip());
                if (!m.matches()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--port: expected a port or a range FROM-TO such as 8000-8080, got '" + port + "'");
                }
                if (icmp) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--port: icmp rules take --icmp-type and --icmp-code, not ports");
                }
                min = Integer.parseInt(m.group(1));
                max = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(1));
            } else if (icmp) {
                min = icmpType;
                max = icmpCode;
            }
            if (!icmp && (icmpType != null || icmpCode != null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--icmp-type and --icmp-code need --proto icmp or icmpv6");
            }
            return new RuleSpec.Fields(egress ? Direction.EGRESS : Direction.INGRESS, version, protocol, min, max, remote, description, null);
        }

        private static final java.util.regex.Pattern PORTS = java.util.regex.Pattern.compile("(\\d{1,5})(?:\\s*-\\s*(\\d{1,5}))?");
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {"Removes a rule by id.", "", "Example:", "  stockade rule remove web sgr-abc123"})
    static final class Remove extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "GROUP", description = "group id or name")
        String group;

        @Parameters(index = "1", paramLabel = "RULE-ID", description = "the rule's id (stockade rule list GROUP shows them)")
        String rule;

        @Override
        public Integer call() throws Exception {
            api().send(new DeleteRule(group, rule));
            output.deleted(out(), "rule " + rule + " of group", group);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists a group's rules with their ids.", "", "Example:", "  stockade rule list sg-dbsrv"})
    static final class ListRules extends GroupCommand.Verb {
        @Parameters(paramLabel = "GROUP", description = "group id, name or Neutron UUID")
        String group;

        @Override
        public Integer call() throws Exception {
            output.items(out(), api().get(GroupCommand.path(group) + "/rules"), COLUMNS);
            return 0;
        }
    }
}
