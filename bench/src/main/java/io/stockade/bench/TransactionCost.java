package io.stockade.bench;

import io.stockade.agent.Shell;
import io.stockade.agent.nft.NftLib;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftRule;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Transactions;
import io.stockade.compiler.Verdict;
import io.stockade.core.model.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one nftables transaction costs through libnftables kept open, on a host holding the
 * ruleset of VNICS vnics (the BigWorld of CompileBenchmark on one host), beside the same
 * transaction in an empty namespace holding one small table (the floor) in the same run: one set
 * element added to a referenced group's address set, one to a group's MAC set, one chain
 * rewritten, each a typed transaction run as the agent runs it. libnftables reads the ruleset's
 * chains, sets and objects back before each transaction it sends, so this is where the size of
 * the ruleset shows; element-only transactions skip it (a netlink batch of the agent's own).
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
            Transaction full = Transactions.full(Compiler.compile(w, "h-0"));
            long t = System.nanoTime();
            host.run(full);
            System.out.printf("vnics=%d full load: %.0f ms (%d operations)%n", vnics, (System.nanoTime() - t) / 1e6, full.ops().size());
            NftObject.Table small = new NftObject.Table("inet", "small");
            NftObject.Set s = new NftObject.Set(small, "s", NftSet.Type.of("ipv4_addr"), false);
            empty.run(Transaction.builder().add(small).add(s).build());
            NftObject.Table inet = new NftObject.Table("inet", Compiler.TABLE);
            NftObject.Table bridge = new NftObject.Table("bridge", Compiler.TABLE);
            report("floor: one element, empty namespace", time(empty, repeats, i -> element(small, "s", "10.7." + (i >> 8) + "." + (i & 255))));
            report("one element of a reference set", time(host, repeats, i -> element(inet, "ref_sg_1_v4", "10.6." + (i >> 8) + "." + (i & 255))));
            report("one element of a MAC set", time(host, repeats, i -> element(bridge, "macs_sg_1", String.format("52:54:00:77:%02x:%02x", i >> 8, i & 255))));
            NftObject.Chain chain = new NftObject.Chain(bridge, "dst_vif_5", null);
            report("one chain rewritten", time(host, repeats, i -> Transaction.builder().flush(chain)
                    .add(new NftObject.Rule(bridge, chain.name(), NftRule.of(Verdict.ACCEPT))).build()));
        } finally {
            root.run(null, "ip", "netns", "del", big);
            root.run(null, "ip", "netns", "del", floor);
        }
    }

    private static Transaction element(NftObject.Table table, String set, String key) {
        return Transaction.builder().add(new NftObject.Elements(table, set, List.of(NftElement.of(key)))).build();
    }

    /** Runs a transaction as the agent does ({@link NftLib#run}: elements alone go as a netlink batch of their own). */
    private static List<Double> time(NftLib nft, int repeats, java.util.function.IntFunction<Transaction> tx) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            Transaction x = tx.apply(i);
            long t = System.nanoTime();
            nft.run(x);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        return ms;
    }

    private static void report(String what, List<Double> ms) {
        System.out.printf("  %-40s median %6.2f ms  best %6.2f ms%n", what, ms.get(ms.size() / 2), ms.get(0));
    }
}
