package io.stockade.bench;

import io.stockade.agent.NftDataplane;
import io.stockade.agent.Shell;
import io.stockade.agent.nft.NftLib;
import io.stockade.compiler.NftChain;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.NftTable;
import io.stockade.core.model.HostSlice;
import io.stockade.core.model.World;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the agent's drift check costs on a host holding the ruleset of VNICS vnics (the BigWorld
 * of CompileBenchmark on one host), through libnftables kept open as agents run: wall time and
 * the process's CPU time (the JVM and libnftables; the kernel's work for the listing counts as
 * the process's system time) per check of an unchanged kernel, and what checking every 5 s costs
 * of one core; then per check after someone else committed a transaction in the namespace (a
 * table of their own, an element added to its set; an agent that follows the kernel's announcements reads none of Stockade's
 * objects then), over OTHERS such commits (REPEATS/10 unless given); then per check after a hand edit of one of
 * Stockade's sets and of one of its chains (the object read alone and repaired) and the check
 * after it (which learns what the repair wrote), and after its inet table was made dormant (the
 * table's head read alone, the table woken); last, a full rebuild (the agent's own biggest
 * commit, which the kernel announces object by object to a subscribed monitor).
 * Usage (root): {@code java -cp bench/target/benchmarks.jar io.stockade.bench.DriftCheckCost VNICS [REPEATS [OTHERS]]}
 */
public final class DriftCheckCost {
    private DriftCheckCost() {}

    /** Three times: a hand edit, the check that repairs it, the check after it; the medians of each. */
    private static void handEdit(NftDataplane plane, World slice, Shell inside, com.sun.management.OperatingSystemMXBean os, int vnics, String edit, String what) {
        List<double[]> repairs = new ArrayList<>();
        List<double[]> afters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Shell.Result r = inside.run(edit + "\n", "nft", "-f", "-");
            if (!r.ok()) {
                throw new IllegalStateException(edit + ": " + r.err());
            }
            repairs.add(timed(plane, slice, os, true));
            afters.add(timed(plane, slice, os, false));
        }
        repairs.sort(java.util.Comparator.comparingDouble(x -> x[0]));
        afters.sort(java.util.Comparator.comparingDouble(x -> x[0]));
        System.out.printf("vnics=%d %s: repairing check wall median %.1f ms, cpu %.1f ms; the check after it wall median %.1f ms, cpu %.1f ms%n",
                vnics, what, repairs.get(1)[0], repairs.get(1)[1], afters.get(1)[0], afters.get(1)[1]);
    }

    /** One check's wall and CPU time in ms; {@code repaired}: whether it must repair. */
    private static double[] timed(NftDataplane plane, World slice, com.sun.management.OperatingSystemMXBean os, boolean repaired) {
        long c = os.getProcessCpuTime();
        long t = System.nanoTime();
        if (plane.repair(slice) != repaired) {
            throw new IllegalStateException(repaired ? "a hand edit was not repaired" : "a repaired kernel was repaired again");
        }
        return new double[] {(System.nanoTime() - t) / 1e6, (os.getProcessCpuTime() - c) / 1e6};
    }

    public static void main(String[] args) throws Exception {
        int vnics = Integer.parseInt(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String ns = "stkdrift" + ProcessHandle.current().pid();
        Shell root = new Shell(null);
        root.run(null, "ip", "netns", "add", ns);
        try (NftLib nft = NftLib.open(ns)) {
            World w = BigWorld.build(vnics, 1, 100, 100);
            World slice = HostSlice.of(w, "h-0");
            NftDataplane plane = new NftDataplane(nft, "h-0", List.of());
            plane.applyFull(slice);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int i = 0; i < 5; i++) {
                plane.repair(slice); // the first learns the digests; the others warm up
            }
            // The process's CPU clock ticks in 10 ms: summed over all checks, then divided.
            List<Double> wall = new ArrayList<>();
            long cpu0 = os.getProcessCpuTime();
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                if (plane.repair(slice)) {
                    throw new IllegalStateException("an unchanged kernel was repaired");
                }
                wall.add((System.nanoTime() - t) / 1e6);
            }
            double cpuEach = (os.getProcessCpuTime() - cpu0) / 1e6 / repeats;
            Collections.sort(wall);
            System.out.printf("vnics=%d drift check, unchanged kernel: wall median %.3f ms (max %.3f), cpu %.3f ms a check (all %d summed); every 5 s: %.4f %% of a core%n",
                    vnics, wall.get(wall.size() / 2), wall.get(wall.size() - 1), cpuEach, repeats, cpuEach / 5000 * 100);
            Shell inside = new Shell(ns);
            int others = args.length > 2 ? Integer.parseInt(args[2]) : Math.max(3, repeats / 10);
            List<Double> listedWall = new ArrayList<>();
            long othersCpu = 0;
            // Their own table, committed to again and again (one table: nft's listings of one table cost more with every table in the namespace).
            inside.run("add table inet someone\nadd set inet someone peers { type ipv4_addr; }\n", "nft", "-f", "-");
            for (int i = 0; i < others; i++) {
                inside.run(null, "nft", "add", "element", "inet", "someone", "peers", "{ 198.51." + (i / 250) + "." + (i % 250) + " }");
                long c = os.getProcessCpuTime();
                long t = System.nanoTime();
                if (plane.repair(slice)) {
                    throw new IllegalStateException("a kernel changed only outside Stockade's tables was repaired");
                }
                listedWall.add((System.nanoTime() - t) / 1e6);
                othersCpu += os.getProcessCpuTime() - c;
            }
            Collections.sort(listedWall);
            double othersEach = othersCpu / 1e6 / others;
            System.out.printf("vnics=%d drift check after another process committed to its own table: wall median %.3f ms (max %.3f), cpu %.3f ms a check (%d summed); every 5 s: %.4f %% of a core%n",
                    vnics, listedWall.get(others / 2), listedWall.get(others - 1), othersEach, others, othersEach / 5000 * 100);
            NftTable inet = plane.applied().tables().stream().filter(t -> t.family().equals("inet")).findFirst().orElseThrow();
            NftSet set = inet.sets().stream().filter(x -> x.name().startsWith("ref_") && !x.elements().isEmpty()).findFirst()
                    .orElseGet(() -> inet.sets().stream().filter(x -> !x.elements().isEmpty()).findFirst().orElseThrow());
            NftChain chain = inet.chains().stream().filter(c -> c.base() == null && c.rules().size() > 1).findFirst().orElseThrow();
            handEdit(plane, slice, inside, os, vnics, "flush set inet stockade " + set.name(), "set " + set.name() + " flushed (" + set.elements().size() + " elements)");
            handEdit(plane, slice, inside, os, vnics, "insert rule inet stockade " + chain.name() + " accept", "rule inserted in chain " + chain.name() + " (" + chain.rules().size() + " rules)");
            // A table-level touch: the table's head read alone, the table woken.
            handEdit(plane, slice, inside, os, vnics, "add table inet stockade { flags dormant; }", "inet table made dormant");
            // The agent's own biggest commit: with a monitor subscribed, the kernel also announces each of its objects.
            List<double[]> rebuilds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long c = os.getProcessCpuTime();
                long t = System.nanoTime();
                plane.applyFull(slice);
                rebuilds.add(new double[] {(System.nanoTime() - t) / 1e6, (os.getProcessCpuTime() - c) / 1e6});
            }
            rebuilds.sort(java.util.Comparator.comparingDouble(x -> x[0]));
            System.out.printf("vnics=%d full rebuild (the agent's own commit of both tables): wall median %.0f ms, cpu %.0f ms%n",
                    vnics, rebuilds.get(1)[0], rebuilds.get(1)[1]);
        } finally {
            root.run(null, "ip", "netns", "del", ns);
        }
    }
}
