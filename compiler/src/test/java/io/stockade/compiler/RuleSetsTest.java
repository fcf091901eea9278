package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Rule;
import io.stockade.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSetsTest {
    private static RuleSets.Compiled ingress(List<Rule> rules) {
        return RuleSets.of("in_sg_a", Direction.INGRESS, rules, Map.of());
    }

    private static NftSet set(RuleSets.Compiled c, String name) {
        return c.sets().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> elements(RuleSets.Compiled c, String name) {
        return set(c, name).elements().stream().map(Render::element).toList();
    }

    private static List<String> lines(RuleSets.Compiled c) {
        return c.lines().stream().map(Render::rule).toList();
    }

    /** Single ports go to one hash set per prefix length, looked up masked; ranges to one interval set, looked up last. */
    @Test
    void exactRulesAreHashSetsPerPrefixLengthAndRangesOneIntervalSet() {
        RuleSets.Compiled c = ingress(List.of(
                TestWorld.tcpIn(22, 22, "198.51.100.0/30"), TestWorld.tcpIn(25, 25, "198.51.100.8/30"),
                TestWorld.tcpIn(80, 80, "192.0.2.11/32"), TestWorld.udpIn(53, 54, "192.0.2.12/32"),
                TestWorld.tcpIn(1000, 2000, "203.0.113.0/24")));
        assertThat(lines(c)).containsExactly(
                "ip saddr . meta l4proto . th dport @in_sg_a_4px return",
                "ip saddr & 255.255.255.252 . meta l4proto . th dport @in_sg_a_4px_m30 return",
                "ip saddr . meta l4proto . th dport @in_sg_a_4p return");
        assertThat(set(c, "in_sg_a_4px").interval()).isFalse();
        // The two neighbouring ports Boxes merges into 53-54 are two elements again.
        assertThat(elements(c, "in_sg_a_4px")).containsExactlyInAnyOrder("192.0.2.11 . 6 . 80", "192.0.2.12 . 17 . 53", "192.0.2.12 . 17 . 54");
        assertThat(elements(c, "in_sg_a_4px_m30")).containsExactlyInAnyOrder("198.51.100.0 . 6 . 22", "198.51.100.8 . 6 . 25");
        assertThat(set(c, "in_sg_a_4p").interval()).isTrue();
        assertThat(elements(c, "in_sg_a_4p")).containsExactly("203.0.113.0/24 . 6 . 1000-2000");
    }

    /** Beyond the most populous prefix lengths, exact rules join the interval set: each hash set is one more lookup. */
    @Test
    void atMostAFewHashSetsPerKind() {
        List<Rule> rules = new ArrayList<>();
        for (int length = 20; length <= 26; length++) {
            for (int i = 0; i <= 26 - length; i++) { // the longer the prefix, the fewer its rules
                rules.add(TestWorld.tcpIn(1000 + length * 10 + i, 1000 + length * 10 + i, "198.51.96.0/" + length));
            }
        }
        RuleSets.Compiled c = ingress(rules);
        assertThat(c.sets()).filteredOn(s -> !s.interval()).extracting(NftSet::name)
                .containsExactlyInAnyOrder("in_sg_a_4px_m20", "in_sg_a_4px_m21", "in_sg_a_4px_m22", "in_sg_a_4px_m23");
        assertThat(RuleSets.MAX_HASH_PARTS).isEqualTo(4);
        assertThat(elements(c, "in_sg_a_4p")).hasSize(3 + 2 + 1);
        assertThat(lines(c)).last().isEqualTo("ip saddr . meta l4proto . th dport @in_sg_a_4p return");
    }
}
