package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.Random;
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
        Random r = new Random(seed);
        CompileCache cache = new CompileCache();
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        for (int step = 0; step < 12; step++) {
            assertThat(Render.full(Compiler.compile(w, TestWorld.HOST, cache)))
                    .as("seed %d step %d", seed, step).isEqualTo(Render.full(Compiler.compile(w, TestWorld.HOST)));
            cache.retain(w);
            w = RandomChanges.change(w, r);
        }
    }
}
