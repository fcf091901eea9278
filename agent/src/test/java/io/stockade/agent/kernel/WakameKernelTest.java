package io.stockade.agent.kernel;

import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Wakame-vdc scenarios with real packets through a real bridge; the kernel agrees with the evaluator. */
@RequiresRoot
class WakameKernelTest extends KernelFixture {
    private static World dbExample(String... clientGroups) {
        return TestWorld.wakame()
                .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts"), tcpIn(22, 22, "0.0.0.0/0"))
                .group("sg-dbclnts").group("sg-web", TestWorld.icmpIn(-1, -1, "0.0.0.0/0"))
                .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").vnic("vif-new1", clientGroups)
                .vnic("vif-web1", "sg-web").vnic("vif-web2", "sg-web").build();
    }

    private static void expect(World w, Packet p, boolean allowed) {
        assertThat(Evaluator.evaluate(w, p).allowed()).as("evaluator: %s", p).isEqualTo(allowed);
        assertThat(net.deliver(w, p, allowed)).as("kernel: %s", p).isEqualTo(allowed);
    }

    @Test
    void theDatabaseExampleAndAClientJoiningAndLeaving() {
        World w = dbExample("sg-web");
        dataplane.applyFull(w);
        net.flushConntrack();
        expect(w, TestWorld.tcp(w, "vif-app1", "vif-db1", 3306), true);
        expect(w, TestWorld.tcp(w, "vif-app1", "vif-db1", 3307), false);
        expect(w, TestWorld.tcp(w, "vif-db1", "vif-app1", 3306), false);
        expect(w, TestWorld.tcp(w, "vif-new1", "vif-db1", 3306), false);
        expect(w, TestWorld.tcpFromOutside(w, "203.0.113.9", "vif-db1", 22), true);
        expect(w, TestWorld.tcpFromOutside(w, "203.0.113.9", "vif-db1", 3306), false);
        // Isolation: both web vnics open icmp to everyone, yet the db client cannot ping them...
        expect(w, TestWorld.ping(w, "vif-app1", "vif-web1"), false);
        // ...while the outside can, and members of one group reach each other fully.
        expect(w, TestWorld.pingFromOutside(w, "198.51.100.7", "vif-web1"), true);
        expect(w, TestWorld.tcp(w, "vif-web1", "vif-web2", 5432), true);
        assertThat(net.arp(w, TestWorld.arp(w, "vif-app1", "vif-web1"))).isFalse();
        assertThat(net.arp(w, TestWorld.arp(w, "vif-web1", "vif-web2"))).isTrue();
        assertThat(net.arp(w, TestWorld.arp(w, "vif-db1", "vif-app1"))).isTrue();

        // The new vnic joins the clients group: a delta, no restart.
        Vnic joined = w.vnics().get("vif-new1").withGroups(List.of("sg-web", "sg-dbclnts"));
        World w2 = w.toBuilder().vnic(joined).build();
        dataplane.applyChange(w, w2);
        expect(w2, TestWorld.tcp(w2, "vif-new1", "vif-db1", 3306), true);
        World w3 = w2.toBuilder().vnic(joined.withGroups(List.of("sg-web"))).build();
        dataplane.applyChange(w2, w3);
        expect(w3, TestWorld.tcp(w3, "vif-new1", "vif-db1", 3306), false);
    }
}
