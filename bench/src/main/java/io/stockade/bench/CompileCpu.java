package io.stockade.bench;

import io.stockade.compiler.CompileCache;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.HostState;
import io.stockade.compiler.Render;
import io.stockade.core.model.HostSlice;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.MacAddress;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Compile costs in CPU time of the measuring thread, which other load on a shared machine
 * barely moves (wall-clock JMH figures there swing by 5-10x), each beside its baseline in the
 * same run:
 * <ul>
 *   <li>every host of the world compiled with one shared cache, against every host compiled on
 *       its own (no cache shared between hosts);</li>
 *   <li>one membership change on host h-0 as an agent makes it (the diff of its slice applied to
 *       the slice it holds, compiled with a warm cache, and diffed), against the same change
 *       compiled from scratch.</li>
 *   <li>one vnic placed on another host of h-0's network and taken away again, as the agent
 *       makes it, in the same way.</li>
 * </ul>
 * Usage: {@code java -cp bench/target/benchmarks.jar io.stockade.bench.CompileCpu VNICS:HOSTS:GROUPS:RULES[:TENANTS] [ROUNDS]}
 */
public final class CompileCpu {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private CompileCpu() {}

    public static void main(String[] args) {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        World world = BigWorld.parse(args[0]);
        String host = "h-0";
        Vnic mover = world.vnics().get("vif-1");
        World joined = world.toBuilder().vnic(mover.withGroups(List.of("sg-0", "sg-1", "sg-2"))).revision(2).build();
        World before = HostSlice.of(world, host);
        World after = HostSlice.of(joined, host);
        SliceDiff[] diffs = {SliceDiff.between(before, after), SliceDiff.between(after, before)};
        World[] held = {before};
        Vnic extra = new Vnic("vif-extra", mover.projectId(), "", null, mover.hostId(), "tapextra",
                MacAddress.parse("52:54:00:fe:00:01", "mac"), List.of(), mover.networkId(), mover.securityGroupIds(), true);
        World placed = HostSlice.of(world.toBuilder().vnic(extra).revision(2).build(), host);
        SliceDiff[] comings = {SliceDiff.between(before, placed), SliceDiff.between(placed, before)};
        CompileCache agent = new CompileCache();
        HostState[] applied = {Compiler.compile(before, host, agent)};
        boolean[] flip = {false};
        for (int round = 0; round < rounds; round++) {
            double shared = cpu(1, () -> {
                CompileCache cache = new CompileCache();
                world.hosts().keySet().forEach(h -> Compiler.compile(world, h, cache));
            });
            double alone = cpu(1, () -> world.hosts().keySet().forEach(h -> Compiler.compile(world, h)));
            double warm = cpu(200, () -> {
                held[0] = diffs[flip[0] ? 1 : 0].applyTo(held[0]);
                flip[0] = !flip[0];
                HostState s = Compiler.compile(held[0], host, agent);
                Render.delta(applied[0], s).orElseThrow();
                applied[0] = s;
            });
            // An even number of runs of each leaves the agent's world as it was, for the next.
            double coming = cpu(200, () -> {
                held[0] = comings[flip[0] ? 1 : 0].applyTo(held[0]);
                flip[0] = !flip[0];
                HostState s = Compiler.compile(held[0], host, agent);
                Render.delta(applied[0], s).orElseThrow();
                applied[0] = s;
            });
            double cold = cpu(20, () -> Render.delta(Compiler.compile(before, host), Compiler.compile(after, host)).orElseThrow());
            System.out.printf("size=%s round=%d everyHost(shared cache)=%.0f ms everyHost(alone)=%.0f ms "
                    + "membershipDelta(agent, warm)=%.2f ms membershipDelta(from scratch)=%.2f ms vnicComesAndGoes(agent)=%.2f ms%n",
                    args[0], round, shared, alone, warm, cold, coming);
        }
    }

    /** CPU milliseconds of this thread per run of {@code r}, over {@code n} runs. */
    private static double cpu(int n, Runnable r) {
        long t = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (CPU.getCurrentThreadCpuTime() - t) / 1e6 / n;
    }
}
