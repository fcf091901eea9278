package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.model.Project;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.policy.Policy;
import io.stockade.server.command.Refusal;
import io.stockade.store.ChangeRecord;
import io.stockade.store.Store;
import io.stockade.store.StoreException;
import io.stockade.store.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on real stores: writes that arrive while one is being committed are validated
 * against the world with it, queue, and are committed together in one transaction, each with its
 * own revision and change records; when a commit fails, exactly its writes fail and the writes
 * queued behind it are validated again against the world the store holds. A PostgreSQL trigger
 * holds chosen commits on an advisory lock the test owns, so the order is certain, not timed.
 */
class GroupCommitTest {
    private static final Caller ADMIN = new Caller("t-admin", Caller.Role.ADMIN, null, null);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void writesQueuedBehindACommitShareTheNextTransactionEachWithItsOwnRevision() throws Exception {
        String name = "groupcommit";
        int key = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        // The gate closes first (releasing its lock), so a failure never leaves the pool waiting on it.
        try (Store store = TestPostgres.store(name); ExecutorService pool = Executors.newFixedThreadPool(5); Connection gate = gate(name, key)) {
            Controller ctl = new Controller(store, Policy.wakame(), MAPPER);
            ctl.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().project(new Project("p-a", "a", false)).build(), null, "project"));
            long r0 = ctl.world().revision();

            Future<Object> slow = pool.submit(() -> create(ctl, "sg-slow-a"));
            waitFor(() -> waiting(gate, key) == 1);
            List<Future<Object>> queued = new ArrayList<>();
            for (String id : List.of("sg-b", "sg-c", "sg-d")) {
                queued.add(pool.submit(() -> create(ctl, id)));
            }
            // Queued once the three are (threads of a pool take the lock in no set order).
            waitFor(() -> ctl.queued() == 3);
            // Valid only with the write being committed: the queue sees the world ahead of the store.
            queued.add(pool.submit(() -> describe(ctl, "sg-slow-a", "now described")));
            waitFor(() -> ctl.queued() == 4);
            assertThat(ctl.world().groups()).doesNotContainKey("sg-slow-a");

            execute(gate, "SELECT pg_advisory_unlock(" + key + ")");
            slow.get();
            for (Future<Object> f : queued) {
                f.get();
            }
            assertThat(store.changes(r0, 1, null, null).get(0)).extracting(ChangeRecord::revision, ChangeRecord::objectId)
                    .containsExactly(r0 + 1, "sg-slow-a");
            // Queued last, described last: the group's revision is that of the description.
            assertThat(ctl.meta("sg-slow-a").revision()).isEqualTo(r0 + 5);
            assertThat(List.of("sg-b", "sg-c", "sg-d").stream().map(id -> ctl.meta(id).revision()).sorted().toList())
                    .containsExactlyInAnyOrder(r0 + 2, r0 + 3, r0 + 4);
            assertThat(ctl.world().revision()).isEqualTo(r0 + 5);
            assertThat(ctl.world().groups().get("sg-slow-a").description()).isEqualTo("now described");

            Map<Long, String> at = store.changes(r0, 100, null, null).stream()
                    .collect(Collectors.toMap(ChangeRecord::revision, ChangeRecord::at, (a, b) -> a));
            assertThat(at.keySet()).containsExactlyInAnyOrder(r0 + 1, r0 + 2, r0 + 3, r0 + 4, r0 + 5);
            // One transaction for the four queued writes (one time stamp), another for the first.
            assertThat(List.of(at.get(r0 + 3), at.get(r0 + 4), at.get(r0 + 5))).containsOnly(at.get(r0 + 2));
            assertThat(at.get(r0 + 2)).isNotEqualTo(at.get(r0 + 1));
            sameAsRestart(ctl, store);
        }
    }

    @Test
    void aFailedCommitFailsItsWritesAndThoseBehindItAreValidatedAgainstTheStoredWorld() throws Exception {
        String name = "groupfail";
        int key = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        try (Store store = TestPostgres.store(name); ExecutorService pool = Executors.newFixedThreadPool(3); Connection gate = gate(name, key)) {
            Controller ctl = new Controller(store, Policy.wakame(), MAPPER);
            ctl.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().project(new Project("p-a", "a", false)).build(), null, "project"));
            long r0 = ctl.world().revision();

            Future<Object> bad = pool.submit(() -> create(ctl, "sg-bad-a"));
            waitFor(() -> waiting(gate, key) == 1);
            Future<Object> dependent = pool.submit(() -> describe(ctl, "sg-bad-a", "never"));
            Future<Object> independent = pool.submit(() -> create(ctl, "sg-c"));
            waitFor(() -> ctl.queued() == 2);

            execute(gate, "SELECT pg_advisory_unlock(" + key + ")");
            assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class);
            assertThatThrownBy(dependent::get).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(Refusal.NotFound.class).hasMessageContaining("sg-bad-a");
            independent.get();

            assertThat(ctl.world().groups()).containsKey("sg-c").doesNotContainKey("sg-bad-a");
            assertThat(ctl.meta("sg-c").revision()).isEqualTo(r0 + 1);
            assertThat(ctl.world().revision()).isEqualTo(r0 + 1);
            assertThat(store.object("sg-bad-a")).isEmpty();
            sameAsRestart(ctl, store);
        }
    }

    @Test
    void manyConcurrentWritersOnSqliteAllLandEachAtItsOwnRevision(@TempDir Path dir) throws Exception {
        int writers = 6;
        int each = 30;
        try (Store store = Store.sqlite(dir); ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            Controller ctl = new Controller(store, Policy.wakame(), MAPPER);
            ctl.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().project(new Project("p-a", "a", false)).build(), null, "project"));
            long r0 = ctl.world().revision();
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int writer = t;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        create(ctl, "sg-" + writer + "-" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            assertThat(ctl.world().revision()).isEqualTo(r0 + writers * each);
            assertThat(ctl.world().groups()).hasSize(writers * each);
            assertThat(ctl.world().groups().keySet().stream().map(id -> ctl.meta(id).revision()).distinct().count()).isEqualTo(writers * each);
            for (String id : ctl.world().groups().keySet()) {
                assertThat(store.object(id).orElseThrow().revision()).as(id).isEqualTo(ctl.meta(id).revision());
            }
            sameAsRestart(ctl, store);
        }
    }

    @Test
    void aBigWriteIsCommittedAloneSoTheSmallWritesQueuedBeforeItDoNotWaitForIt() throws Exception {
        String name = "groupbig";
        int key = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        int bigKey = key == Integer.MAX_VALUE - 1 ? 1 : key + 1;
        try (Store store = TestPostgres.store(name); ExecutorService pool = Executors.newFixedThreadPool(4); Connection gate = gate(name, key);
                Connection bigGate = bigGate(name, bigKey)) {
            Controller ctl = new Controller(store, Policy.wakame(), MAPPER);
            ctl.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().project(new Project("p-a", "a", false)).build(), null, "project"));
            long r0 = ctl.world().revision();

            Future<Object> slow = pool.submit(() -> create(ctl, "sg-slow-a"));
            waitFor(() -> waiting(gate, key) == 1);
            Future<Object> before = pool.submit(() -> create(ctl, "sg-b"));
            waitFor(() -> ctl.queued() == 1);
            Future<Object> big = pool.submit(() -> ctl.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder()
                    .group(new SecurityGroup("sg-big-x", "p-a", "big", "", true, false, rules(20_000))).build(), null, "big")));
            waitFor(() -> ctl.queued() == 2);
            Future<Object> after = pool.submit(() -> create(ctl, "sg-c"));
            waitFor(() -> ctl.queued() == 3);

            execute(gate, "SELECT pg_advisory_unlock(" + key + ")");
            slow.get();
            // The big write's commit now waits on its own gate; the write queued before it is done.
            waitFor(() -> waiting(bigGate, bigKey) == 1);
            assertThat(before.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("sg-b");
            assertThat(ctl.meta("sg-b").revision()).isEqualTo(r0 + 2);
            assertThat(after.isDone()).isFalse();

            execute(bigGate, "SELECT pg_advisory_unlock(" + bigKey + ")");
            big.get();
            after.get();
            assertThat(ctl.meta("sg-big-x").revision()).isEqualTo(r0 + 3);
            assertThat(ctl.meta("sg-c").revision()).isEqualTo(r0 + 4);
            Map<Long, String> at = store.changes(r0, 100, null, null).stream()
                    .collect(Collectors.toMap(ChangeRecord::revision, ChangeRecord::at, (a, b) -> a));
            // Four transactions: the first write, the one before the big one, the big one alone, the one after it.
            assertThat(List.of(at.get(r0 + 1), at.get(r0 + 2), at.get(r0 + 3), at.get(r0 + 4))).doesNotHaveDuplicates();
            sameAsRestart(ctl, store);
        }
    }

    @Test
    void aWritePreparedAheadOfTheLockIsPreparedAgainWhenWhatItReadChangedMeanwhile(@TempDir Path dir) throws Exception {
        try (Store store = Store.sqlite(dir)) {
            Controller ctl = new Controller(store, Policy.wakame(), MAPPER);
            ctl.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().project(new Project("p-a", "a", false)).build(), null, "project"));
            create(ctl, "sg-x");
            create(ctl, "sg-read");
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            ctl.mutateAhead(ADMIN, w -> {
                if (runs.incrementAndGet() == 1) {
                    // Another write lands between the preparation and the lock: one on the group this write replaces.
                    describe(ctl, "sg-x", "described meanwhile");
                }
                SecurityGroup g = w.groups().get("sg-x");
                return new Controller.Mutation<>(WorldChange.builder().group(g.withRules(rules(10))).build(), null, "rules", java.util.Set.of());
            });
            assertThat(runs).hasValue(2);
            assertThat(ctl.world().groups().get("sg-x").description()).isEqualTo("described meanwhile");
            assertThat(ctl.world().groups().get("sg-x").rules()).hasSize(10);

            runs.set(0);
            ctl.mutateAhead(ADMIN, w -> {
                if (runs.incrementAndGet() == 1) {
                    // A write on an object this one only read (as a rule's remote group is).
                    describe(ctl, "sg-read", "changed");
                }
                String seen = w.groups().get("sg-read").description();
                SecurityGroup g = w.groups().get("sg-x");
                return new Controller.Mutation<>(WorldChange.builder().group(g.withRules(rules(5))
                        .withLogDrops(seen.equals("changed"))).build(), null, "rules", java.util.Set.of("sg-read"));
            });
            assertThat(runs).hasValue(2);
            assertThat(ctl.world().groups().get("sg-x").logDrops()).isTrue();
            sameAsRestart(ctl, store);
        }
    }

    /** {@code n} distinct ingress rules. */
    private static List<io.stockade.core.model.Rule> rules(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("tcp:").append(1 + i % 60000).append(',').append(1 + i % 60000).append(",ip4:10.").append(i >> 8 & 255).append('.')
                    .append(i & 255).append(".0/24\n");
        }
        List<io.stockade.core.model.Rule> out = new ArrayList<>();
        for (io.stockade.core.model.Rule r : io.stockade.core.ruletext.RuleText.parse(text.toString())) {
            out.add(r.withId(io.stockade.core.model.Ids.newId(io.stockade.core.model.Ids.RULE)));
        }
        return out;
    }

    private static Object create(Controller ctl, String id) {
        return ctl.mutate(ADMIN, w -> new Controller.Mutation<>(
                WorldChange.builder().group(new SecurityGroup(id, "p-a", id.substring(3), "", true, false, List.of())).build(), id, "create " + id));
    }

    private static Object describe(Controller ctl, String id, String description) {
        return ctl.mutate(ADMIN, w -> {
            SecurityGroup g = w.groups().get(id);
            if (g == null) {
                throw Refusal.NotFound.of("security group", id);
            }
            SecurityGroup next = new SecurityGroup(g.id(), g.projectId(), g.name(), description, g.stateful(), g.global(), g.rules());
            return new Controller.Mutation<>(WorldChange.builder().group(next).build(), id, "describe " + id);
        });
    }

    private static void sameAsRestart(Controller ctl, Store store) {
        World reloaded = new Controller(store, Policy.wakame(), MAPPER).world();
        assertThat(reloaded.revision()).isEqualTo(ctl.world().revision());
        assertThat(reloaded.groups()).isEqualTo(ctl.world().groups());
    }

    /**
     * A connection holding advisory lock {@code key}, and a trigger in the store's schema that
     * makes a commit writing a group {@code sg-slow-*} or {@code sg-bad-*} wait for that lock,
     * and then fails the commit of {@code sg-bad-*}.
     */
    private static Connection gate(String name, int key) throws Exception {
        Connection c = DriverManager.getConnection(TestPostgres.url(TestPostgres.schema(name)));
        execute(c, "CREATE FUNCTION gate() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.id LIKE 'sg-slow-%' OR NEW.id LIKE 'sg-bad-%' THEN PERFORM pg_advisory_xact_lock(" + key + "); END IF; "
                + "IF NEW.id LIKE 'sg-bad-%' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
                + "RETURN NEW; END $$ LANGUAGE plpgsql");
        execute(c, "CREATE TRIGGER gate BEFORE INSERT OR UPDATE ON objects FOR EACH ROW EXECUTE FUNCTION gate()");
        execute(c, "SELECT pg_advisory_lock(" + key + ")");
        return c;
    }

    /** Like {@link #gate}, for commits writing a group {@code sg-big-*} (a second gate, on lock {@code key}). */
    private static Connection bigGate(String name, int key) throws Exception {
        Connection c = DriverManager.getConnection(TestPostgres.url(TestPostgres.schema(name)));
        execute(c, "CREATE FUNCTION gate_big() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.id LIKE 'sg-big-%' THEN PERFORM pg_advisory_xact_lock(" + key + "); END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        execute(c, "CREATE TRIGGER gate_big BEFORE INSERT OR UPDATE ON objects FOR EACH ROW EXECUTE FUNCTION gate_big()");
        execute(c, "SELECT pg_advisory_lock(" + key + ")");
        return c;
    }

    /** How many sessions wait for advisory lock {@code key}. */
    private static int waiting(Connection c, int key) {
        try (var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = " + key)) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(Connection c, String sql) throws java.sql.SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Waits for a state other threads reach (no assertion on how long they take; a minute bounds a hang). */
    private static void waitFor(BooleanSupplier state) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!state.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writes never lined up");
            }
            Thread.sleep(5);
        }
    }
}
