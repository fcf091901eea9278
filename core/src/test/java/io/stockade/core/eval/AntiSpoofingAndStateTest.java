package io.stockade.core.eval;

import static io.stockade.core.testing.TestWorld.ip;
import static io.stockade.core.testing.TestWorld.mac;
import static io.stockade.core.testing.TestWorld.tcp;
import static io.stockade.core.testing.TestWorld.tcpFromOutside;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static io.stockade.core.testing.TestWorld.tcpToOutside;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Network;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import org.junit.jupiter.api.Test;

class AntiSpoofingAndStateTest {
    private final World w = TestWorld.wakame().group("sg-a", tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-a1", "sg-a").vnic("vif-a2", "sg-a").build();
    private final Vnic a = w.vnics().get("vif-a1");

    @Test
    void aVnicSendsOnlyWithItsOwnMacAndAddresses() {
        Packet good = tcpToOutside(w, "vif-a1", "203.0.113.9", 80);
        assertThat(Evaluator.evaluate(w, good).allowed()).isTrue();
        Packet otherMac = Packet.tcp(good.from(), good.to(), mac("52:54:00:99:99:99"), good.dstMac(), good.srcIp(), good.dstIp(), 1000, 80);
        assertThat(Evaluator.evaluate(w, otherMac).reason()).isEqualTo(Reason.ANTI_SPOOFING);
        Packet otherIp = Packet.tcp(good.from(), good.to(), a.mac(), good.dstMac(), ip("192.0.2.99"), good.dstIp(), 1000, 80);
        assertThat(Evaluator.evaluate(w, otherIp).reason()).isEqualTo(Reason.ANTI_SPOOFING);
        Packet arpSpoof = Packet.arp(good.from(), Endpoint.vnic("vif-a2"), a.mac(), ip("192.0.2.99"), ip("192.0.2.11"));
        assertThat(Evaluator.evaluate(w, arpSpoof).reason()).isEqualTo(Reason.ANTI_SPOOFING);
        Packet v6 = Packet.tcp(good.from(), good.to(), a.mac(), good.dstMac(), ip("2001:db8:1::a"), ip("2001:db8:2::1"), 1000, 80);
        assertThat(Evaluator.evaluate(w, v6).allowed()).isTrue();
        Packet linkLocal = Packet.icmp(good.from(), Endpoint.vnic("vif-a2"), a.mac(), w.vnics().get("vif-a2").mac(), Ip.linkLocal(a.mac()), ip("ff02::1"), 135, 0);
        assertThat(Evaluator.evaluate(w, linkLocal).allowed()).isTrue();
        Packet otherLinkLocal = Packet.icmp(good.from(), Endpoint.vnic("vif-a2"), a.mac(), w.vnics().get("vif-a2").mac(), ip("fe80::1"), ip("ff02::1"), 135, 0);
        assertThat(Evaluator.evaluate(w, otherLinkLocal).reason()).isEqualTo(Reason.ANTI_SPOOFING);
    }

    @Test
    void aVnicIsNeitherDhcpServerNorRouter() {
        Packet dhcpOffer = Packet.udp(Endpoint.vnic("vif-a1"), Endpoint.vnic("vif-a2"), a.mac(), w.vnics().get("vif-a2").mac(), a.addresses().get(0), ip("192.0.2.11"), 67, 68);
        assertThat(Evaluator.evaluate(w, dhcpOffer).reason()).isEqualTo(Reason.ANTI_SPOOFING);
        Packet ra = Packet.icmp(Endpoint.vnic("vif-a1"), Endpoint.vnic("vif-a2"), a.mac(), w.vnics().get("vif-a2").mac(), Ip.linkLocal(a.mac()), ip("ff02::1"), 134, 0);
        assertThat(Evaluator.evaluate(w, ra).reason()).isEqualTo(Reason.ANTI_SPOOFING);
    }

    @Test
    void unknownAndUnplacedPortsAreDropped() {
        Packet p = tcp(w, "vif-a1", "vif-a2", 22);
        Packet unknown = new Packet(Endpoint.vnic("vif-nope"), p.to(), p.kind(), p.srcMac(), p.dstMac(), p.srcIp(), p.dstIp(), p.protocol(), 1, 22, -1, -1, FlowState.NEW);
        assertThat(Evaluator.evaluate(w, unknown).reason()).isEqualTo(Reason.UNKNOWN_PORT);
        World unplaced = w.toBuilder().vnic(a.withHost(null, null)).build();
        assertThat(Evaluator.evaluate(unplaced, p).reason()).isEqualTo(Reason.UNKNOWN_PORT);
    }

    @Test
    void statelessGroupsJudgeRepliesByTheirRules() {
        World sl = TestWorld.wakame().statelessGroup("sg-s", tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-s1", "sg-s").build();
        Packet in = tcpFromOutside(sl, "203.0.113.9", "vif-s1", 22);
        assertThat(Evaluator.evaluate(sl, in).allowed()).isTrue();
        // The vnic's outgoing connection: egress allowed, but the reply needs an ingress rule.
        Packet out = tcpToOutside(sl, "vif-s1", "203.0.113.9", 443);
        Packet reply = out.reversed().withState(FlowState.REPLY);
        assertThat(Evaluator.evaluate(sl, reply).reason()).isEqualTo(Reason.NO_RULE);
        World stateful = TestWorld.wakame().group("sg-s", tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-s1", "sg-s").build();
        assertThat(Evaluator.evaluate(stateful, reply).reason()).isEqualTo(Reason.ESTABLISHED);
    }

    @Test
    void networkModes() {
        Network base = w.networks().get(TestWorld.NETWORK);
        World passthrough = w.toBuilder().network(new Network(base.id(), base.name(), base.subnets(), base.gateways(), base.dhcpServers(),
                base.dnsServers(), base.routerMacs(), FirewallMode.PASSTHROUGH)).build();
        assertThat(Evaluator.evaluate(passthrough, tcpFromOutside(passthrough, "203.0.113.9", "vif-a1", 3389)).reason()).isEqualTo(Reason.UNFILTERED);
        World isoOnly = TestWorld.wakame().group("sg-a").group("sg-b").vnic("vif-a1", "sg-a").vnic("vif-b1", "sg-b").build();
        Network n = isoOnly.networks().get(TestWorld.NETWORK);
        isoOnly = isoOnly.toBuilder().network(new Network(n.id(), n.name(), n.subnets(), n.gateways(), n.dhcpServers(), n.dnsServers(),
                n.routerMacs(), FirewallMode.ISOLATION_ONLY)).build();
        assertThat(Evaluator.evaluate(isoOnly, tcpFromOutside(isoOnly, "203.0.113.9", "vif-a1", 3389)).allowed()).isTrue();
        assertThat(Evaluator.evaluate(isoOnly, tcp(isoOnly, "vif-a1", "vif-b1", 3389)).reason()).isEqualTo(Reason.ISOLATION);
    }

    @Test
    void portSecurityOffMeansNoFiltering() {
        Vnic open = new Vnic("vif-o1", TestWorld.PROJECT, "o", null, TestWorld.HOST, "tapo1", mac("52:54:00:00:01:01"),
                List.of(ip("192.0.2.77")), TestWorld.NETWORK, List.of(), false);
        World ow = w.toBuilder().vnic(open).build();
        assertThat(Evaluator.evaluate(ow, tcpFromOutside(ow, "203.0.113.9", "vif-o1", 3389)).reason()).isEqualTo(Reason.UNFILTERED);
    }
}
