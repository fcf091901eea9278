package io.stockade.agent;

import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.nft.FakeNftables;
import io.stockade.agent.stats.Count;
import io.stockade.agent.stats.StatsRow;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.Counters;
import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftTable;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Verdict;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without root: the host's counters add up from the counted elements as the kernel counts them,
 * and only grow while their vnic exists, across deltas that recreate elements, rebuilds and
 * repairs.
 */
class CountsTest {
    private static final NftObject.Table INET = new NftObject.Table("inet", Compiler.TABLE);
    private static final NftObject.Table BRIDGE = new NftObject.Table("bridge", Compiler.TABLE);
    private static final World WORLD = TestWorld.wakame()
            .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts"), tcpIn(22, 22, "0.0.0.0/0"))
            .group("sg-dbclnts").vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").build();
    private static final World LOGGING = WORLD.toBuilder().group(WORLD.groups().get("sg-dbsrv").withLogDrops(true)).build();

    private FakeNftables kernel;
    private NftDataplane plane;

    @BeforeEach
    void apply() {
        kernel = new FakeNftables();
        plane = new NftDataplane(kernel, TestWorld.HOST, List.of("uplink0"));
        plane.applyFull(WORLD);
    }

    /** Packets that found the element of {@code set} whose key starts with {@code first} (as the compiler writes it). */
    private void hit(NftObject.Table table, String set, String first, long packets) {
        NftTable t = plane.applied().tables().stream().filter(x -> x.id().equals(table)).findFirst().orElseThrow();
        NftElement e = t.setsByName().get(set).elements().stream().filter(x -> x.key().get(0).equals(first)).findFirst().orElseThrow();
        kernel.hit(table, set, e.key(), packets, 100 * packets);
    }

    /** The first field of vif-db1's elements of the inet table's ingress drop maps: its mark. */
    private String db1Mark() {
        return plane.applied().table("inet").setsByName().get("ingress").elements().stream()
                .filter(e -> e.value().equals(new Verdict.Goto("in_vif_db1"))).findFirst().orElseThrow().key().get(0);
    }

    private long packets(String counter) {
        return plane.counters().getOrDefault(counter, Count.ZERO).packets();
    }

    private void traffic() {
        hit(BRIDGE, "pass_src4", "\"tap10\"", 5);
        hit(BRIDGE, "src_port", "\"tap10\"", 3);
        hit(BRIDGE, "drop_spoofing", "\"tap10\"", 1);
        hit(BRIDGE, "pass_dst4", "\"tap10\"", 7);
        hit(INET, "drop_in_no_rule", db1Mark(), 2);
        hit(BRIDGE, "src_port", Counters.CATCH_ALL, 4);
    }

    @Test
    void theElementsAddUpToEachVnicsCounters() {
        traffic();
        assertThat(packets("n_vif_db1_eg_pass")).as("fast path 5, dispatched 3, less the spoofed one").isEqualTo(7);
        assertThat(packets("n_vif_db1_eg_spoofing")).isEqualTo(1);
        assertThat(packets("n_vif_db1_in_no_rule")).isEqualTo(2);
        assertThat(packets(Counters.UNKNOWN_PORT.name())).isEqualTo(4);
        assertThat(plane.counters().get("n_vif_db1_eg_spoofing").bytes()).isEqualTo(100);
        assertThat(packets("n_vif_app1_eg_pass")).isZero();
        assertThat(plane.counters()).as("every counter of both vnics, counting or not").containsKeys(
                Counters.of("vif-db1").stream().map(Counters.Counter::name).toArray(String[]::new)).containsKey("n_vif_app1_in_isolation_ip");
        Map<String, Long> rows = new java.util.HashMap<>();
        StatsRow.of(List.of("vif-db1"), plane.counters()).forEach(r -> rows.put(r.direction() + " " + r.verdict() + " " + r.reason(), r.count().packets()));
        assertThat(rows).containsEntry("ingress accept ", 5L).containsEntry("ingress drop no-rule", 2L).containsEntry("egress accept ", 7L);
    }

    @Test
    void countsStayWhenADeltaRewritesTheChainsThatDrop() {
        traffic();
        Map<String, Count> before = plane.counters();
        plane.applyChange(WORLD, LOGGING);
        assertThat(kernel.last().ops()).as("a delta, not a rebuild").noneMatch(op -> op.object() instanceof NftObject.Table)
                .anyMatch(op -> op.verb() == Transaction.Verb.FLUSH && op.object() instanceof NftObject.Chain c && c.name().equals("src_vif_db1"));
        assertThat(plane.counters()).isEqualTo(before);
        hit(BRIDGE, "drop_spoofing", "\"tap10\"", 2);
        assertThat(packets("n_vif_db1_eg_spoofing")).isEqualTo(3);
        assertThat(packets("n_vif_db1_eg_pass")).as("the new drops were dispatched too: taken from what entered").isEqualTo(5);
        plane.applyChange(LOGGING, WORLD);
        assertThat(packets("n_vif_db1_eg_spoofing")).isEqualTo(3);
        assertThat(packets("n_vif_db1_in_no_rule")).isEqualTo(2);
    }

    @Test
    void countsStayWhenADeltaRecreatesTheElementsThatHoldThem() {
        traffic();
        // vif-db1's IPv4 address changes: its fast paths' elements of the old one go, with what they counted.
        Vnic v = WORLD.vnics().get("vif-db1");
        World moved = WORLD.toBuilder().vnic(new Vnic(v.id(), v.projectId(), v.name(), v.instanceId(), v.hostId(), v.device(), v.mac(),
                List.of(Ip.parse("192.0.2.99", "a")), v.networkId(), v.securityGroupIds(), v.portSecurity(), v.logDrops(), v.description())).build();
        plane.applyChange(WORLD, moved);
        assertThat(kernel.last().ops()).anyMatch(op -> op.verb() == Transaction.Verb.DELETE && op.object() instanceof NftObject.Elements e
                && e.set().equals("pass_src4"));
        assertThat(packets("n_vif_db1_eg_pass")).as("the deleted element's 5 packets kept").isEqualTo(7);
        assertThat(packets("n_vif_db1_in_pass")).as("and the 7 to it").isEqualTo(7);
    }

    @Test
    void countsStayAcrossARebuildAndARepair() {
        traffic();
        Map<String, Count> before = plane.counters();
        plane.applyFull(WORLD);
        assertThat(kernel.last().ops()).anyMatch(op -> op.object() instanceof NftObject.Table);
        assertThat(plane.counters()).isEqualTo(before);
        hit(BRIDGE, "pass_src4", "\"tap10\"", 1);
        // Someone adds an element to a drop map: the repair flushes the map and fills it again.
        kernel.run(Transaction.builder().add(new NftObject.Elements(BRIDGE, "drop_spoofing", List.of(NftElement.of("\"tap99\"")))).build());
        assertThat(plane.repair(WORLD)).isTrue();
        assertThat(kernel.last().ops()).anyMatch(op -> op.verb() == Transaction.Verb.FLUSH && op.object() instanceof NftObject.Set s && s.name().equals("drop_spoofing"));
        assertThat(packets("n_vif_db1_eg_pass")).isEqualTo(before.get("n_vif_db1_eg_pass").packets() + 1);
        assertThat(packets("n_vif_db1_eg_spoofing")).isEqualTo(1);
    }

    @Test
    void aCountedSetFlushedByHandKeepsTheCountsLastReadThroughItsRepair() {
        traffic();
        Map<String, Count> before = plane.counters();
        NftObject.Set fastPath = Drift.unknownSet(BRIDGE, "pass_src4", false);
        kernel.run(Transaction.builder().flush(fastPath).build());
        assertThat(kernel.counts(fastPath)).as("the kernel lost the fast path's 5").isEmpty();
        assertThat(plane.counters()).as("read while the set is empty").isEqualTo(before);
        assertThat(plane.repair(WORLD)).isTrue();
        assertThat(kernel.last().ops()).anyMatch(op -> op.verb() == Transaction.Verb.FLUSH && op.object() instanceof NftObject.Set x && x.name().equals("pass_src4"));
        assertThat(plane.counters()).as("after the repair refilled it").isEqualTo(before);
        hit(BRIDGE, "pass_src4", "\"tap10\"", 1);
        assertThat(packets("n_vif_db1_eg_pass")).isEqualTo(before.get("n_vif_db1_eg_pass").packets() + 1);
        // Flushed again and refilled by hand before the agent looks: the refilled element counts from zero.
        kernel.run(Transaction.builder().flush(fastPath).build());
        kernel.run(Transaction.builder().add(new NftObject.Elements(BRIDGE, "pass_src4", plane.applied().table("bridge").setsByName().get("pass_src4").elements())).build());
        assertThat(packets("n_vif_db1_eg_pass")).isEqualTo(before.get("n_vif_db1_eg_pass").packets() + 1);
        hit(BRIDGE, "pass_src4", "\"tap10\"", 2);
        assertThat(packets("n_vif_db1_eg_pass")).isEqualTo(before.get("n_vif_db1_eg_pass").packets() + 3);
        plane.applyFull(WORLD);
        assertThat(packets("n_vif_db1_eg_pass")).as("and through a rebuild").isEqualTo(before.get("n_vif_db1_eg_pass").packets() + 3);
    }

    @Test
    void aRemovedVnicsCountsGoWithIt() {
        traffic();
        World without = WORLD.toBuilder().remove("vif-db1").build();
        plane.applyChange(WORLD, without);
        assertThat(plane.counters()).doesNotContainKey("n_vif_db1_eg_pass").containsKey("n_vif_app1_eg_pass");
        assertThat(packets(Counters.UNKNOWN_PORT.name())).isEqualTo(4);
    }
}
