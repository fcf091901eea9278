package io.stockade.bench;

import io.stockade.compiler.Compiler;
import io.stockade.compiler.HostState;
import io.stockade.compiler.Render;
import io.stockade.compiler.CompileCache;
import io.stockade.core.model.HostSlice;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Compile time of a whole world (every host's slice compiled and rendered) and of one host, and
 * the cost of one membership change (slice, compile, delta) as the world grows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmark {
    /** vnics:hosts:groups:rulesPerGroup[:tenants]. */
    @Param({"1000:10:100:100", "10000:100:1000:100"})
    public String size;

    World world;
    World joined;
    HostState before;
    String host;
    SliceDiff there;
    SliceDiff back;
    World agentWorld;
    CompileCache agentCache;
    HostState agentBefore;
    boolean agentFlip;

    @Setup
    public void setup() {
        world = BigWorld.parse(size);
        host = "h-0";
        // A vnic on another host joins a group that vnics of h-0 reference.
        Vnic mover = world.vnics().get("vif-1");
        joined = world.toBuilder().vnic(mover.withGroups(List.of("sg-0", "sg-1", "sg-2"))).revision(2).build();
        before = Compiler.compile(HostSlice.of(world, host), host);
        World sliceBefore = HostSlice.of(world, host);
        World sliceAfter = HostSlice.of(joined, host);
        there = SliceDiff.between(sliceBefore, sliceAfter);
        back = SliceDiff.between(sliceAfter, sliceBefore);
        agentWorld = sliceBefore;
        agentCache = new CompileCache();
        agentBefore = Compiler.compile(sliceBefore, host, agentCache);
    }

    @Benchmark
    public int compileWholeWorld() {
        int n = 0;
        for (String h : world.hosts().keySet()) {
            n += Render.full(Compiler.compile(HostSlice.of(world, h), h)).length();
        }
        return n;
    }

    /** Every host compiled straight from the world, each group's rule sets compiled once for all hosts. */
    @Benchmark
    public int compileEveryHostFromTheWorld() {
        CompileCache cache = new CompileCache();
        int n = 0;
        for (String h : world.hosts().keySet()) {
            n += Compiler.compile(world, h, cache).elementCount();
        }
        return n;
    }

    @Benchmark
    public int compileOneHost() {
        return Render.full(Compiler.compile(HostSlice.of(world, host), host)).length();
    }

    /**
     * What an agent does for one membership change: apply the diff of its slice that the server
     * sends to the slice it holds, compile the result with the cache the previous compile left,
     * and diff the two states. Each call moves the vnic the other way, so every call is a real change.
     */
    @Benchmark
    public int membershipDeltaInTheAgent() {
        agentWorld = (agentFlip ? back : there).applyTo(agentWorld);
        agentFlip = !agentFlip;
        HostState after = Compiler.compile(agentWorld, host, agentCache);
        int n = Render.delta(agentBefore, after).orElseThrow().length();
        agentBefore = after;
        return n;
    }

    @Benchmark
    public int membershipDelta() {
        HostState after = Compiler.compile(HostSlice.of(joined, host), host);
        return Render.delta(before, after).orElseThrow().length();
    }
}
