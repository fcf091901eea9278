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

    /** A host's history is bounded by the objects its past diffs hold, not only by their number. */
    @Test
    void historyIsBoundedByTheObjectsItHolds() throws Exception {
        World w = twoHosts();
        WatchHub hub = new WatchHub(w, 256, 3); // each change below is a diff of one group
        hub.next(TestWorld.HOST, 0).get();
        World cur = w;
        for (int i = 2; i < 10; i++) {
            WorldChange c = WorldChange.builder().group(cur.groups().get("sg-dbsrv").withRules(List.of(TestWorld.tcpIn(i, i, "0.0.0.0/0")))).build();
            cur = cur.apply(c).atRevision(i);
            hub.publish(cur, c);
        }
        assertThat(hub.next(TestWorld.HOST, 3).get().full()).as("eight changes back, three diffs kept").isTrue();
        assertThat(hub.next(TestWorld.HOST, 7).get().full()).isFalse();
    }

    /**
     * Whatever the changes, watchers that follow the diffs hold exactly their hosts' slices: one
     * that asks after every change, and slower ones that ask after every few (they get the diffs
     * since their revision as one, or a snapshot once the history no longer reaches back).
     */
    @Property(tries = 100)
    void followingTheDiffsGivesTheSlice(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, "wakame");
        World.Builder b = w.toBuilder().host(new Host(OTHER, "other", "br0", List.of())).revision(1);
        w.vnics().values().stream().filter(v -> r.nextBoolean()).forEach(v -> b.vnic(v.withHost(OTHER, v.device())));
        w = b.build();
        WatchHub hub = new WatchHub(w, 1 + r.nextInt(6));
        List<String> hosts = List.of(TestWorld.HOST, OTHER, TestWorld.HOST);
        int[] every = {1, 2, 1 + r.nextInt(8)};
        World[] held = new World[hosts.size()];
        long[] rev = new long[hosts.size()];
        for (int a = 0; a < hosts.size(); a++) {
            WatchHub.Update u = hub.next(hosts.get(a), 0).get();
            held[a] = u.snapshot();
            rev[a] = u.revision();
        }
        for (int i = 2; i < 24; i++) {
            List<Vnic> vnics = new ArrayList<>(w.vnics().values());
            WorldChange c;
            int kind = r.nextInt(3);
            if (kind == 0 && !vnics.isEmpty()) {
                Vnic v = vnics.get(r.nextInt(vnics.size()));
                c = WorldChange.builder().vnic(v.withGroups(List.of("sg-g" + r.nextInt(3)))).build();
            } else if (kind == 1 && !vnics.isEmpty()) {
                Vnic v = vnics.get(r.nextInt(vnics.size()));
                c = WorldChange.builder().vnic(v.withHost(r.nextBoolean() ? OTHER : TestWorld.HOST, "tapm" + i)).build();
            } else {
                World extra = RandomWorlds.withExtraRule(w, r);
                WorldChange.Builder cb = WorldChange.builder();
                extra.groups().values().forEach(cb::group);
                c = cb.build().against(w);
            }
            w = w.apply(c).atRevision(i);
            hub.publish(w, c);
            for (int a = 0; a < hosts.size(); a++) {
                if (i % every[a] != 0) {
                    continue;
                }
                CompletableFuture<WatchHub.Update> f = hub.next(hosts.get(a), rev[a]);
                if (f.isDone()) {
                    WatchHub.Update next = f.get();
                    held[a] = next.full() ? next.snapshot() : next.diff().applyTo(held[a]);
                    rev[a] = next.revision();
                } else {
                    f.cancel(true);
                }
                World expected = HostSlice.of(w, hosts.get(a));
                assertThat(held[a].vnics()).as("vnics of watcher %d", a).isEqualTo(expected.vnics());
                assertThat(held[a].groups()).isEqualTo(expected.groups());
                assertThat(held[a].ipSets()).isEqualTo(expected.ipSets());
                assertThat(held[a].networks()).isEqualTo(expected.networks());
                assertThat(held[a].hosts()).isEqualTo(expected.hosts());
                assertThat(rev[a]).isEqualTo(hub.desiredRevision(hosts.get(a)));
            }
        }
    }
}
