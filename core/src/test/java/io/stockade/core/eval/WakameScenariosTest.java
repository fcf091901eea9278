package io.stockade.core.eval;

import static io.stockade.core.testing.TestWorld.arp;
import static io.stockade.core.testing.TestWorld.icmpFromGroup;
import static io.stockade.core.testing.TestWorld.icmpIn;
import static io.stockade.core.testing.TestWorld.ping;
import static io.stockade.core.testing.TestWorld.pingFromOutside;
import static io.stockade.core.testing.TestWorld.tcp;
import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static io.stockade.core.testing.TestWorld.tcpFromOutside;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static io.stockade.core.testing.TestWorld.udpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import org.junit.jupiter.api.Test;

/** The examples of Wakame-vdc's documentation and acceptance scenarios, under the wakame profile. */
class WakameScenariosTest {

    @Test
    void port22FromAnywhere() {
        World w = TestWorld.wakame().group("sg-web", tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-web1", "sg-web").build();
        Verdict v = Evaluator.evaluate(w, tcpFromOutside(w, "203.0.113.7", "vif-web1", 22));
        assertThat(v.allowed()).isTrue();
        assertThat(v.reason()).isEqualTo(Reason.RULE);
        assertThat(v.groupId()).isEqualTo("sg-web");
        assertThat(v.trace()).anyMatch(l -> l.contains("allowed by rule") && l.contains("sg-web"));
        assertThat(Evaluator.evaluate(w, tcpFromOutside(w, "203.0.113.7", "vif-web1", 23)).reason()).isEqualTo(Reason.NO_RULE);
    }

    @Test
    void portRangeFromALocalNetwork() {
        World w = TestWorld.wakame().group("sg-app", tcpIn(1024, 2048, "198.51.100.0/24")).vnic("vif-app1", "sg-app").build();
        assertThat(Evaluator.evaluate(w, tcpFromOutside(w, "198.51.100.9", "vif-app1", 1024)).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, tcpFromOutside(w, "198.51.100.9", "vif-app1", 2048)).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, tcpFromOutside(w, "198.51.100.9", "vif-app1", 2049)).allowed()).isFalse();
        assertThat(Evaluator.evaluate(w, tcpFromOutside(w, "203.0.113.9", "vif-app1", 1500)).allowed()).isFalse();
    }

    @Test
    void udp53FromOneDnsServer() {
        World w = TestWorld.wakame().group("sg-dns", udpIn(53, 53, "198.51.100.53/32")).vnic("vif-ns1", "sg-dns").build();
        var to = w.vnics().get("vif-ns1");
        Packet ok = Packet.udp(Endpoint.outside(), Endpoint.vnic("vif-ns1"), TestWorld.OUTSIDE_MAC, to.mac(), TestWorld.ip("198.51.100.53"), to.addresses().get(0), 5353, 53);
        Packet other = Packet.udp(Endpoint.outside(), Endpoint.vnic("vif-ns1"), TestWorld.OUTSIDE_MAC, to.mac(), TestWorld.ip("198.51.100.54"), to.addresses().get(0), 5353, 53);
        assertThat(Evaluator.evaluate(w, ok).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, other).allowed()).isFalse();
    }

    @Test
    void allIcmpAndOneTypeCode() {
        World w = TestWorld.wakame()
                .group("sg-all", icmpIn(-1, -1, "0.0.0.0/0"))
                .group("sg-one", icmpIn(3, 0, "192.0.2.200/32"))
                .vnic("vif-a1", "sg-all").vnic("vif-b1", "sg-one").build();
        assertThat(Evaluator.evaluate(w, pingFromOutside(w, "203.0.113.1", "vif-a1")).allowed()).isTrue();
        var b = w.vnics().get("vif-b1");
        Packet unreachable = Packet.icmp(Endpoint.outside(), Endpoint.vnic("vif-b1"), TestWorld.OUTSIDE_MAC, b.mac(), TestWorld.ip("192.0.2.200"), b.addresses().get(0), 3, 0);
        Packet wrongCode = Packet.icmp(Endpoint.outside(), Endpoint.vnic("vif-b1"), TestWorld.OUTSIDE_MAC, b.mac(), TestWorld.ip("192.0.2.200"), b.addresses().get(0), 3, 1);
        assertThat(Evaluator.evaluate(w, unreachable).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, wrongCode).allowed()).isFalse();
        assertThat(Evaluator.evaluate(w, pingFromOutside(w, "192.0.2.200", "vif-b1")).allowed()).isFalse();
    }

    @Test
    void isolationComesBeforeCidrRules() {
        World w = TestWorld.wakame()
                .group("sg-a", icmpIn(-1, -1, "0.0.0.0/0"))
                .group("sg-b", icmpIn(-1, -1, "0.0.0.0/0"))
                .vnic("vif-a1", "sg-a").vnic("vif-b1", "sg-b").build();
        Verdict ping = Evaluator.evaluate(w, ping(w, "vif-a1", "vif-b1"));
        assertThat(ping.allowed()).isFalse();
        assertThat(ping.reason()).isEqualTo(Reason.ISOLATION);
        assertThat(ping.trace()).anyMatch(l -> l.contains("knob isolation=true"));
        assertThat(Evaluator.evaluate(w, arp(w, "vif-a1", "vif-b1")).reason()).isEqualTo(Reason.ISOLATION);
        // ...while the same rule opens ping from outside.
        assertThat(Evaluator.evaluate(w, pingFromOutside(w, "203.0.113.1", "vif-b1")).allowed()).isTrue();
    }

    @Test
    void sameGroupHasFullAccess() {
        World w = TestWorld.wakame().group("sg-a").vnic("vif-a1", "sg-a").vnic("vif-a2", "sg-a").build();
        assertThat(Evaluator.evaluate(w, tcp(w, "vif-a1", "vif-a2", 9999)).reason()).isEqualTo(Reason.SAME_GROUP);
        assertThat(Evaluator.evaluate(w, ping(w, "vif-a2", "vif-a1")).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, arp(w, "vif-a1", "vif-a2")).allowed()).isTrue();
    }

    @Test
    void databaseServerOpens3306ToItsClientsOnly() {
        World w = TestWorld.wakame()
                .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts"))
                .group("sg-dbclnts")
                .group("sg-other")
                .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").vnic("vif-x1", "sg-other").build();
        Verdict v = Evaluator.evaluate(w, tcp(w, "vif-app1", "vif-db1", 3306));
        assertThat(v.allowed()).isTrue();
        assertThat(v.groupId()).isEqualTo("sg-dbsrv");
        assertThat(Evaluator.evaluate(w, tcp(w, "vif-app1", "vif-db1", 22)).reason()).isEqualTo(Reason.NO_RULE);
        assertThat(Evaluator.evaluate(w, ping(w, "vif-app1", "vif-db1")).allowed()).isFalse();
        // The reference connects the two: ARP passes both ways, but the server does not reach the client.
        assertThat(Evaluator.evaluate(w, arp(w, "vif-db1", "vif-app1")).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, tcp(w, "vif-db1", "vif-app1", 3306)).reason()).isEqualTo(Reason.NO_RULE);
        // A third group reaches nothing.
        assertThat(Evaluator.evaluate(w, tcp(w, "vif-x1", "vif-db1", 3306)).reason()).isEqualTo(Reason.ISOLATION);
    }

    @Test
    void aClientJoiningAndLeavingTheClientsGroup() {
        TestWorld base = TestWorld.wakame().group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts")).group("sg-dbclnts").group("sg-web")
                .vnic("vif-db1", "sg-dbsrv");
        World before = base.vnic("vif-new1", "sg-web").build();
        assertThat(Evaluator.evaluate(before, tcp(before, "vif-new1", "vif-db1", 3306)).allowed()).isFalse();
        World joined = before.toBuilder().vnic(before.vnics().get("vif-new1").withGroups(java.util.List.of("sg-web", "sg-dbclnts"))).build();
        assertThat(Evaluator.evaluate(joined, tcp(joined, "vif-new1", "vif-db1", 3306)).allowed()).isTrue();
        World left = joined.toBuilder().vnic(joined.vnics().get("vif-new1").withGroups(java.util.List.of("sg-web"))).build();
        assertThat(Evaluator.evaluate(left, tcp(left, "vif-new1", "vif-db1", 3306)).allowed()).isFalse();
    }

    @Test
    void icmpReferenceLetsMembersPing() {
        World w = TestWorld.wakame().group("sg-b", icmpFromGroup("sg-c")).group("sg-c").vnic("vif-b1", "sg-b").vnic("vif-c1", "sg-c").build();
        assertThat(Evaluator.evaluate(w, ping(w, "vif-c1", "vif-b1")).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, ping(w, "vif-b1", "vif-c1")).allowed()).isFalse();
    }

    @Test
    void aVnicInTwoGroupsReachesMembersOfBoth() {
        World w = TestWorld.wakame().group("sg-a").group("sg-b")
                .vnic("vif-ab", "sg-a", "sg-b").vnic("vif-a1", "sg-a").vnic("vif-b1", "sg-b").build();
        assertThat(Evaluator.evaluate(w, tcp(w, "vif-ab", "vif-a1", 80)).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, tcp(w, "vif-ab", "vif-b1", 80)).allowed()).isTrue();
        assertThat(Evaluator.evaluate(w, tcp(w, "vif-a1", "vif-b1", 80)).reason()).isEqualTo(Reason.ISOLATION);
    }

    @Test
    void repliesOfAllowedFlowsPassAndRevocationCutsThem() {
        World w = TestWorld.wakame().group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts")).group("sg-dbclnts")
                .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").build();
        Packet reply = tcp(w, "vif-app1", "vif-db1", 3306).reversed().withState(FlowState.REPLY);
        assertThat(Evaluator.evaluate(w, reply).reason()).isEqualTo(Reason.ESTABLISHED);
        World revoked = w.toBuilder().group(w.groups().get("sg-dbsrv").withRules(java.util.List.of())).build();
        assertThat(Evaluator.evaluate(revoked, reply).allowed()).isFalse();
        assertThat(Evaluator.evaluate(revoked, tcp(revoked, "vif-app1", "vif-db1", 3306).withState(FlowState.ESTABLISHED)).allowed()).isFalse();
    }
}
