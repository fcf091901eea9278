package io.stockade.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.eval.Endpoint;
import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.Packet;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class HostSliceTest {

    @Test
    void keepsWhatTheHostNeedsAndDropsTheRest() {
        World w = TestWorld.wakame()
                .group("sg-dbsrv", TestWorld.tcpFromGroup(3306, 3306, "sg-dbclnts")).group("sg-dbclnts").group("sg-unrelated")
                .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").vnic("vif-x1", "sg-unrelated").build();
        Host other = new Host("h-other", "other", "br0", List.of());
        Vnic db = w.vnics().get("vif-db1");
        World moved = w.toBuilder().host(other).vnic(w.vnics().get("vif-app1").withHost("h-other", "tap99"))
                .vnic(w.vnics().get("vif-x1").withHost("h-other", "tap98")).build();
        World slice = HostSlice.of(moved, TestWorld.HOST);
        assertThat(slice.groups()).containsOnlyKeys("sg-dbsrv", "sg-dbclnts");
        assertThat(slice.hosts()).containsOnlyKeys(TestWorld.HOST);
        // Every vnic of the network is known, so an unconnected one is recognised by its MAC.
        assertThat(slice.vnics()).containsKeys("vif-db1", "vif-app1", "vif-x1");
        assertThat(slice.vnicsOnHost(TestWorld.HOST)).containsExactly(db);
        assertThat(slice.networks()).containsOnlyKeys(TestWorld.NETWORK);
    }

    /** Issue 21: a vnic of the host in no group and on no network is in the slice too (else its agent drops its tap as unknown). */
    @Test
    void keepsEveryVnicOfTheHost() {
        World w = TestWorld.wakame().build();
        Vnic bare = new Vnic("vif-bare1", TestWorld.PROJECT, "", null, TestWorld.HOST, "tap7", io.stockade.core.net.MacAddress.parse("52:54:00:00:07:01", "mac"),
                List.of(), null, List.of(), true, false);
        World with = w.toBuilder().vnic(bare).build();
        assertThat(HostSlice.of(with, TestWorld.HOST).vnicsOnHost(TestWorld.HOST)).containsExactly(bare);
    }

    /** For packets entering or leaving the host's vnics, the slice decides as the world does. */
    @Property(tries = 200)
    void theSliceDecidesAsTheWorldForTheHostsVnics(@ForAll long seed) {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        // Move about half of the vnics to a second host.
        World.Builder b = w.toBuilder().host(new Host("h-two", "two", "br0", List.of()));
        int i = 0;
        for (Vnic v : w.vnics().values()) {
            if (i++ % 2 == 1) {
                b.vnic(v.withHost("h-two", v.device()));
            }
        }
        World two = b.build();
        World slice = HostSlice.of(two, TestWorld.HOST);
        for (int k = 0; k < 30; k++) {
            Packet p = hostView(two, RandomWorlds.packet(two, r));
            assertThat(Evaluator.evaluate(slice, p).allowed()).as("%s", p).isEqualTo(Evaluator.evaluate(two, p).allowed());
        }
    }

    /** The packet as the first host's bridge sees it: vnics of other hosts are behind the uplink. */
    private static Packet hostView(World w, Packet p) {
        Endpoint from = local(w, p.from()) ? p.from() : Endpoint.outside();
        Endpoint to = local(w, p.to()) ? p.to() : Endpoint.outside();
        return new Packet(from, to, p.kind(), p.srcMac(), p.dstMac(), p.srcIp(), p.dstIp(), p.protocol(), p.srcPort(), p.dstPort(),
                p.icmpType(), p.icmpCode(), p.state());
    }

    private static boolean local(World w, Endpoint e) {
        return e instanceof Endpoint.OfVnic v && TestWorld.HOST.equals(w.vnics().get(v.vnicId()).hostId());
    }
}
