package io.stockade.agent.kernel;

import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.Shell;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes made by hand to Stockade's tables in a real kernel: each opens or cuts traffic the
 * rules decide otherwise, and one repair puts the rules back, as packets show.
 */
@RequiresRoot
class DriftKernelTest extends KernelFixture {
    private static final World W = TestWorld.wakame()
            .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts"), tcpIn(22, 22, "0.0.0.0/0"))
            .group("sg-dbclnts").group("sg-web")
            .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").vnic("vif-web1", "sg-web").build();
    private static final Packet CLIENT = TestWorld.tcp(W, "vif-app1", "vif-db1", 3306);
    private static final Packet OTHER_PORT = TestWorld.tcp(W, "vif-app1", "vif-db1", 3307);

    @BeforeEach
    void applied() {
        dataplane.applyFull(W);
        assertThat(dataplane.repair(W)).as("nothing drifted").isFalse();
        net.flushConntrack();
    }

    /** A source port per packet sent: a connection that completed leaves its port in TIME_WAIT in the sending VM. */
    private static int port = 41000;

    private static Packet fresh(Packet p) {
        return new Packet(p.from(), p.to(), p.kind(), p.srcMac(), p.dstMac(), p.srcIp(), p.dstIp(), p.protocol(), port++, p.dstPort(),
                p.icmpType(), p.icmpCode(), p.state());
    }

    /** Stages a change by hand, checks the packet it wrongly lets through or cuts, repairs, and checks it again. */
    private static void drift(String nft, Packet p, boolean allowed) {
        Shell.Result r = net.host.run(nft + "\n", "nft", "-f", "-");
        assertThat(r.ok()).as("%s: %s", nft, r.err()).isTrue();
        assertThat(net.deliver(W, fresh(p), !allowed)).as("after %s", nft).isEqualTo(!allowed);
        net.flushConntrack();
        assertThat(dataplane.repair(W)).as("repaired after %s", nft).isTrue();
        assertThat(net.deliver(W, fresh(p), allowed)).as("repaired after %s", nft).isEqualTo(allowed);
        net.flushConntrack();
        assertThat(dataplane.repair(W)).as("nothing left after %s", nft).isFalse();
    }

    @Test
    void aReferencedGroupsSetFlushed() {
        drift("flush set inet stockade ref_sg_dbclnts_v4", CLIENT, true);
    }

    @Test
    void anElementAddedOrRemoved() {
        String app = W.vnics().get("vif-app1").addresses().get(0).getHostAddress();
        drift("delete element inet stockade ref_sg_dbclnts_v4 { " + app + " }", CLIENT, true);
        // A rule more in the set of the group's rules from anywhere: port 3307 opened to the outside.
        drift("add element inet stockade in_sg_dbsrv_4px_any { 6 . 3307 }", TestWorld.tcpFromOutside(W, "203.0.113.9", "vif-db1", 3307), false);
    }

    @Test
    void aChainFlushedOrARuleInserted() {
        drift("flush chain inet stockade in_vif_db1", OTHER_PORT, false);
        drift("insert rule inet stockade forward accept", OTHER_PORT, false);
    }

    @Test
    void aTableDeleted() {
        drift("delete table inet stockade", OTHER_PORT, false);
    }
}
