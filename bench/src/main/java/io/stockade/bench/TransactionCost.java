package io.stockade.bench;

import io.stockade.agent.Shell;
import io.stockade.agent.nft.NftLib;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.Render;
import io.stockade.core.model.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one nftables transaction costs through libnftables kept open, on a host holding the
 * ruleset of VNICS vnics (the BigWorld of CompileBenchmark on one host), beside the same
 * transaction in an empty namespace holding one small table (the floor) in the same run: one set
 * element added to a referenced group's address set, one to a group's MAC set, one chain
 * rewritten. libnftables reads the ruleset's chains, sets and objects back before each
 * transaction, so this is where the size of the ruleset shows.
 * Usage (root): {@code java -cp bench/target/benchmarks.jar io.stockade.bench.TransactionCost VNICS [REPEATS]}
 */
public final class TransactionCost {
    private TransactionCost() {}

    public static void main(String[] args) throws Exception {
        int vnics = Integer.parseInt(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String big = "stktx" + ProcessHandle.current().pid() + "-big";
        String floor = "stktx" + ProcessHandle.current().pid() + "-floor";
        Shell root = new Shell(null);
        root.run(null, "ip", "netns", "add", big);
        root.run(null, "ip", "netns", "add", floor);
        try (NftLib host = NftLib.open(big); NftLib empty = NftLib.open(floor)) {
            World w = BigWorld.build(vnics, 1, 100, 100);
            String full = Render.full(Compiler.compile(w, "h-0"));
            long t = System.nanoTime();
            host.apply(full);
            System.out.printf("vnics=%d full load: %.0f ms (%d lines)%n", vnics, (System.nanoTime() - t) / 1e6, full.lines().count());
            empty.apply("add table inet small\nadd set inet small s { type ipv4_addr; }\n");
            report("floor: one element, empty namespace", time(empty, repeats, i -> "add element inet small s { 10.7." + (i >> 8) + "." + (i & 255) + " }"));
            report("one element of a reference set", time(host, repeats, i -> "add element inet stockade ref_sg_1_v4 { 10.6." + (i >> 8) + "." + (i & 255) + " }"));
            report("one element of a MAC set", time(host, repeats, i -> String.format("add element bridge stockade macs_sg_1 { 52:54:00:77:%02x:%02x }", i >> 8, i & 255)));
            report("one chain rewritten", time(host, repeats, i -> "flush chain bridge stockade dst_vif_5\nadd rule bridge stockade dst_vif_5 accept"));
        } finally {
            root.run(null, "ip", "netns", "del", big);
            root.run(null, "ip", "netns", "del", floor);
        }
    }

    private static List<Double> time(NftLib nft, int repeats, java.util.function.IntFunction<String> script) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            String s = script.apply(i) + "\n";
            long t = System.nanoTime();
            nft.apply(s);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        return ms;
    }

    private static void report(String what, List<Double> ms) {
        System.out.printf("  %-40s median %6.2f ms  best %6.2f ms%n", what, ms.get(ms.size() / 2), ms.get(0));
    }
}
