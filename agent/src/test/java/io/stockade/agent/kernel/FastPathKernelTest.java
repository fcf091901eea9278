package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.testing.TestWorld;
import org.junit.jupiter.api.Test;

/**
 * The bridge's fast path lets a packet through on one lookup of its port, MAC and address, and
 * the inet table lets an established flow through before isolation: together they must never let
 * a packet of an allowed flow reach a port other than its destination's. A VM that addresses
 * such a packet to an isolated neighbour's MAC meets the neighbour's per-port chain, which drops it.
 */
@RequiresRoot
class FastPathKernelTest extends KernelFixture {
    @Test
    void aPacketOfAnEstablishedFlowSentToAnIsolatedNeighboursMacIsDropped() {
        World w = TestWorld.wakame().group("sg-a").group("sg-z")
                .vnic("vif-x", "sg-a").vnic("vif-y", "sg-a").vnic("vif-z", "sg-z").build();
        dataplane.applyFull(w);
        net.flushConntrack();
        String zMac = w.vnics().get("vif-z").mac().toString();
        int sport = 41000;
        for (IpVersion v : IpVersion.values()) {
            Packet toY = TestWorld.tcp(w, "vif-x", "vif-y", 5000, v);
            Packet opening = Packet.udp(toY.from(), toY.to(), toY.srcMac(), toY.dstMac(), toY.srcIp(), toY.dstIp(), ++sport, 5000);
            assertThat(net.deliver(w, opening, true)).as("%s: x and y share a group", v).isTrue();
            assertThat(net.deliver(w, opening.reversed(), true)).as("%s: y's reply makes the flow established", v).isTrue();

            // x now sends y's packets to z's MAC: the bridge forwards them to z's port.
            String yIp = Ip.format(toY.dstIp());
            net.topology.exec(net.topology.vm("v0").namespace(), "ip", "neigh", "replace", yIp, "lladdr", zMac, "dev", "eth0", "nud", "permanent");
            Packet steered = Packet.udp(opening.from(), io.stockade.core.eval.Endpoint.vnic("vif-z"), opening.srcMac(),
                    w.vnics().get("vif-z").mac(), opening.srcIp(), opening.dstIp(), sport, 5000);
            assertThat(Evaluator.evaluate(w, steered).allowed()).as("%s: the evaluator isolates x from z", v).isFalse();
            assertThat(net.deliver(w, steered, false)).as("%s: the flow's packet does not reach z", v).isFalse();

            // Addressed right again, the same flow goes on.
            net.topology.exec(net.topology.vm("v0").namespace(), "ip", "neigh", "replace", yIp, "lladdr",
                    w.vnics().get("vif-y").mac().toString(), "dev", "eth0", "nud", "permanent");
            assertThat(net.deliver(w, opening, true)).as("%s: the flow still reaches y", v).isTrue();
        }
    }
}
