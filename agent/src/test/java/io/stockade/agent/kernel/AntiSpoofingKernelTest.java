package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.World;
import io.stockade.core.net.IpVersion;
import io.stockade.core.testing.TestWorld;
import org.junit.jupiter.api.Test;

/**
 * A vnic sends only with its own addresses and never as a DHCP server, even to a vnic that lets
 * it in fully (same group): forged packets meet the anti-spoofing checks, and the kernel agrees
 * with the evaluator on each.
 */
@RequiresRoot
class AntiSpoofingKernelTest extends KernelFixture {
    private static void expect(World w, Packet p, boolean allowed) {
        assertThat(Evaluator.evaluate(w, p).allowed()).as("evaluator: %s", p).isEqualTo(allowed);
        assertThat(net.deliver(w, p, allowed)).as("kernel: %s", p).isEqualTo(allowed);
    }

    @Test
    void forgedSourcesAndRogueDhcpServersAreDropped() {
        World w = TestWorld.wakame().group("sg-all").vnic("vif-a1", "sg-all").vnic("vif-b1", "sg-all").build();
        dataplane.applyFull(w);
        net.flushConntrack();
        Packet own = TestWorld.tcp(w, "vif-a1", "vif-b1", 5000);
        expect(w, own, true);

        net.addAddress(w, "vif-a1", "192.0.2.99/32");
        expect(w, Packet.tcp(own.from(), own.to(), own.srcMac(), own.dstMac(), TestWorld.ip("192.0.2.99"), own.dstIp(), 40001, 5000), false);

        Packet own6 = TestWorld.tcp(w, "vif-a1", "vif-b1", 5000, IpVersion.V6);
        expect(w, own6, true);
        net.addAddress(w, "vif-a1", "2001:db8:1::99/128");
        expect(w, Packet.tcp(own6.from(), own6.to(), own6.srcMac(), own6.dstMac(), TestWorld.ip("2001:db8:1::99"), own6.dstIp(), 40002, 5000), false);

        // A DHCP server's source port from a vnic is refused; the same port pair the other way round passes.
        Packet dhcp = Packet.udp(own.from(), own.to(), own.srcMac(), own.dstMac(), own.srcIp(), own.dstIp(), 67, 68);
        expect(w, dhcp, false);
        expect(w, Packet.udp(own.from(), own.to(), own.srcMac(), own.dstMac(), own.srcIp(), own.dstIp(), 68, 67), true);

        // ARP with another sender address gets no answer; with its own it does.
        String target = w.vnics().get("vif-b1").addresses(IpVersion.V4).get(0).getHostAddress();
        String ownIp = w.vnics().get("vif-a1").addresses(IpVersion.V4).get(0).getHostAddress();
        assertThat(net.arpFrom(w, "vif-a1", ownIp, target)).as("ARP from the vnic's own address").isTrue();
        assertThat(net.arpFrom(w, "vif-a1", "192.0.2.99", target)).as("ARP with a forged sender").isFalse();
    }
}
