package io.stockade.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade rule}: one rule at a time, as rule text or with flags. */
@Command(name = "rule", mixinStandardHelpOptions = true, description = "Rules of a group: add, remove, list.",
        subcommands = {RuleCommand.Add.class, RuleCommand.Remove.class, RuleCommand.ListRules.class})
final class RuleCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("RULE", "text"));

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (add, remove, list)");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds one rule, written as rule text or with flags.", "", "Examples:",
                "  stockade rule add sg-dbsrv 'tcp:3306,3306,sg-dbclnts'",
                "  stockade rule add web --proto tcp --port 443 --from 0.0.0.0/0",
                "  stockade rule add web --proto tcp --port 8000-8080 --from-group lb",
                "  stockade rule add web --proto icmp --icmp-type 8 --from-ipset office",
                "  stockade rule add web --egress --ethertype IPv6 --proto any --from ::/0"})
    static final class Add extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", arity = "0..1", paramLabel = "RULE-TEXT")
        String text;

        @Option(names = "--proto", description = "tcp, udp, icmp, icmpv6, any, a name or a number")
        String proto;

        @Option(names = "--port", description = "a port or a range FROM-TO")
        String port;

        @Option(names = "--icmp-type")
        Integer icmpType;

        @Option(names = "--icmp-code")
        Integer icmpCode;

        @Option(names = "--from", description = "a CIDR or address (for egress: the destination)")
        String from;

        @Option(names = "--from-group", description = "every vnic of this group (a reference)")
        String fromGroup;

        @Option(names = "--from-ipset", description = "the addresses of this ip set")
        String fromIpSet;

        @Option(names = "--egress", description = "an egress rule (default ingress)")
        boolean egress;

        @Option(names = "--ethertype", description = "IPv4 or IPv6 (default: from the remote)")
        String ethertype;

        @Option(names = "--description")
        String description;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> b = new LinkedHashMap<>();
            if (text != null) {
                b.put("text", text);
            } else {
                if (proto != null && !proto.equals("any")) {
                    b.put("protocol", proto);
                }
                if (port != null) {
                    String[] r = port.split("-", 2);
                    b.put("portRangeMin", Integer.parseInt(r[0].strip()));
                    b.put("portRangeMax", Integer.parseInt((r.length == 2 ? r[1] : r[0]).strip()));
                }
                VnicCommand.put(b, "icmpType", icmpType);
                VnicCommand.put(b, "icmpCode", icmpCode);
                VnicCommand.put(b, "remoteIpPrefix", from);
                VnicCommand.put(b, "remoteGroup", fromGroup);
                VnicCommand.put(b, "remoteIpSet", fromIpSet);
                VnicCommand.put(b, "ethertype", ethertype);
                if (egress) {
                    b.put("direction", "egress");
                }
            }
            VnicCommand.put(b, "description", description);
            output.item(out(), connection.api().post(GroupCommand.path(group) + "/rules", b), COLUMNS);
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {"Removes a rule by id.", "", "Example:", "  stockade rule remove web sgr-abc123"})
    static final class Remove extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", paramLabel = "RULE-ID")
        String rule;

        @Override
        public Integer call() throws Exception {
            connection.api().delete(GroupCommand.path(group) + "/rules/" + rule);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists a group's rules with their ids.", "", "Example:", "  stockade rule list sg-dbsrv"})
    static final class ListRules extends GroupCommand.Verb {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        public Integer call() throws Exception {
            output.items(out(), connection.api().get(GroupCommand.path(group) + "/rules"), COLUMNS);
            return 0;
        }
    }
}
