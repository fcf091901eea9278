package io.stockade.agent.kernel;

import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.NftDataplane;
import io.stockade.agent.Shell;
import io.stockade.agent.nft.NftMonitor;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes made by hand to Stockade's tables in a real kernel, among commits of another program to
 * its own table: each opens or cuts traffic the rules decide otherwise, and one repair puts the
 * rules back, as packets show, having read only the objects the kernel announced touched.
 */
@RequiresRoot
class DriftKernelTest extends KernelFixture {
    private static Counted kernel;

    /** The dataplane speaks through a counting boundary, its monitor with the agent's receive buffer. */
    @BeforeAll
    static void counted() {
        kernel = new Counted(lib, NftMonitor.RECEIVE_BUFFER);
        dataplane = new NftDataplane(kernel, TestWorld.HOST, List.of("uplink0"));
    }

    private static final World W = TestWorld.wakame()
            .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts"), tcpIn(22, 22, "0.0.0.0/0"))
            .group("sg-dbclnts").group("sg-web")
            .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").vnic("vif-web1", "sg-web").build();
    private static final Packet CLIENT = TestWorld.tcp(W, "vif-app1", "vif-db1", 3306);
    private static final Packet OTHER_PORT = TestWorld.tcp(W, "vif-app1", "vif-db1", 3307);

    @BeforeEach
    void applied() {
        dataplane.applyFull(W);
        learnt(dataplane, kernel);
        net.flushConntrack();
    }

    /** Checks until what the dataplane wrote is learnt (a few chains a check): then a check reads nothing. */
    private static void learnt(NftDataplane plane, Counted kernel) {
        learnt(plane, kernel, W);
    }

    private static void learnt(NftDataplane plane, Counted kernel, World w) {
        for (int i = 0; i < 20; i++) {
            int read = kernel.tablesListed() + kernel.objectsRead();
            assertThat(plane.repair(w)).as("nothing drifted").isFalse();
            if (kernel.tablesListed() + kernel.objectsRead() == read) {
                return;
            }
        }
        throw new AssertionError("the objects written were not learnt in 20 checks");
    }

    /** Another program commits to its own table, three transactions (a table, a chain and a rule; elements of a set). */
    private static void others() {
        nft("add table inet someone\nadd chain inet someone input { type filter hook input priority 10; }\nadd rule inet someone input accept\n");
        nft("add set inet someone peers { type ipv4_addr; }\nadd element inet someone peers { 198.51.100." + (port % 250) + " }\n");
        nft("add rule inet someone input ip saddr @peers counter accept\n");
    }

    private static void nft(String script) {
        Shell.Result r = net.host.run(script, "nft", "-f", "-");
        assertThat(r.ok()).as("%s: %s", script, r.err()).isTrue();
    }

    /** A source port per packet sent: a connection that completed leaves its port in TIME_WAIT in the sending VM. */
    private static int port = 41000;

    private static Packet fresh(Packet p) {
        return new Packet(p.from(), p.to(), p.kind(), p.srcMac(), p.dstMac(), p.srcIp(), p.dstIp(), p.protocol(), port++, p.dstPort(),
                p.icmpType(), p.icmpCode(), p.state());
    }

    /**
     * Stages a change by hand between others' commits, checks the packet it wrongly lets through
     * or cuts, repairs, and checks it again; unless a table was deleted, no table was listed.
     */
    private static void drift(String edit, Packet p, boolean allowed) {
        others();
        nft(edit + "\n");
        others();
        assertThat(net.deliver(W, fresh(p), !allowed)).as("after %s", edit).isEqualTo(!allowed);
        net.flushConntrack();
        int listed = kernel.tablesListed();
        assertThat(dataplane.repair(W)).as("repaired after %s", edit).isTrue();
        if (!edit.startsWith("delete table")) {
            assertThat(kernel.tablesListed()).as("only the objects touched read after %s", edit).isEqualTo(listed);
        }
        assertThat(net.deliver(W, fresh(p), allowed)).as("repaired after %s", edit).isEqualTo(allowed);
        net.flushConntrack();
        assertThat(dataplane.repair(W)).as("nothing left after %s", edit).isFalse();
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

    /** A dormant table filters nothing; its head, read alone, shows it, and an add table wakes it. */
    @Test
    void aTableMadeDormant() {
        drift("add table inet stockade { flags dormant; }", OTHER_PORT, false);
        // The bridge table's checks (anti-spoofing) are not what this packet meets: its head is read.
        io.stockade.compiler.NftObject.Table bridge = new io.stockade.compiler.NftObject.Table("bridge", "stockade");
        nft("add table bridge stockade { flags dormant; }\n");
        assertThat(kernel.dormant(bridge)).contains(true);
        int listed = kernel.tablesListed();
        assertThat(dataplane.repair(W)).isTrue();
        assertThat(kernel.dormant(bridge)).contains(false);
        assertThat(kernel.tablesListed()).isEqualTo(listed);
        assertThat(dataplane.repair(W)).isFalse();
    }

    @Test
    void aTableDeleted() {
        drift("delete table inet stockade", OTHER_PORT, false);
    }

    /** Others' commits to their own tables are announced touching nothing of Stockade's: a check reads nothing. */
    @Test
    void othersCommitsReadNothingOfStockade() {
        int tables = kernel.tablesListed();
        int objects = kernel.objectsRead();
        for (int i = 0; i < 3; i++) {
            others();
            assertThat(dataplane.repair(W)).isFalse();
        }
        assertThat(kernel.tablesListed()).isEqualTo(tables);
        assertThat(kernel.objectsRead()).isEqualTo(objects);
    }

    /**
     * On a monitor socket of a few kilobytes: the agent's own rebuild is not heard at all; its own
     * changes overflow it and are known for the agent's (nothing listed); others' big commit
     * overflows it and hides a hand edit behind it, which the tables listed whole find and repair.
     */
    @Test
    void lostAnnouncementsFallBackToListing() {
        Counted small = new Counted(lib, 4096);
        NftDataplane plane = new NftDataplane(small, TestWorld.HOST, List.of("uplink0"));
        plane.applyFull(W);
        learnt(plane, small);
        assertThat(small.losses()).as("the agent's own rebuild is made unheard").isZero();
        World more = W.toBuilder().vnic(W.vnics().get("vif-web1").withGroups(List.of("sg-web", "sg-dbsrv", "sg-dbclnts"))).build();
        plane.applyChange(W, more);
        learnt(plane, small, more);
        plane.applyChange(more, W);
        learnt(plane, small);
        assertThat(small.losses()).as("the agent's own changes overflowed the socket").isPositive();
        int tables = small.tablesListed();
        int objects = small.objectsRead();
        others();
        assertThat(plane.repair(W)).isFalse();
        assertThat(small.tablesListed()).as("others' small commit: nothing listed").isEqualTo(tables);
        assertThat(small.objectsRead()).as("others' small commit: nothing read").isEqualTo(objects);

        StringBuilder many = new StringBuilder("add set inet someone many { type ipv4_addr; }\nadd element inet someone many { ");
        for (int i = 0; i < 4000; i++) {
            many.append(i == 0 ? "" : ", ").append("10.").append(i / 250).append('.').append(i % 250).append(".1");
        }
        nft(many.append(" }\n").toString());
        nft("flush set inet stockade ref_sg_dbclnts_v4\n");
        assertThat(net.deliver(W, fresh(CLIENT), false)).as("the hand edit cut the client").isFalse();
        net.flushConntrack();
        int losses = small.losses();
        assertThat(plane.repair(W)).as("repaired").isTrue();
        assertThat(small.losses()).as("announcements were lost").isGreaterThan(losses);
        assertThat(small.tablesListed()).as("the tables listed whole").isGreaterThan(tables);
        assertThat(net.deliver(W, fresh(CLIENT), true)).as("the client passes again").isTrue();
        net.flushConntrack();
        nft("delete set inet someone many\n");
    }
}
