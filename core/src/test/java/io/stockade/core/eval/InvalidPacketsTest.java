package io.stockade.core.eval;

import static io.stockade.core.testing.TestWorld.icmpIn;
import static io.stockade.core.testing.TestWorld.ip;
import static io.stockade.core.testing.TestWorld.tcp;
import static io.stockade.core.testing.TestWorld.tcpFromOutside;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static io.stockade.core.testing.TestWorld.tcpToOutside;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.World;
import io.stockade.core.policy.Policy;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets connection tracking finds invalid, with the knob dropInvalid and without. */
class InvalidPacketsTest {
    private static final Policy OPENSTACK = Policy.profile("openstack");

    private static World web(Policy p) {
        return TestWorld.with(p).group("sg-web", tcpIn(22, 22, "0.0.0.0/0"), icmpIn(-1, -1, "0.0.0.0/0")).vnic("vif-web1", "sg-web").build();
    }

    private static Packet icmpFromOutside(World w, int type, int code) {
        var to = w.vnics().get("vif-web1");
        return Packet.icmp(Endpoint.outside(), Endpoint.vnic("vif-web1"), TestWorld.OUTSIDE_MAC, to.mac(), ip("203.0.113.9"), to.addresses().get(0), type, code);
    }

    @Test
    void aStatefulIngressDropsAnInvalidSegmentEvenToAnOpenPort() {
        World w = web(OPENSTACK);
        Packet open = tcpFromOutside(w, "203.0.113.9", "vif-web1", 22);
        assertThat(Evaluator.evaluate(w, open).allowed()).isTrue();
        Verdict v = Evaluator.evaluate(w, open.withState(FlowState.INVALID));
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).isEqualTo(Reason.INVALID);
        assertThat(v.trace()).anyMatch(l -> l.contains("knob dropInvalid=true"));
    }

    @Test
    void withoutTheKnobRulesJudgeAnInvalidPacketAsNew() {
        World w = web(OPENSTACK.with("dropInvalid", "false"));
        assertThat(Evaluator.evaluate(w, tcpFromOutside(w, "203.0.113.9", "vif-web1", 22).withState(FlowState.INVALID)).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, icmpFromOutside(w, 3, 3)).allowed()).isTrue();
        assertThat(Policy.wakame().dropInvalid()).as("Wakame-vdc's icmp:3,0 opens unsolicited unreachables").isFalse();
    }

    @Test
    void icmpThatIsNoRequestOpensNoFlow() {
        World w = web(OPENSTACK);
        assertThat(Evaluator.evaluate(w, icmpFromOutside(w, 8, 0)).allowed()).as("echo request").isTrue();
        assertThat(Evaluator.evaluate(w, icmpFromOutside(w, 3, 3)).reason()).as("port unreachable of no flow").isEqualTo(Reason.INVALID);
        assertThat(Evaluator.evaluate(w, icmpFromOutside(w, 0, 0)).reason()).as("echo reply of no request").isEqualTo(Reason.INVALID);
        var to = w.vnics().get("vif-web1");
        Packet unreachable6 = Packet.icmp(Endpoint.outside(), Endpoint.vnic("vif-web1"), TestWorld.OUTSIDE_MAC, to.mac(), ip("2001:db8:2::7"),
                to.addresses().get(1), 1, 4);
        assertThat(Evaluator.evaluate(w.toBuilder().group(w.groups().get("sg-web").withRules(List.of(
                TestWorld.rule(Direction.INGRESS, new Match.Icmp(-1, -1), "::/0")))).build(),
                unreachable6).reason()).as("ICMPv6 port unreachable of no flow").isEqualTo(Reason.INVALID);
    }

    @Test
    void aStatelessGroupJudgesInvalidPacketsByItsRules() {
        World w = TestWorld.with(OPENSTACK).statelessGroup("sg-sl", tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-web1", "sg-sl").build();
        assertThat(Evaluator.evaluate(w, tcpFromOutside(w, "203.0.113.9", "vif-web1", 22).withState(FlowState.INVALID)).allowed()).isTrue();
    }

    @Test
    void aDirectionThatDropsNothingLetsInvalidPacketsPass() {
        World w = web(Policy.wakame().with("dropInvalid", "true"));
        Packet out = tcpToOutside(w, "vif-web1", "203.0.113.9", 443).withState(FlowState.INVALID);
        assertThat(Evaluator.evaluate(w, out).allowed()).as("wakame allows all egress").isTrue();
        assertThat(Evaluator.evaluate(w, tcpFromOutside(w, "203.0.113.9", "vif-web1", 22).withState(FlowState.INVALID)).reason())
                .isEqualTo(Reason.INVALID);
    }

    @Test
    void membersOfOneGroupHaveFullAccessInvalidOrNot() {
        World w = TestWorld.with(Policy.wakame().with("dropInvalid", "true")).group("sg-db").vnic("vif-db1", "sg-db").vnic("vif-db2", "sg-db").build();
        assertThat(Evaluator.evaluate(w, tcp(w, "vif-db1", "vif-db2", 5432).withState(FlowState.INVALID)).reason()).isEqualTo(Reason.SAME_GROUP);
    }

    @Test
    void anEgressThatFiltersDropsInvalidPackets() {
        World w = web(OPENSTACK);
        Packet out = tcpToOutside(w, "vif-web1", "203.0.113.9", 443);
        assertThat(Evaluator.evaluate(w, out).allowed()).as("no egress rule: dropped anyway").isFalse();
        World open = TestWorld.with(OPENSTACK).group("sg-web", TestWorld.rule(Direction.EGRESS,
                new Match.AnyProtocol(), "0.0.0.0/0")).vnic("vif-web1", "sg-web").build();
        Packet allowed = tcpToOutside(open, "vif-web1", "203.0.113.9", 443);
        assertThat(Evaluator.evaluate(open, allowed).allowed()).isTrue();
        Verdict v = Evaluator.evaluate(open, allowed.withState(FlowState.INVALID));
        assertThat(v.reason()).isEqualTo(Reason.INVALID);
        assertThat(v.trace()).anyMatch(l -> l.startsWith("egress:"));
    }
}
