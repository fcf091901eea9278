package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.server.command.GroupCommand.UpdateGroup;
import io.stockade.server.command.Patch;
import io.stockade.server.command.VnicCommand.UpdateVnic;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What a vnic's firewall accepted and dropped: {@code vnic stats}, {@code vnic drops}, and switching drop logging on and off. */
final class VnicDropsCommands {
    private VnicDropsCommands() {}

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = {"Shows a vnic's accepted and dropped packets and bytes, by direction and drop reason", "(as its host's agent last reported them).",
                "", "Example:", "  stockade vnic stats vif-db1"})
    static final class Stats extends GroupCommand.Verb {
        @Parameters(paramLabel = "VNIC", description = "vnic id or name")
        String vnic;

        @Override
        public Integer call() throws Exception {
            JsonNode s = api().get(VnicCommand.path(vnic) + "/stats");
            if (!output.table()) {
                output.item(out(), s, VnicCommand.COLUMNS);
                return 0;
            }
            PrintWriter out = out();
            out.printf("vnic %s on %s, drop logging %s, reported %s%n", s.path("vnic").asText(), Output.text(s.path("host")),
                    s.path("logDrops").asBoolean() ? "on" : "off", s.path("updatedAt").isNull() ? "never" : s.path("updatedAt").asText());
            out.printf("%-10s %-8s %-12s %12s %14s%n", "DIRECTION", "VERDICT", "REASON", "PACKETS", "BYTES");
            for (String dir : new String[] {"egress", "ingress"}) {
                JsonNode d = s.path(dir);
                out.printf("%-10s %-8s %-12s %12d %14d%n", dir, "accept", "-", d.path("accepted").path("packets").asLong(), d.path("accepted").path("bytes").asLong());
                d.path("dropped").fields().forEachRemaining(e ->
                        out.printf("%-10s %-8s %-12s %12d %14d%n", dir, "drop", e.getKey(), e.getValue().path("packets").asLong(), e.getValue().path("bytes").asLong()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "drops", mixinStandardHelpOptions = true,
            description = {"Shows a vnic's last logged drops: direction, reason, 5-tuple and the rule that would have allowed it.",
                "Drops are logged while drop logging is on for the vnic or one of its groups (vnic log-drops, group log-drops).",
                "", "Example:", "  stockade vnic drops vif-db1 -n 20", "  stockade vnic drops vif-db1 --follow"})
    static final class Drops extends GroupCommand.Verb {
        @Parameters(paramLabel = "VNIC", description = "vnic id or name")
        String vnic;

        @Option(names = {"-n", "--lines"}, defaultValue = "20", description = "how many of the last drops to show (default 20, at most 1000)")
        int lines;

        @Option(names = {"-f", "--follow"}, description = "keep printing drops as they are logged (until interrupted)")
        boolean follow;

        @Option(names = "--count", description = "with --follow: stop after this many drops")
        Integer count;

        @Override
        public Integer call() throws Exception {
            Api api = api();
            String path = VnicCommand.path(vnic) + "/drops";
            JsonNode page = api.get(path + "?limit=" + lines);
            PrintWriter out = out();
            if (!follow && !output.table()) {
                output.item(out, page, VnicCommand.COLUMNS);
                return 0;
            }
            if (output.table()) {
                out.printf("%-24s %-8s %-10s %-7s %-28s %-28s %s%n", "TIME", "DIR", "REASON", "PROTO", "SOURCE", "DESTINATION", "NEEDED");
            }
            int printed = print(out, page, left(0));
            long next = page.path("next").asLong();
            while (follow && left(printed) > 0) {
                JsonNode more = api.get(path + "?limit=1000&wait=20&since=" + next);
                printed += print(out, more, left(printed));
                next = more.path("next").asLong(next);
            }
            return 0;
        }

        /** How many more lines may be printed (--count applies to --follow). */
        private int left(int printed) {
            return follow && count != null ? count - printed : Integer.MAX_VALUE;
        }

        private int print(PrintWriter out, JsonNode page, int most) {
            int n = 0;
            for (JsonNode d : page.path("items")) {
                if (n >= most) {
                    break;
                }
                if (output.table()) {
                    String needed = d.path("neededRule").isTextual() ? d.path("neededGroup").asText() + ": " + d.path("neededRule").asText() : "-";
                    out.printf("%-24s %-8s %-10s %-7s %-28s %-28s %s%n", d.path("time").asText(), d.path("direction").asText().equals("egress") ? "out" : "in",
                            d.path("reason").asText(), d.path("protocol").asText(), endpoint(d, "src", "srcPort"), endpoint(d, "dst", "dstPort"), needed);
                } else {
                    out.println(d.toString());
                }
                n++;
            }
            out.flush();
            return n;
        }

        private static String endpoint(JsonNode d, String address, String port) {
            String a = d.path(address).asText();
            int p = d.path(port).asInt(-1);
            return p < 0 ? a : (a.contains(":") ? "[" + a + "]" : a) + ":" + p;
        }
    }

    @Command(name = "log-drops", mixinStandardHelpOptions = true,
            description = {"Switches logging of a vnic's dropped packets on or off (rate-limited on its host).", "",
                "Example:", "  stockade vnic log-drops vif-db1 on"})
    static final class VnicLogDrops extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "VNIC", description = "vnic id or name")
        String vnic;

        @Parameters(index = "1", paramLabel = "on|off", description = "on: log its drops (rate-limited); off: stop")
        Switch state;

        @Override
        public Integer call() throws Exception {
            output.item(out(), api().send(UpdateVnic.logDrops(vnic, state == Switch.on)), VnicCommand.COLUMNS);
            return 0;
        }
    }

    @Command(name = "log-drops", mixinStandardHelpOptions = true,
            description = {"Switches logging of dropped packets on or off for every vnic of a group.", "",
                "Example:", "  stockade group log-drops dbsrv on"})
    static final class GroupLogDrops extends GroupCommand.Verb {
        @Parameters(index = "0", paramLabel = "GROUP", description = "group id or name")
        String group;

        @Parameters(index = "1", paramLabel = "on|off", description = "on: log its drops (rate-limited); off: stop")
        Switch state;

        @Override
        public Integer call() throws Exception {
            JsonNode g = api().send(new UpdateGroup(group, Patch.keep(), Patch.keep(), Patch.keep(), Patch.to(state == Switch.on)));
            output.item(out(), g, java.util.List.of(Output.Column.of("ID", "id"), Output.Column.of("NAME", "name"), Output.Column.of("LOG DROPS", "logDrops")));
            return 0;
        }
    }

    enum Switch { on, off }
}
