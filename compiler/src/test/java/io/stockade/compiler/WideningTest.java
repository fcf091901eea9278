package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** A change the compiler calls widening lets through at least what it let through before, as the evaluator judges. */
class WideningTest {
    private static boolean widens(World a, World b) {
        return Widening.onlyWidens(Compiler.compile(a, TestWorld.HOST), Compiler.compile(b, TestWorld.HOST));
    }

    @Test
    void joiningAGroupWidensAndLeavingItNarrows() {
        World out = DatabaseExample.world("sg-web");
        World in = DatabaseExample.world("sg-web", "sg-dbclnts");
        assertThat(widens(out, in)).isTrue();
        assertThat(widens(in, out)).isFalse();
    }

    @Test
    void aRemoteMemberJoiningWidensAndLeavingNarrows() {
        World a = DatabaseExample.world("sg-dbclnts");
        Vnic far = DatabaseExample.farVnic(true);
        World b = a.toBuilder().vnic(far).build();
        World c = b.toBuilder().vnic(far.withGroups(List.of("sg-web", "sg-dbclnts"))).build();
        assertThat(widens(b, c)).isTrue();
        assertThat(widens(c, b)).isFalse();
    }

    /**
     * A remote vnic that starts being filtered joins {@code vnic_macs}: the local ports now isolate
     * it, so its flows must be judged again although no local chain changed.
     */
    @Test
    void aRemoteVnicThatBecomesFilteredNarrows() {
        World a = DatabaseExample.world("sg-dbclnts");
        Vnic far = DatabaseExample.farVnic(false);
        World passthrough = a.toBuilder().vnic(far).build();
        World filtered = a.toBuilder().vnic(DatabaseExample.farVnic(true)).build();
        assertThat(widens(passthrough, filtered)).isFalse();
        Packet p = Packet.tcp(io.stockade.core.eval.Endpoint.outside(), io.stockade.core.eval.Endpoint.vnic("vif-db1"), far.mac(),
                filtered.vnics().get("vif-db1").mac(), far.addresses().get(0), filtered.vnics().get("vif-db1").addresses().get(0), 40000, 22);
        assertThat(Evaluator.evaluate(passthrough, p).allowed()).as("from a passthrough vnic, the rules decide").isTrue();
    }

    @Test
    void theSameStateWidensNothingAwayAndAKeptLineOutOfOrderNarrows() {
        World a = DatabaseExample.world("sg-dbclnts");
        assertThat(widens(a, a)).isTrue();
        assertThat(Widening.keepsAndOnlyAllows(List.of("x return", "drop"), List.of("drop", "x return"))).isFalse();
        assertThat(Widening.keepsAndOnlyAllows(List.of("x return", "drop"), List.of("y return", "x return", "drop"))).isTrue();
        assertThat(Widening.keepsAndOnlyAllows(List.of("x return", "drop"), List.of("x return", "tcp dport 25 drop", "drop"))).isFalse();
        String isolated = "ether saddr @vnic_macs ether saddr != @macs_sg_a counter name n_v_in_isolation_ip drop";
        String more = "ether saddr @vnic_macs ether saddr != @macs_sg_a ether saddr != @macs_sg_b counter name n_v_in_isolation_ip drop";
        assertThat(Widening.keepsAndOnlyAllows(List.of(isolated, "drop"), List.of(more, "drop"))).as("an isolation drop with one exception more").isTrue();
        assertThat(Widening.keepsAndOnlyAllows(List.of(more, "drop"), List.of(isolated, "drop"))).as("one exception less").isFalse();
        assertThat(Widening.keepsAndOnlyAllows(List.of(isolated), List.of(isolated.replace("@vnic_macs", "@macs_sg_c")))).isFalse();
        assertThat(Widening.keepsAndOnlyAllows(List.of("ether saddr @macs_sg_a accept"), List.of("ether saddr @macs_sg_a ether saddr != @macs_sg_b accept")))
                .as("an exception more where a line allows").isFalse();
    }

    @Property(tries = 80)
    void whatIsCalledWideningNeverDropsAPacketThatWasAllowed(@ForAll long seed) {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        for (int step = 0; step < 8; step++) {
            World next = RandomChanges.change(w, r);
            if (widens(w, next)) {
                for (int i = 0; i < 40 && !w.vnics().isEmpty(); i++) {
                    Packet p = RandomWorlds.packet(w, r);
                    if (p != null && endpointsIn(next, p) && Evaluator.evaluate(w, p).allowed()) {
                        assertThat(Evaluator.evaluate(next, p).allowed()).as("seed %d step %d: %s", seed, step, p).isTrue();
                    }
                }
            }
            w = next;
        }
    }

    private static boolean endpointsIn(World w, Packet p) {
        return List.of(p.from(), p.to()).stream().allMatch(e -> !(e instanceof io.stockade.core.eval.Endpoint.OfVnic v) || w.vnics().containsKey(v.vnicId()));
    }
}
