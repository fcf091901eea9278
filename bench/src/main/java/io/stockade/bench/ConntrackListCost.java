package io.stockade.bench;

import io.stockade.agent.Conntrack;
import io.stockade.agent.Shell;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one conntrack sweep pays to read the tracking table, from the agent's JVM: the listing
 * main's agent ran ({@code conntrack -L -o extended}, one process per address family) against
 * {@link Conntrack#list} over ctnetlink, alternated in one namespace holding {@code FLOWS} entries.
 * Usage (root): {@code ConntrackListCost FLOWS ROUNDS}; prints the medians and p99s.
 */
public final class ConntrackListCost {
    private ConntrackListCost() {}

    public static void main(String[] args) {
        int flows = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String ns = "stkctcost" + ProcessHandle.current().pid();
        new Shell(null).run(null, "ip", "netns", "add", ns);
        try {
            Shell shell = new Shell(ns);
            for (int i = 0; i < flows; i++) {
                shell.run(null, "conntrack", "-I", "-p", "tcp", "-s", "192.0.2." + (1 + i % 250), "-d", "198.51.100.1",
                        "--sport", Integer.toString(10_000 + i), "--dport", "3306", "--state", "ESTABLISHED", "-t", "600");
            }
            Conntrack conntrack = new Conntrack(shell);
            int seen = conntrack.list().size();
            List<Long> spawned = new ArrayList<>();
            List<Long> netlink = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (String family : List.of("ipv4", "ipv6")) {
                    shell.run(null, "conntrack", "-L", "-f", family, "-o", "extended");
                }
                long t1 = System.nanoTime();
                conntrack.list();
                long t2 = System.nanoTime();
                spawned.add(t1 - t0);
                netlink.add(t2 - t1);
            }
            System.out.printf("flows=%d (listed %d) rounds=%d conntrack -L x2: p50=%.2f ms p99=%.2f ms; ctnetlink: p50=%.3f ms p99=%.3f ms%n",
                    flows, seen, rounds, pct(spawned, 0.5), pct(spawned, 0.99), pct(netlink, 0.5), pct(netlink, 0.99));
        } finally {
            new Shell(null).run(null, "ip", "netns", "del", ns);
        }
    }

    private static double pct(List<Long> nanos, double q) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * q) - 1)) / 1e6;
    }
}
