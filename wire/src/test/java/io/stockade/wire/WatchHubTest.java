package io.stockade.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.Host;
import io.stockade.core.model.HostSlice;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class WatchHubTest {
    private static final String OTHER = "h-other";

    private static World twoHosts() {
        World w = TestWorld.wakame()
                .group("sg-dbsrv", TestWorld.tcpFromGroup(3306, 3306, "sg-dbclnts")).group("sg-dbclnts").group("sg-web")
                .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-web").vnic("vif-app2", "sg-dbclnts").build();
        Vnic app2 = w.vnics().get("vif-app2");
        return w.toBuilder().host(new Host(OTHER, "other", "br0", List.of())).vnic(app2.withHost(OTHER, "tap50")).revision(1).build();
    }

    @Test
    void aNewWatcherGetsTheSnapshotThenOnlyItsChanges() throws Exception {
        World w = twoHosts();
        WatchHub hub = new WatchHub(w, 16);
        WatchHub.Update first = hub.next(TestWorld.HOST, 0).get(1, TimeUnit.SECONDS);
        assertThat(first.full()).isTrue();
        assertThat(first.snapshot().vnicsOnHost(TestWorld.HOST)).extracting(Vnic::id).containsExactlyInAnyOrder("vif-db1", "vif-app1");

        CompletableFuture<WatchHub.Update> waiting = hub.next(TestWorld.HOST, first.revision());
        assertThat(waiting).isNotDone();
        // app1 joins the clients group: the db host's reference set changes.
        WorldChange join = WorldChange.builder().vnic(w.vnics().get("vif-app1").withGroups(List.of("sg-web", "sg-dbclnts"))).build();
        World joined = w.apply(join).atRevision(2);
        hub.publish(joined, join);
        WatchHub.Update u = waiting.get(1, TimeUnit.SECONDS);
        assertThat(u.full()).isFalse();
        assertThat(u.revision()).isEqualTo(2);
        assertThat(u.diff().vnics()).extracting(Vnic::id).containsExactly("vif-app1");
        assertThat(u.diff().applyTo(first.snapshot()).vnics()).isEqualTo(HostSlice.of(joined, TestWorld.HOST).vnics());
    }

    /** A write handed to the hub through its feeder counts in the host's desired revision once the hub has taken it in. */
    @Test
    void aDesiredRevisionReadAfterAwaitingTheHubCountsTheWrite() throws Exception {
        World w = twoHosts();
        WatchHub hub = new WatchHub(w, 16);
        hub.next(TestWorld.HOST, 0).get(1, TimeUnit.SECONDS);
        assertThat(hub.awaitPublished(w.revision(), 0)).isTrue();
        try (HubFeeder feeder = new HubFeeder(hub)) {
            World at = w;
            for (int rev = 2; rev <= 40; rev++) {
                Vnic app1 = at.vnics().get("vif-app1");
                WorldChange flip = WorldChange.builder().vnic(app1.withGroups(rev % 2 == 0 ? List.of("sg-web", "sg-dbclnts") : List.of("sg-web"))).build();
                at = at.apply(flip).atRevision(rev);
                feeder.offer(at, flip);
                assertThat(hub.awaitPublished(rev, 5_000)).isTrue();
                assertThat(hub.desiredRevision(TestWorld.HOST)).isEqualTo(rev);
            }
        }
        assertThat(hub.awaitPublished(41, 50)).as("a revision no one published is never reported as taken in").isFalse();
    }

    @Test
    void unrelatedChangesWakeNobody() throws Exception {
        World w = twoHosts();
        WatchHub hub = new WatchHub(w, 16);
        long rev = hub.next(OTHER, 0).get().revision();
        CompletableFuture<WatchHub.Update> waiting = hub.next(OTHER, rev);
        // A rule change in sg-web, which nothing on the other host uses or references.
        WorldChange rule = WorldChange.builder().group(w.groups().get("sg-web").withRules(List.of(TestWorld.tcpIn(80, 80, "0.0.0.0/0")))).build();
        hub.publish(w.apply(rule).atRevision(2), rule);
        assertThat(waiting).isNotDone();
        assertThat(hub.desiredRevision(OTHER)).isEqualTo(1);
        waiting.cancel(true);
        assertThat(hub.waiting()).isZero();
    }

    @Test
    void anAgentTooFarBehindGetsASnapshot() throws Exception {
        World w = twoHosts();
        WatchHub hub = new WatchHub(w, 2);
        hub.next(TestWorld.HOST, 0).get();
        World cur = w;
        for (int i = 2; i < 8; i++) {
            WorldChange c = WorldChange.builder().group(cur.groups().get("sg-dbsrv").withRules(List.of(TestWorld.tcpIn(i, i, "0.0.0.0/0")))).build();
            cur = cur.apply(c).atRevision(i);
            hub.publish(cur, c);
        }
        assertThat(hub.next(TestWorld.HOST, 1).get().full()).isTrue();
        WatchHub.Update recent = hub.next(TestWorld.HOST, 6).get();
        assertThat(recent.full()).isFalse();
        assertThat(recent.revision()).isEqualTo(7);
    }

    /** A host's history is bounded by the objects its past slices hold, not only by their number. */
    @Test
    void historyIsBoundedByTheObjectsItHolds() throws Exception {
        World w = twoHosts();
        long perSlice = WatchHub.objects(HostSlice.of(w, TestWorld.HOST));
        WatchHub hub = new WatchHub(w, 256, 3 * perSlice);
        hub.next(TestWorld.HOST, 0).get();
        World cur = w;
        for (int i = 2; i < 10; i++) {
            WorldChange c = WorldChange.builder().group(cur.groups().get("sg-dbsrv").withRules(List.of(TestWorld.tcpIn(i, i, "0.0.0.0/0")))).build();
            cur = cur.apply(c).atRevision(i);
            hub.publish(cur, c);
        }
        assertThat(hub.next(TestWorld.HOST, 3).get().full()).as("eight changes back, three slices kept").isTrue();
        assertThat(hub.next(TestWorld.HOST, 7).get().full()).isFalse();
    }

    /** Whatever the changes, a watcher that follows the diffs holds exactly its host's slice. */
    @Property(tries = 60)
    void followingTheDiffsGivesTheSlice(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, "wakame").atRevision(1);
        WatchHub hub = new WatchHub(w, 8);
        WatchHub.Update u = hub.next(TestWorld.HOST, 0).get();
        World held = u.snapshot();
        long rev = u.revision();
        for (int i = 2; i < 12; i++) {
            List<Vnic> vnics = new ArrayList<>(w.vnics().values());
            Vnic v = vnics.get(r.nextInt(vnics.size()));
            WorldChange c;
            if (r.nextBoolean()) {
                c = WorldChange.builder().vnic(v.withGroups(List.of("sg-g" + r.nextInt(3)))).build();
            } else {
                World extra = RandomWorlds.withExtraRule(w, r);
                WorldChange.Builder b = WorldChange.builder();
                extra.groups().values().forEach(b::group);
                c = b.build().against(w);
            }
            w = w.apply(c).atRevision(i);
            hub.publish(w, c);
            CompletableFuture<WatchHub.Update> f = hub.next(TestWorld.HOST, rev);
            if (f.isDone()) {
                WatchHub.Update next = f.get();
                held = next.full() ? next.snapshot() : next.diff().applyTo(held);
                rev = next.revision();
            } else {
                f.cancel(true);
            }
            World expected = HostSlice.of(w, TestWorld.HOST);
            assertThat(held.vnics()).isEqualTo(expected.vnics());
            assertThat(held.groups()).isEqualTo(expected.groups());
            assertThat(held.ipSets()).isEqualTo(expected.ipSets());
            assertThat(held.networks()).isEqualTo(expected.networks());
        }
    }
}
