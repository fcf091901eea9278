package io.stockade.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.compiler.CompileCache;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.HostState;
import io.stockade.compiler.Transactions;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Without root: the delta from one state to the next, applied to a kernel holding the first,
 * leaves exactly what loading the second from nothing leaves, for random worlds and changes.
 */
class DeltaPropertyTest {
    @Property(tries = 60)
    void aDeltaLeavesWhatAFullLoadLeaves(@ForAll long seed) {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        FakeNftables kernel = new FakeNftables();
        CompileCache cache = new CompileCache();
        HostState applied = Compiler.compile(w, TestWorld.HOST, cache);
        kernel.run(Transactions.full(applied));
        for (int step = 0; step < 10; step++) {
            World next = step % 5 == 4 ? RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4))) : change(w, r);
            HostState to = Compiler.compile(next, TestWorld.HOST, cache);
            cache.retain(next);
            Optional<io.stockade.compiler.Transaction> delta = Transactions.delta(applied, to);
            kernel.run(delta.orElseGet(() -> Transactions.full(to)));
            FakeNftables fresh = new FakeNftables();
            fresh.run(Transactions.full(to));
            assertThat(kernel.dump()).as("seed %d step %d (%s)", seed, step, delta.isPresent() ? "delta" : "full").isEqualTo(fresh.dump());
            applied = to;
            w = next;
        }
    }

    /** A rule more, a vnic joining or leaving a group, or a vnic gone. */
    private static World change(World w, Random r) {
        List<Vnic> vnics = new ArrayList<>(w.vnics().values());
        List<String> groups = new ArrayList<>(w.groups().keySet());
        int kind = r.nextInt(4);
        if (kind == 0 || vnics.isEmpty() || groups.isEmpty()) {
            return RandomWorlds.withExtraRule(w, r);
        }
        Vnic v = vnics.get(r.nextInt(vnics.size()));
        if (kind == 1) {
            return w.toBuilder().remove(v.id()).revision(w.revision() + 1).build();
        }
        List<String> next = new ArrayList<>(v.securityGroupIds());
        String g = groups.get(r.nextInt(groups.size()));
        if (!next.remove(g)) {
            next.add(g);
        }
        return w.toBuilder().vnic(v.withGroups(next)).revision(w.revision() + 1).build();
    }
}
