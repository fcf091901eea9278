package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.HostSlice;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A compile that reuses what earlier compiles left in its cache gives exactly what a fresh
 * compile gives, through any sequence of changes: rules added, vnics changing groups, vnics
 * removed, whole worlds replaced.
 */
class CompileCacheTest {
    @Property(tries = 60)
    void aWarmCacheCompilesWhatAFreshCompileDoes(@ForAll long seed) {
        compilesAsAFreshCompile(seed, false);
    }

    /**
     * The same through an agent's worlds: each made from the last by applying the diff, so the
     * maps and indexes a change does not touch are the same objects as before, which the cache
     * takes as unchanged without comparing them.
     */
    @Property(tries = 60)
    void aWarmCacheCompilesWhatAFreshCompileDoesThroughAppliedDiffs(@ForAll long seed) {
        compilesAsAFreshCompile(seed, true);
    }

    /** Random changes, each compiled with the warm cache from the world held and afresh from the world rebuilt. */
    private static void compilesAsAFreshCompile(long seed, boolean applyDiffs) {
        Random r = new Random(seed);
        CompileCache cache = new CompileCache();
        World held = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        World rebuilt = held;
        for (int step = 0; step < 16; step++) {
            assertThat(Render.full(Compiler.compile(held, TestWorld.HOST, cache)))
                    .as("seed %d step %d", seed, step).isEqualTo(Render.full(Compiler.compile(rebuilt, TestWorld.HOST)));
            cache.retain(held);
            rebuilt = RandomChanges.change(held, r);
            held = applyDiffs ? SliceDiff.between(held, rebuilt).applyTo(held) : rebuilt;
        }
    }

    @Example
    void aValueMadeAgainEqualToTheLastIsTheLastOnesObject() {
        CompileCache cache = new CompileCache();
        int[] made = {0};
        List<String> first = cache.made("k", List.of("a", "b"), () -> List.of("x" + made[0]++ / 2));
        assertThat(cache.made("k", List.of("a", "b"), () -> List.of("never"))).isSameAs(first);
        assertThat(cache.made("k", List.of("b", "a"), () -> List.of("x" + made[0]++ / 2))).isSameAs(first).containsExactly("x0");
        assertThat(cache.made("k", List.of("c"), () -> List.of("x" + made[0]++ / 2))).containsExactly("x1");
        assertThat(made[0]).isEqualTo(3);
    }

    /**
     * A remote vnic changing groups leaves the host's MAC set of the network the same object, so
     * the delta skips it; the same vnic changing its MAC changes it.
     */
    @Example
    void aMembershipChangeElsewhereLeavesTheNetworksMacSetAlone() {
        Vnic far = DatabaseExample.farVnic(true);
        World w = DatabaseExample.world("sg-dbclnts").toBuilder().vnic(far).build();
        CompileCache cache = new CompileCache();
        List<NftElement> macs = vnicMacs(Compiler.compile(HostSlice.of(w, TestWorld.HOST), TestWorld.HOST, cache));
        World joined = w.toBuilder().vnic(far.withGroups(List.of("sg-dbclnts", "sg-web"))).revision(w.revision() + 1).build();
        assertThat(vnicMacs(Compiler.compile(HostSlice.of(joined, TestWorld.HOST), TestWorld.HOST, cache))).isSameAs(macs);
        World moved = w.toBuilder().vnic(new Vnic(far.id(), far.projectId(), far.name(), far.instanceId(), far.hostId(), far.device(),
                TestWorld.mac("52:54:00:00:09:98"), far.addresses(), far.networkId(), far.securityGroupIds(), true)).revision(w.revision() + 2).build();
        assertThat(vnicMacs(Compiler.compile(HostSlice.of(moved, TestWorld.HOST), TestWorld.HOST, cache)))
                .contains(NftElement.of("52:54:00:00:09:98")).doesNotContain(NftElement.of("52:54:00:00:09:99"))
                .isEqualTo(vnicMacs(Compiler.compile(HostSlice.of(moved, TestWorld.HOST), TestWorld.HOST)));
    }

    private static List<NftElement> vnicMacs(HostState s) {
        return s.tables().stream().flatMap(t -> t.sets().stream()).filter(x -> x.name().equals("vnic_macs")).findFirst().orElseThrow().elements();
    }
}
