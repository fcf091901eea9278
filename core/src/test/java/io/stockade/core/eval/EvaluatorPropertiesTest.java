package io.stockade.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Invariants the meaning of security groups must keep, over random worlds and packets. */
class EvaluatorPropertiesTest {

    @Property(tries = 300)
    void addingARuleNeverTurnsAnAllowIntoADrop(@ForAll long seed) {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        World more = RandomWorlds.withExtraRule(w, r);
        for (int i = 0; i < 20; i++) {
            Packet p = RandomWorlds.packet(w, r);
            if (Evaluator.evaluate(w, p).allowed() && !more.policy().egressDefault().equals(io.stockade.core.policy.Policy.Default.DROP_IF_RULES)
                    && !more.policy().ingressDefault().equals(io.stockade.core.policy.Policy.Default.DROP_IF_RULES)) {
                assertThat(Evaluator.evaluate(more, p).allowed()).as("%s", p).isTrue();
            }
        }
    }

    @Property(tries = 300)
    void removingAVnicFromAReferencedGroupNeverWidensAccess(@ForAll long seed) {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        List<Vnic> members = w.vnics().values().stream().filter(v -> !v.securityGroupIds().isEmpty()).toList();
        if (members.isEmpty()) {
            return;
        }
        Vnic v = members.get(r.nextInt(members.size()));
        String g = v.securityGroupIds().get(r.nextInt(v.securityGroupIds().size()));
        // A vnic left in no group gets what the policy gives such vnics, which may be more than its
        // groups' defaults, and is stateful: replies its stateless group judged as new now pass.
        boolean noGroupWidens = java.util.Arrays.stream(io.stockade.core.model.Direction.values())
                .anyMatch(d -> w.policy().noGroupAllows(d) && w.policy().defaultFor(d) != io.stockade.core.policy.Policy.Default.ALLOW);
        boolean leftInNoGroup = v.securityGroupIds().size() == 1;
        if (w.referencingGroups(g).isEmpty() || (leftInNoGroup && (noGroupWidens || !w.groups().get(g).stateful()))) {
            return;
        }
        if (w.policy().ingressDefault() == io.stockade.core.policy.Policy.Default.DROP_IF_RULES
                || w.policy().egressDefault() == io.stockade.core.policy.Policy.Default.DROP_IF_RULES) {
            return;
        }
        List<String> remaining = new ArrayList<>(v.securityGroupIds());
        remaining.remove(g);
        World less = w.toBuilder().vnic(v.withGroups(remaining)).build();
        for (int i = 0; i < 20; i++) {
            Packet p = RandomWorlds.packet(w, r);
            if (!Evaluator.evaluate(w, p).allowed() && involves(p, v.id())) {
                assertThat(Evaluator.evaluate(less, p).allowed()).as("%s", p).isFalse();
            }
        }
    }

    @Property(tries = 200)
    void groupOrderNeverMatters(@ForAll long seed) {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        World.Builder shuffled = w.toBuilder();
        for (Vnic v : w.vnics().values()) {
            List<String> groups = new ArrayList<>(v.securityGroupIds());
            Collections.shuffle(groups, r);
            shuffled.vnic(v.withGroups(groups));
        }
        World s = shuffled.build();
        for (int i = 0; i < 20; i++) {
            Packet p = RandomWorlds.packet(w, r);
            assertThat(Evaluator.evaluate(s, p).allowed()).as("%s", p).isEqualTo(Evaluator.evaluate(w, p).allowed());
        }
    }

    @Property(tries = 200)
    void everyVerdictExplainsItself(@ForAll long seed) {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        Packet p = RandomWorlds.packet(w, r);
        Verdict v = Evaluator.evaluate(w, p);
        assertThat(v.reason().allows()).isEqualTo(v.allowed());
        assertThat(v.trace()).isNotEmpty();
        assertThat(v.trace().get(v.trace().size() - 1)).startsWith(v.allowed() ? "ALLOW" : "DROP");
        if (v.reason() == Reason.RULE) {
            assertThat(v.groupId()).isNotNull();
            assertThat(v.ruleId()).isNotNull();
        }
    }

    private static boolean involves(Packet p, String vnic) {
        return p.from().equals(Endpoint.vnic(vnic)) || p.to().equals(Endpoint.vnic(vnic));
    }
}
