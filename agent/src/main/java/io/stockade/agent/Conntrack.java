package io.stockade.agent;

import io.stockade.core.model.Match;
import io.stockade.core.net.Ip;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The kernel's connection tracking table, read and pruned with the {@code conntrack} tool. */
public final class Conntrack {
    /** One tracked flow, by its original direction. */
    public record Flow(int protocol, InetAddress src, InetAddress dst, int sport, int dport, int icmpType, int icmpCode, int icmpId) {}

    private final Shell shell;

    public Conntrack(Shell shell) {
        this.shell = shell;
    }

    public List<Flow> list() {
        List<Flow> flows = new ArrayList<>();
        for (String family : List.of("ipv4", "ipv6")) {
            Shell.Result r = shell.run(null, "conntrack", "-L", "-f", family, "-o", "extended");
            if (r.ok()) {
                r.out().lines().map(Conntrack::parse).filter(f -> f != null).forEach(flows::add);
            }
        }
        return flows;
    }

    /** Deletes the entry of one flow; true when the tool found and deleted it. */
    public boolean delete(Flow f) {
        List<String> argv = new ArrayList<>(List.of("conntrack", "-D", "-p", Integer.toString(f.protocol()),
                "-s", Ip.format(f.src()), "-d", Ip.format(f.dst())));
        if (f.protocol() == Match.TCP || f.protocol() == Match.UDP || f.protocol() == Match.SCTP || f.protocol() == Match.DCCP) {
            argv.addAll(List.of("--sport", Integer.toString(f.sport()), "--dport", Integer.toString(f.dport())));
        } else if (f.protocol() == Match.ICMP || f.protocol() == Match.ICMPV6) {
            argv.addAll(List.of("--icmp-type", Integer.toString(f.icmpType()), "--icmp-code", Integer.toString(f.icmpCode()),
                    "--icmp-id", Integer.toString(f.icmpId())));
        }
        return shell.run(null, argv.toArray(String[]::new)).ok();
    }

    /**
     * Parses one line of {@code conntrack -L -o extended}, such as
     * {@code ipv4 2 tcp 6 431999 ESTABLISHED src=192.0.2.11 dst=192.0.2.10 sport=40000 dport=3306 src=… [ASSURED] mark=0 use=1};
     * the first src/dst/sport/dport are the original direction.
     */
    static Flow parse(String line) {
        String[] t = line.trim().split("\\s+");
        if (t.length < 6) {
            return null;
        }
        int proto;
        try {
            proto = Integer.parseInt(t[3]);
        } catch (NumberFormatException e) {
            return null;
        }
        Map<String, String> first = new HashMap<>();
        for (String tok : t) {
            int eq = tok.indexOf('=');
            if (eq > 0) {
                first.putIfAbsent(tok.substring(0, eq), tok.substring(eq + 1));
            }
        }
        if (!first.containsKey("src") || !first.containsKey("dst")) {
            return null;
        }
        return new Flow(proto, Ip.parse(first.get("src"), "src"), Ip.parse(first.get("dst"), "dst"),
                num(first, "sport"), num(first, "dport"), num(first, "type"), num(first, "code"), num(first, "id"));
    }

    private static int num(Map<String, String> m, String k) {
        String v = m.get(k);
        return v == null ? -1 : Integer.parseInt(v);
    }
}
