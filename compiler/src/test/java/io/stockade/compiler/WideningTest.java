package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import java.util.Map;
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
        NftRule x = NftRule.of(Verdict.RETURN, NftRule.is("tcp dport", "22"));
        NftRule y = NftRule.of(Verdict.RETURN, NftRule.is("tcp dport", "80"));
        NftRule drop = NftRule.of(Verdict.DROP);
        assertThat(keeps(List.of(x, drop), List.of(drop, x))).isFalse();
        assertThat(keeps(List.of(x, drop), List.of(y, x, drop))).isTrue();
        assertThat(keeps(List.of(x, drop), List.of(x, NftRule.of(Verdict.DROP, NftRule.is("tcp dport", "25")), drop))).isFalse();
        NftRule isolated = NftRule.of(Verdict.DROP, NftRule.in("ether saddr", "vnic_macs"), NftRule.notIn("ether saddr", "macs_sg_a"));
        NftRule more = NftRule.of(Verdict.DROP, NftRule.in("ether saddr", "vnic_macs"), NftRule.notIn("ether saddr", "macs_sg_a"),
                NftRule.notIn("ether saddr", "macs_sg_b"));
        assertThat(keeps(List.of(isolated, drop), List.of(more, drop))).as("an isolation drop with one exception more").isTrue();
        assertThat(keeps(List.of(more, drop), List.of(isolated, drop))).as("one exception less").isFalse();
        NftRule otherSet = NftRule.of(Verdict.DROP, NftRule.in("ether saddr", "macs_sg_c"), NftRule.notIn("ether saddr", "macs_sg_a"));
        assertThat(keeps(List.of(isolated), List.of(otherSet))).isFalse();
        assertThat(keeps(List.of(NftRule.of(Verdict.ACCEPT, NftRule.in("ether saddr", "macs_sg_a"))),
                List.of(NftRule.of(Verdict.ACCEPT, NftRule.in("ether saddr", "macs_sg_a"), NftRule.notIn("ether saddr", "macs_sg_b")))))
                .as("an exception more where a rule allows").isFalse();
        NftChain log = new NftChain("log_v_in_isolation", null, List.of(NftRule.of(Verdict.CONTINUE, new NftRule.Log(750, 96, 1, "p")), drop));
        NftRule logged = new NftRule(isolated.exprs(), new Verdict.Goto(log.name()));
        NftRule loggedMore = new NftRule(more.exprs(), new Verdict.Goto(log.name()));
        assertThat(Widening.keepsAndOnlyAllows(List.of(logged), List.of(loggedMore), Map.of(log.name(), log)))
                .as("a logged drop with one exception more").isTrue();
        assertThat(keeps(List.of(logged), List.of(loggedMore))).as("a goto to a chain not known to drop").isFalse();
        NftRule marks = NftRule.of(Verdict.ACCEPT, new NftRule.MarkSet(7));
        NftRule marksSameGroup = NftRule.of(Verdict.ACCEPT, new NftRule.MarkSet(Marks.SAME_GROUP | 7));
        assertThat(keeps(List.of(drop), List.of(marks, drop))).as("an allowing rule that marks a destination").isFalse();
        assertThat(keeps(List.of(drop), List.of(marksSameGroup, drop))).as("an allowing rule that marks same group").isTrue();
    }

    private static boolean keeps(List<NftRule> old, List<NftRule> next) {
        return Widening.keepsAndOnlyAllows(old, next, Map.of());
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
