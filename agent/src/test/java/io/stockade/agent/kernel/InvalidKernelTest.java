package io.stockade.agent.kernel;

import static io.stockade.core.testing.TestWorld.icmpIn;
import static io.stockade.core.testing.TestWorld.tcpFromOutside;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.stats.Count;
import io.stockade.core.eval.Endpoint;
import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.FlowState;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.policy.Policy;
import io.stockade.core.testing.TestWorld;
import org.junit.jupiter.api.Test;

/**
 * Packets connection tracking finds invalid, sent for real from a raw socket: a TCP segment
 * without flags to a port a rule opens, and ICMP errors of no flow where a rule opens all ICMP.
 * The openstack profile drops them at the vnic's stateful ingress (and counts them); with the
 * knob dropInvalid off, as in Wakame-vdc, the rules let them in.
 */
@RequiresRoot
class InvalidKernelTest extends KernelFixture {
    private static World world(Policy p) {
        return TestWorld.with(p).group("sg-web", tcpIn(22, 22, "0.0.0.0/0"), tcpIn(22, 22, "::/0"), icmpIn(-1, -1, "0.0.0.0/0"))
                .vnic("vif-web1", "sg-web").build();
    }

    /** A port unreachable from outside to the vnic, answering no flow. */
    private static Packet unreachableFromOutside(World w) {
        Vnic to = w.vnics().get("vif-web1");
        return Packet.icmp(Endpoint.outside(), Endpoint.vnic(to.id()), TestWorld.OUTSIDE_MAC, to.mac(), TestWorld.ip("198.51.100.7"),
                to.addresses().get(0), 3, 3);
    }

    @Test
    void theOpenstackProfileDropsInvalidPacketsThatRulesWouldLetIn() {
        World w = world(Policy.profile("openstack"));
        dataplane.applyFull(w);
        net.flushConntrack();
        long before = invalidDrops();
        for (String src : new String[] {"198.51.100.7", "2001:db8:2::7"}) {
            Packet segment = tcpFromOutside(w, src, "vif-web1", 22).withState(FlowState.INVALID);
            assertThat(Evaluator.evaluate(w, segment.withState(FlowState.NEW)).allowed()).as("%s: the rule opens tcp 22", src).isTrue();
            assertThat(Evaluator.evaluate(w, segment).allowed()).isFalse();
            assertThat(net.deliver(w, segment, false)).as("%s: a segment without flags", src).isFalse();
        }
        Packet unreachable = unreachableFromOutside(w);
        assertThat(Evaluator.evaluate(w, unreachable).allowed()).isFalse();
        assertThat(net.deliver(w, unreachable, false)).as("a port unreachable of no flow").isFalse();
        assertThat(invalidDrops() - before).as("counted as invalid").isGreaterThanOrEqualTo(3);

        Packet syn = tcpFromOutside(w, "198.51.100.7", "vif-web1", 22);
        assertThat(net.deliver(w, syn, true)).as("a new connection to the open port").isTrue();
    }

    @Test
    void withoutTheKnobTheRulesLetThemIn() {
        World w = world(Policy.profile("openstack").with("dropInvalid", "false"));
        dataplane.applyFull(w);
        net.flushConntrack();
        Packet segment = tcpFromOutside(w, "198.51.100.7", "vif-web1", 22).withState(FlowState.INVALID);
        assertThat(Evaluator.evaluate(w, segment).allowed()).isTrue();
        assertThat(net.deliver(w, segment, true)).as("a segment without flags").isTrue();
        Packet unreachable = unreachableFromOutside(w);
        assertThat(Evaluator.evaluate(w, unreachable).allowed()).isTrue();
        assertThat(net.deliver(w, unreachable, true)).as("a port unreachable of no flow").isTrue();
    }

    private static long invalidDrops() {
        return dataplane.counters().getOrDefault("n_vif_web1_in_invalid", Count.ZERO).packets();
    }
}
