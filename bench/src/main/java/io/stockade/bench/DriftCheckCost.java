package io.stockade.bench;

import io.stockade.agent.NftDataplane;
import io.stockade.agent.Shell;
import io.stockade.agent.nft.NftLib;
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
 * table of their own), which lists Stockade's tables.
 * Usage (root): {@code java -cp bench/target/benchmarks.jar io.stockade.bench.DriftCheckCost VNICS [REPEATS]}
 */
public final class DriftCheckCost {
    private DriftCheckCost() {}

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
            List<Double> listedWall = new ArrayList<>();
            List<Double> listedCpu = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inside.run(null, "nft", "add", "table", "inet", "someone" + i);
                long c = os.getProcessCpuTime();
                long t = System.nanoTime();
                if (plane.repair(slice)) {
                    throw new IllegalStateException("a kernel changed only outside Stockade's tables was repaired");
                }
                listedWall.add((System.nanoTime() - t) / 1e6);
                listedCpu.add((os.getProcessCpuTime() - c) / 1e6);
            }
            Collections.sort(listedWall);
            Collections.sort(listedCpu);
            System.out.printf("vnics=%d drift check after another process committed: wall median %.0f ms, cpu median %.0f ms%n",
                    vnics, listedWall.get(1), listedCpu.get(1));
        } finally {
            root.run(null, "ip", "netns", "del", ns);
        }
    }
}
