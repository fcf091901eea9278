package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
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
            w = change(w, r);
        }
    }

    private static World change(World w, Random r) {
        List<Vnic> vnics = new ArrayList<>(w.vnics().values());
        List<String> groups = new ArrayList<>(w.groups().keySet());
        switch (r.nextInt(5)) {
            case 0 -> {
                return RandomWorlds.withExtraRule(w, r);
            }
            case 1, 2 -> {
                if (vnics.isEmpty() || groups.isEmpty()) {
                    return w;
                }
                Vnic v = vnics.get(r.nextInt(vnics.size()));
                List<String> next = new ArrayList<>(v.securityGroupIds());
                String g = groups.get(r.nextInt(groups.size()));
                if (!next.remove(g)) {
                    next.add(g);
                }
                return w.toBuilder().vnic(v.withGroups(next)).revision(w.revision() + 1).build();
            }
            case 3 -> {
                if (vnics.isEmpty()) {
                    return w;
                }
                return w.toBuilder().remove(vnics.get(r.nextInt(vnics.size())).id()).revision(w.revision() + 1).build();
            }
            default -> {
                if (groups.isEmpty()) {
                    return w;
                }
                SecurityGroup g = w.groups().get(groups.get(r.nextInt(groups.size())));
                return w.toBuilder().group(new SecurityGroup(g.id(), g.projectId(), g.name(), g.description(), g.stateful(), g.global(),
                        RandomWorlds.rules(r, groups))).revision(w.revision() + 1).build();
            }
        }
    }
}
