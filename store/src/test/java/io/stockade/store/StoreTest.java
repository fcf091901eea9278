package io.stockade.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same behaviour on the embedded SQLite file and on the real PostgreSQL. */
class StoreTest {
    @TempDir
    static Path dir;

    static Stream<String> engines() {
        return Stream.of("sqlite", "postgres");
    }

    static Store open(String engine, String name) {
        return engine.equals("sqlite") ? Store.sqlite(dir.resolve(name)) : TestPostgres.store(name);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void eachMutationIsOneRevisionWithItsChangeRecords(String engine) {
        try (Store s = open(engine, "rev")) {
            assertThat(s.revision()).isZero();
            long r1 = s.commit("admin", List.of(Change.upsert("group", "sg-a", "p-a", "web", "{\"id\":\"sg-a\"}", "create", "{}")));
            long r2 = s.commit("admin", List.of(
                    Change.upsert("group", "sg-a", "p-a", "web2", "{\"id\":\"sg-a\",\"v\":2}", "update", "{}"),
                    Change.upsert("vnic", "vif-a", "p-a", "eth0", "{}", "create", "{}")));
            assertThat(r2).isEqualTo(r1 + 1);
            assertThat(s.loadAll()).extracting(StoredObject::id).containsExactly("sg-a", "vif-a");
            assertThat(s.object("sg-a").orElseThrow().name()).isEqualTo("web2");
            assertThat(s.changes(0, 100, null, null)).extracting(ChangeRecord::revision).containsExactly(r1, r2, r2);
            assertThat(s.changes(r1, 100, null, "vif-a")).hasSize(1);
            s.commit("bob", List.of(Change.delete("vnic", "vif-a", "p-a", "eth0", "{}")));
            assertThat(s.loadAll()).extracting(StoredObject::id).containsExactly("sg-a");
            assertThat(s.revision()).isEqualTo(r2 + 1);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void whatChangedSinceARevisionIsEachObjectAsItIsNowOrNullWhenGone(String engine) {
        try (Store s = open(engine, "since")) {
            long r1 = s.commit("admin", List.of(Change.upsert("group", "sg-a", "p-a", "a", "{\"v\":1}", "create", "{}"),
                    Change.upsert("group", "sg-b", "p-a", "b", "{}", "create", "{}")));
            s.commit("admin", List.of(Change.upsert("group", "sg-a", "p-a", "a", "{\"v\":2}", "update", "{}"),
                    Change.upsert("vnic", "vif-c", "p-a", "c", "{}", "create", "{}")));
            s.commit("admin", List.of(Change.delete("vnic", "vif-c", "p-a", "c", "{}")));
            var since = s.changedSince(r1, r1 + 2);
            assertThat(since.keySet()).containsExactlyInAnyOrder("sg-a", "vif-c");
            assertThat(since.get("sg-a").body()).isEqualTo("{\"v\":2}");
            assertThat(since.get("sg-a").revision()).isEqualTo(r1 + 1);
            assertThat(since.get("vif-c")).isNull();
            assertThat(s.changedSince(r1 + 2, r1 + 2)).isEmpty();
            assertThat(s.changedSince(r1, r1 + 1).keySet()).as("up to a revision: what later ones named is left out").containsExactlyInAnyOrder("sg-a", "vif-c");
            assertThat(s.changedSince(r1 + 1, r1 + 2).keySet()).containsExactly("vif-c");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aLargeDocumentIsStoredPackedAndReadBackAsItWas(String engine) {
        StringBuilder json = new StringBuilder("{\"rules\":[");
        java.util.Random random = new java.util.Random(21);
        for (int i = 0; i < 30_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"sgr-").append(Long.toString(random.nextLong() >>> 24, 32))
                    .append("\",\"direction\":\"ingress\",\"protocol\":6,\"portRangeMin\":").append(i % 65535).append(",\"remoteIpPrefix\":\"10.")
                    .append(i >> 8 & 255).append('.').append(i & 255).append(".0/24\",\"description\":\"é\"}");
        }
        String big = json.append("]}").toString();
        String small = "{\"id\":\"sg-small\"}";
        try (Store s = open(engine, "packed")) {
            Change c = Change.upsert("group", "sg-big", "p-a", "big", big, "create", "{}");
            // What the store writes is a fifth or less of the document (these ids are longer and more random than Stockade's).
            assertThat(c.body().startsWith("deflate:")).isTrue();
            assertThat(c.body().length()).isLessThan(big.length() / 5);
            assertThat(Change.upsert("group", "sg-small", "p-a", "small", small, "create", "{}").body()).isEqualTo(small);
            s.commit("admin", List.of(c, Change.upsert("group", "sg-small", "p-a", "small", small, "create", "{}")));
            assertThat(s.object("sg-big").orElseThrow().body().equals(big)).isTrue();
            assertThat(s.loadAll().stream().map(StoredObject::body).toList().equals(List.of(big, small))).isTrue();
            assertThat(s.changedSince(0, s.revision()).get("sg-big").body().equals(big)).as("a follower catching up reads it unpacked too").isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aGroupCommitGivesEachWriteItsRevisionAndRecordsAndTheLastWriteOfAnObjectWins(String engine) {
        try (Store s = open(engine, "group")) {
            long r0 = s.commit("admin", List.of(Change.upsert("group", "sg-a", "p-a", "web", "{\"v\":1}", "create", "{}")));
            List<Long> revs = s.commit(List.of(
                    new Store.Write("alice", List.of(Change.upsert("group", "sg-a", "p-a", "web", "{\"v\":2}", "update", "{}"),
                            Change.upsert("vnic", "vif-a", "p-a", "eth0", "{}", "create", "{}"))),
                    new Store.Write("bob", List.of(Change.delete("vnic", "vif-a", "p-a", "eth0", "{}"),
                            Change.upsert("group", "sg-a", "p-a", "web", "{\"v\":3}", "update", "{}")))));
            assertThat(revs).containsExactly(r0 + 1, r0 + 2);
            assertThat(s.revision()).isEqualTo(r0 + 2);
            assertThat(s.loadAll()).extracting(StoredObject::id).containsExactly("sg-a");
            assertThat(s.object("sg-a").orElseThrow().body()).isEqualTo("{\"v\":3}");
            assertThat(s.object("sg-a").orElseThrow().revision()).isEqualTo(r0 + 2);
            assertThat(s.changes(r0, 100, null, null)).extracting(ChangeRecord::revision, ChangeRecord::actor, ChangeRecord::objectId)
                    .containsExactly(tuple(r0 + 1, "alice", "sg-a"), tuple(r0 + 1, "alice", "vif-a"), tuple(r0 + 2, "bob", "vif-a"), tuple(r0 + 2, "bob", "sg-a"));
            // One bad write fails its whole group: nothing of the others is written either.
            assertThatThrownBy(() -> s.commit(List.of(
                    new Store.Write("alice", List.of(Change.upsert("group", "sg-b", "p-a", "b", "{}", "create", "{}"))),
                    new Store.Write("bob", List.of(Change.upsert("group", "sg-c", "p-a", null, "{}", "create", "{}"))))))
                    .isInstanceOf(StoreException.class);
            assertThat(s.revision()).isEqualTo(r0 + 2);
            assertThat(s.loadAll()).extracting(StoredObject::id).containsExactly("sg-a");
        }
    }

    /**
     * A group commit prepared against a revision the log has left: it is given what came after
     * (each object as it is now, null when gone), read under the log's lock, and what it returns
     * is written at the next revisions; nothing when it returns nothing.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void aGroupCommitBehindTheLogIsGivenWhatCameAfterAndWritesOnTopOfIt(String engine) {
        try (Store s = open(engine, "behind")) {
            long r0 = s.commit("admin", List.of(Change.upsert("group", "sg-a", "p-a", "a", "{\"v\":1}", "create", "{}"),
                    Change.upsert("vnic", "vif-a", "p-a", "eth0", "{}", "create", "{}")));
            Store.Committed atHead = s.commit(r0, behind -> List.of(new Store.Write("alice", List.of(Change.upsert("group", "sg-b", "p-a", "b", "{}", "create", "{}")))));
            assertThat(atHead.behind()).isEqualTo(new Store.Behind(r0, java.util.Map.of()));
            assertThat(atHead.revisions()).containsExactly(r0 + 1);
            s.commit("bob", List.of(Change.upsert("group", "sg-a", "p-a", "a", "{\"v\":2}", "update", "{}"), Change.delete("vnic", "vif-a", "p-a", "eth0", "{}")));

            Store.Committed late = s.commit(r0 + 1, behind -> {
                assertThat(behind.revision()).isEqualTo(r0 + 2);
                assertThat(behind.changed().keySet()).containsExactlyInAnyOrder("sg-a", "vif-a");
                assertThat(behind.changed().get("sg-a").body()).isEqualTo("{\"v\":2}");
                assertThat(behind.changed().get("vif-a")).isNull();
                return List.of(new Store.Write("carol", List.of(Change.upsert("group", "sg-a", "p-a", "a", "{\"v\":3}", "update", "{}"))));
            });
            assertThat(late.revisions()).containsExactly(r0 + 3);
            assertThat(s.object("sg-a").orElseThrow().body()).isEqualTo("{\"v\":3}");
            assertThat(s.commit(r0, behind -> List.of()).revisions()).isEmpty();
            assertThat(s.revision()).isEqualTo(r0 + 3);
        }
    }

    /** Two stores (two controllers' pools) committing at once on PostgreSQL: every write lands once, at its own revision, none refused. */
    @org.junit.jupiter.api.Test
    void concurrentGroupCommitsFromTwoPoolsEachTakeTheirOwnRevisions() throws Exception {
        try (Store a = TestPostgres.store("twopools"); Store b = TestPostgres.reopen("twopools");
                var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<List<Long>>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Store s = t % 2 == 0 ? a : b;
                int writer = t;
                all.add(pool.submit(() -> {
                    List<Long> mine = new java.util.ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        String id = "sg-" + writer + "-" + i;
                        mine.addAll(s.commit(s.revision(), behind -> List.of(new Store.Write("w" + writer,
                                List.of(Change.upsert("group", id, "p-a", id, "{}", "create", "{}"))))).revisions());
                    }
                    return mine;
                }));
            }
            List<Long> revisions = new java.util.ArrayList<>();
            for (var f : all) {
                revisions.addAll(f.get());
            }
            assertThat(revisions).hasSize(80).doesNotHaveDuplicates();
            assertThat(a.revision()).isEqualTo(80);
            assertThat(a.changes(0, 1000, null, null)).extracting(ChangeRecord::revision).containsExactlyInAnyOrderElementsOf(revisions);
            assertThat(b.loadAll()).hasSize(80);
        }
    }

    /** In one group, an object deleted and made again is new (made at this commit), and one made and then deleted is gone. */
    @ParameterizedTest
    @MethodSource("engines")
    void aGroupCommitDeletesWhatItsWritesDeleteBeforeItPutsWhatTheyMakeAgain(String engine) throws Exception {
        try (Store s = open(engine, "again")) {
            long r0 = s.commit("admin", List.of(Change.upsert("vnic", "vif-a", "p-a", "eth0", "{\"v\":1}", "create", "{}")));
            String made = s.object("vif-a").orElseThrow().createdAt();
            Thread.sleep(5);
            List<Long> revs = s.commit(List.of(
                    new Store.Write("alice", List.of(Change.delete("vnic", "vif-a", "p-a", "eth0", "{}"),
                            Change.upsert("vnic", "vif-b", "p-a", "eth1", "{}", "create", "{}"))),
                    new Store.Write("bob", List.of(Change.upsert("vnic", "vif-a", "p-a", "eth0", "{\"v\":2}", "create", "{}"))),
                    new Store.Write("carol", List.of(Change.delete("vnic", "vif-b", "p-a", "eth1", "{}")))));
            assertThat(revs).containsExactly(r0 + 1, r0 + 2, r0 + 3);
            assertThat(s.loadAll()).extracting(StoredObject::id).containsExactly("vif-a");
            StoredObject again = s.object("vif-a").orElseThrow();
            assertThat(again.body()).isEqualTo("{\"v\":2}");
            assertThat(again.revision()).isEqualTo(r0 + 2);
            assertThat(again.createdAt()).as("made again: a new object").isNotEqualTo(made);
            assertThat(s.changes(r0, 100, null, null)).extracting(ChangeRecord::revision, ChangeRecord::objectId)
                    .containsExactly(tuple(r0 + 1, "vif-a"), tuple(r0 + 1, "vif-b"), tuple(r0 + 2, "vif-a"), tuple(r0 + 3, "vif-b"));
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void aFailedMutationWritesNothing(String engine) {
        try (Store s = open(engine, "fail")) {
            s.commit("admin", List.of(Change.upsert("group", "sg-a", "p-a", "web", "{}", "create", "{}")));
            long before = s.revision();
            // The second change has no name (NOT NULL): the whole transaction is rolled back.
            assertThatThrownBy(() -> s.commit("admin", List.of(
                    Change.upsert("group", "sg-b", "p-a", "b", "{}", "create", "{}"),
                    Change.upsert("group", "sg-c", "p-a", null, "{}", "create", "{}"))))
                    .isInstanceOf(StoreException.class).hasMessageContaining("could not write to the store");
            assertThat(s.revision()).isEqualTo(before);
            assertThat(s.loadAll()).extracting(StoredObject::id).containsExactly("sg-a");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void everythingSurvivesAReopen(String engine) {
        String name = "reopen";
        try (Store s = open(engine, name)) {
            s.commit("admin", List.of(Change.upsert("project", "p-a", null, "a", "{}", "create", "{}")));
            s.insertToken(new TokenRecord("tok-1", "h".repeat(64), "admin", null, null, "first", "2026-01-01T00:00:00Z"));
            s.putHostStatuses(List.of(new HostStatus("h-1", 7, "2026-01-01T00:00:00Z", null), new HostStatus("h-2", 3, "2026-01-01T00:00:00Z", "e")));
        }
        try (Store s = engine.equals("sqlite") ? Store.sqlite(dir.resolve(name)) : TestPostgres.reopen(name)) {
            assertThat(s.loadAll()).extracting(StoredObject::id).containsExactly("p-a");
            assertThat(s.tokens()).extracting(TokenRecord::id).containsExactly("tok-1");
            assertThat(s.hostStatuses().get("h-1").appliedRevision()).isEqualTo(7);
            assertThat(s.hostStatuses().get("h-2").lastError()).isEqualTo("e");
            assertThat(s.revision()).isEqualTo(1);
        }
    }

    /** Quota overrides read back after each write of them (the embedded store keeps what it read until it writes them). */
    @ParameterizedTest
    @MethodSource("engines")
    void quotasAreReadAsLastWritten(String engine) {
        try (Store s = open(engine, "quotas")) {
            assertThat(s.quotas("p-a")).isEmpty();
            s.setQuotas("p-a", java.util.Map.of("groups", 5L, "vnics", 7L));
            assertThat(s.quotas("p-a")).isEqualTo(java.util.Map.of("groups", 5L, "vnics", 7L));
            java.util.Map<String, Long> back = new java.util.HashMap<>();
            back.put("groups", null);
            back.put("ipSets", 3L);
            s.setQuotas("p-a", back);
            assertThat(s.quotas("p-a")).isEqualTo(java.util.Map.of("vnics", 7L, "ipSets", 3L));
            assertThat(s.quotas("p-b")).isEmpty();
            s.deleteQuotas("p-a");
            assertThat(s.quotas("p-a")).isEmpty();
        }
    }

    /**
     * The embedded store's writers take turns in the process, not by polling SQLite's lock: with
     * no busy wait at all, writes from many threads at once (commits and status reports) all go
     * through, where SQLite alone refuses every one that meets another's ("database is locked").
     */
    @Test
    void writersOfOneProcessTakeTurnsWithoutSqliteBusyWaits() throws Exception {
        try (Store s = Store.sqlite(dir.resolve("turns"), 0)) {
            int threads = 8;
            int each = 30;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        s.commit("admin", List.of(Change.upsert("group", "sg-" + thread + "-" + i, "p-a", "g", "{}", "create", "{}")));
                        s.putHostStatuses(List.of(new HostStatus("h-" + thread, i, "2026-12-07T00:00:00Z", null)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(s.revision()).isEqualTo(threads * each);
            assertThat(s.hostStatuses()).hasSize(threads).allSatisfy((host, status) -> assertThat(status.appliedRevision()).isEqualTo(each - 1));
        }
    }
}
