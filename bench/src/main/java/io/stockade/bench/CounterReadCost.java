package io.stockade.bench;

import io.stockade.agent.NftDataplane;
import io.stockade.agent.Shell;
import io.stockade.agent.nft.NftLib;
import io.stockade.core.model.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one read of the host's counters costs (NftDataplane.counters, what the agent's stats report reads
 * every interval) on a host holding the ruleset of VNICS vnics (the BigWorld of CompileBenchmark on one
 * host), through libnftables kept open, in a throwaway namespace.
 * Usage (root): {@code java -cp bench/target/benchmarks.jar io.stockade.bench.CounterReadCost VNICS REPEATS}
 */
public final class CounterReadCost {
    private CounterReadCost() {}

    public static void main(String[] args) throws Exception {
        int vnics = Integer.parseInt(args[0]);
        int repeats = Integer.parseInt(args[1]);
        String ns = "stkcr" + ProcessHandle.current().pid();
        Shell root = new Shell(null);
        root.run(null, "ip", "netns", "add", ns);
        try (NftLib nft = NftLib.open(ns)) {
            World w = BigWorld.build(vnics, 1, 100, 100);
            NftDataplane plane = new NftDataplane(nft, "h-0", List.of());
            plane.applyFull(w);
            List<Double> ms = new ArrayList<>();
            int n = 0;
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                n = plane.counters().size();
                ms.add((System.nanoTime() - t) / 1e6);
            }
            Collections.sort(ms);
            System.out.printf("vnics=%d counters=%d read: median %.1f ms best %.1f ms%n", vnics, n, ms.get(ms.size() / 2), ms.get(0));
        } finally {
            root.run(null, "ip", "netns", "del", ns);
        }
    }
}
