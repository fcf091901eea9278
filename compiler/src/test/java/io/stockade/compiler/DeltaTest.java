package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Rule;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.policy.Policy;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaTest {
    /** A vnic of another host joining a referenced group changes set elements only, on the hosts that reference it. */
    @Test
    void aRemoteMembershipChangeIsElementChangesOnly() {
        World a = DatabaseExample.world("sg-dbclnts");
        Vnic remote = DatabaseExample.farVnic(true);
        World b = a.toBuilder().vnic(remote).build();
        World c = b.toBuilder().vnic(remote.withGroups(List.of("sg-web", "sg-dbclnts"))).build();
        String delta = Render.delta(Compiler.compile(b, TestWorld.HOST), Compiler.compile(c, TestWorld.HOST)).orElseThrow();
        assertThat(delta.lines()).isNotEmpty().allMatch(l -> l.startsWith("add element ") || l.startsWith("delete element "));
        assertThat(delta).contains("add element inet stockade ref_sg_dbclnts_v4 { 192.0.2.99 }");
        assertThat(delta).contains("add element bridge stockade macs_sg_dbclnts { 52:54:00:00:09:99 }");
    }

    @Test
    void noChangeIsAnEmptyDelta() {
        World a = DatabaseExample.world("sg-dbclnts");
        assertThat(Render.delta(Compiler.compile(a, TestWorld.HOST), Compiler.compile(a, TestWorld.HOST)).orElseThrow()).isEmpty();
    }

    /**
     * A set of exact elements is a hash; a range that swallows them makes it an interval set under
     * another name, which a delta adds beside the old one, points the chain at, then deletes.
     */
    @Test
    void aSetTurningIntoAnIntervalSetIsANewSetInTheDelta() {
        World exact = TestWorld.wakame().group("sg-a", TestWorld.tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-a1", "sg-a").build();
        World ranged = TestWorld.wakame().group("sg-a", TestWorld.tcpIn(22, 22, "0.0.0.0/0"), TestWorld.tcpIn(20, 30, "0.0.0.0/0"))
                .vnic("vif-a1", "sg-a").build();
        HostState a = Compiler.compile(exact, TestWorld.HOST);
        HostState b = Compiler.compile(ranged, TestWorld.HOST);
        assertThat(Render.full(a)).contains("add set inet stockade in_sg_a_4px_any { type inet_proto . inet_service; }");
        String delta = Render.delta(a, b).orElseThrow();
        assertThat(delta).contains("add set inet stockade in_sg_a_4p_any { type inet_proto . inet_service; flags interval; }",
                "add element inet stockade in_sg_a_4p_any { 6 . 20-30 }",
                "add rule inet stockade in_vif_a1 meta nfproto ipv4 meta l4proto . th dport @in_sg_a_4p_any return",
                "delete set inet stockade in_sg_a_4px_any");
        assertThat(delta.indexOf("delete set")).isGreaterThan(delta.indexOf("add rule"));
    }

    /**
     * A direction that drops nothing has no chain and no dispatch (CloudStack's egress is open until
     * a group has egress rules); the first rule that restricts it brings both.
     */
    @Test
    void aDirectionIsDispatchedOnlyWhenItDropsSomething() {
        Policy cloudstack = Policy.profile("cloudstack");
        Rule ssh = TestWorld.tcpIn(22, 22, "0.0.0.0/0");
        Rule https = TestWorld.rule(Direction.EGRESS, new Match.Ports(Match.TCP, 443, 443), "198.51.100.0/24");
        World open = TestWorld.with(cloudstack).group("sg-a", ssh).vnic("vif-a1", "sg-a").build();
        World closed = TestWorld.with(cloudstack).group("sg-a", ssh, https).vnic("vif-a1", "sg-a").build();
        String full = Render.full(Compiler.compile(open, TestWorld.HOST));
        assertThat(full).doesNotContain("eg_vif_a1").doesNotContain("vmap @egress").contains("vmap @ingress");
        String wakame = Render.full(Compiler.compile(TestWorld.wakame().group("sg-a", ssh, https).vnic("vif-a1", "sg-a").build(), TestWorld.HOST));
        assertThat(wakame).as("Wakame's egress is open: egress rules change nothing, and nothing of them is loaded")
                .doesNotContain("eg_vif_a1").doesNotContain("eg_sg_a");
        String delta = Render.delta(Compiler.compile(open, TestWorld.HOST), Compiler.compile(closed, TestWorld.HOST)).orElseThrow();
        assertThat(delta).contains("add chain inet stockade eg_vif_a1", "add rule inet stockade forward ether saddr vmap @egress",
                "add rule inet stockade eg_vif_a1 update @drop_eg_no_rule { ether saddr } drop", "add element inet stockade drop_eg_no_rule {");
    }

    /** Rules are set elements: adding rules adds elements, never rule lines. */
    @Test
    void moreRulesMeanMoreElementsNotMoreRuleLines() {
        World few = TestWorld.wakame().group("sg-a", TestWorld.tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-a1", "sg-a").build();
        var many = TestWorld.wakame();
        var rules = new java.util.ArrayList<Rule>();
        for (int i = 0; i < 500; i++) {
            rules.add(TestWorld.tcpIn(1000 + i * 2, 1000 + i * 2, "198.51." + (i % 200) + ".0/24"));
        }
        World big = many.group("sg-a", rules.toArray(Rule[]::new)).vnic("vif-a1", "sg-a").build();
        HostState s1 = Compiler.compile(few, TestWorld.HOST);
        HostState s2 = Compiler.compile(big, TestWorld.HOST);
        assertThat(s2.ruleLineCount()).isEqualTo(s1.ruleLineCount());
        assertThat(s2.elementCount()).isGreaterThan(s1.elementCount() + 400);
    }

    /** Switching a group's drop logging on adds log chains and rewrites only the verdict rules; what counts the drops stays. */
    @Test
    void switchingDropLoggingKeepsWhatCounts() {
        World off = DatabaseExample.world("sg-dbclnts");
        World on = off.toBuilder().group(off.groups().get("sg-dbsrv").withLogDrops(true)).build();
        HostState a = Compiler.compile(off, TestWorld.HOST);
        HostState b = Compiler.compile(on, TestWorld.HOST);
        String delta = Render.delta(a, b).orElseThrow();
        assertThat(delta).contains("add chain inet stockade log_vif_db1_in_no_rule", "add chain bridge stockade log_vif_db1_eg_spoofing")
                .contains("add rule inet stockade log_vif_db1_in_no_rule limit rate 10/second burst 20 packets log group 750 snaplen 96 queue-threshold 1 prefix \"stockade vif-db1 ingress no-rule\"")
                .contains("add rule inet stockade in_vif_db1 meta mark set " + mark(b, "vif-db1") + " update @drop_in_no_rule { meta mark } goto log_vif_db1_in_no_rule")
                .contains("add rule bridge stockade src_vif_db1 ether saddr != 52:54:00:00:00:0a update @drop_spoofing { iifname } goto log_vif_db1_eg_spoofing")
                .doesNotContain("element", "log_vif_app1");
        assertThat(b.table("inet").tallies()).isEqualTo(a.table("inet").tallies());
        assertThat(b.table("bridge").tallies()).isEqualTo(a.table("bridge").tallies());
        String back = Render.delta(b, a).orElseThrow();
        assertThat(back).contains("delete chain inet stockade log_vif_db1_in_no_rule").doesNotContain("element");
    }

    /** A vnic's mark, as the dispatch by mark has it. */
    private static String mark(HostState s, String vnicId) {
        String chain = "goto in_" + vnicId.replace('-', '_');
        return s.table("inet").setsByName().get("ingress").elements().stream()
                .filter(e -> Render.element(e).endsWith(chain)).findFirst().orElseThrow().key().get(0);
    }
}
