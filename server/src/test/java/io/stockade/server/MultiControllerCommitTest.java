package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Project;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.policy.Policy;
import io.stockade.core.ruletext.RuleText;
import io.stockade.store.ChangeRecord;
import io.stockade.store.Store;
import io.stockade.store.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Several controllers writing to one PostgreSQL at once: a commit that finds the revision log
 * moved on takes the other controllers' writes in under the log's lock and validates its own
 * again on top of them, so no write is refused or retried for having come second, none is based
 * on a stale view of what it touches, and every controller ends with the log's one order.
 */
class MultiControllerCommitTest {
    private static final Caller ADMIN = new Caller("t-admin", Caller.Role.ADMIN, null, null);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Controller B commits while A's commit holds the log (a trigger makes it wait on an advisory
     * lock the test owns): B's commit comes second and builds on A's, for a write on another
     * object (not prepared again: it said what it read) and for one on the object A changed
     * (validated again: it sees A's change).
     */
    @Test
    void aCommitThatComesSecondBuildsOnTheFirstWithoutARetry() throws Exception {
        String name = "multigate";
        int key = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        try (Store storeA = TestPostgres.store(name); Store storeB = TestPostgres.reopen(name); ExecutorService pool = Executors.newFixedThreadPool(2);
                Connection gate = gate(name, key)) {
            Controller a = new Controller(storeA, Policy.wakame(), MAPPER);
            a.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().project(new Project("p-a", "a", false)).build(), null, "project"));
            create(a, "sg-x");
            create(a, "sg-y");
            Controller b = new Controller(storeB, Policy.wakame(), MAPPER);
            long r0 = b.world().revision();
            assertThat(r0).isEqualTo(a.world().revision());

            // A makes sg-slow-a and describes sg-x in one write; its commit waits at the gate, holding the log.
            Future<Object> first = pool.submit(() -> a.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder()
                    .group(group("sg-slow-a", "", List.of())).group(described(w.groups().get("sg-x"), "A")).build(), null, "A")));
            waitFor(() -> waiting(gate, key) == 1);

            // B, at r0, writes sg-y (reading only it): prepared once, never again.
            AtomicInteger runs = new AtomicInteger();
            Future<Object> other = pool.submit(() -> b.mutateAhead(ADMIN, w -> {
                runs.incrementAndGet();
                SecurityGroup y = w.groups().get("sg-y");
                return new Controller.Mutation<>(WorldChange.builder().group(described(y, y.description() + "B")).build(), null, "B", Set.of("sg-y"));
            }));
            waitFor(() -> lockWaiters(gate) >= 1);
            execute(gate, "SELECT pg_advisory_unlock(" + key + ")");
            first.get();
            other.get();
            assertThat(runs).as("a write on other objects than the commit before it is not prepared again").hasValue(1);
            assertThat(b.meta("sg-y").revision()).isEqualTo(r0 + 2);
            // B's world took A's write in, as its commit found it.
            assertThat(b.world().revision()).isEqualTo(r0 + 2);
            assertThat(b.world().groups()).containsKey("sg-slow-a");
            assertThat(b.world().groups().get("sg-x").description()).isEqualTo("A");

            // The same object: A (held again) and then B each append to sg-x's description; B's append sees A's.
            execute(gate, "SELECT pg_advisory_lock(" + key + ")");
            Future<Object> held = pool.submit(() -> a.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder()
                    .group(group("sg-slow-b", "", List.of())).group(append(w, "sg-x", "a")).build(), null, "A again")));
            waitFor(() -> waiting(gate, key) == 1);
            assertThat(b.world().groups().get("sg-x").description()).isEqualTo("A");
            Future<Object> same = pool.submit(() -> b.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().group(append(w, "sg-x", "b")).build(),
                    null, "B again")));
            waitFor(() -> lockWaiters(gate) >= 1);
            execute(gate, "SELECT pg_advisory_unlock(" + key + ")");
            held.get();
            same.get();
            a.catchUp();
            assertThat(b.world().groups().get("sg-x").description()).isEqualTo("Aab");
            assertThat(a.world().groups()).isEqualTo(b.world().groups());
            assertThat(storeA.changes(r0, 100, null, null)).extracting(ChangeRecord::revision, ChangeRecord::objectId).containsExactly(
                    tuple(r0 + 1, "sg-slow-a"), tuple(r0 + 1, "sg-x"), tuple(r0 + 2, "sg-y"), tuple(r0 + 3, "sg-slow-b"), tuple(r0 + 3, "sg-x"),
                    tuple(r0 + 4, "sg-x"));
            sameAsRestart(b, storeB);
        }
    }

    /** Tags set through B while A's commit holds the log: checked on top of A's commit, not refused for coming second. */
    @Test
    void tagsSetWhileAnotherControllerCommitsAreCheckedOnTopOfItsCommit() throws Exception {
        String name = "multitags";
        int key = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        try (Store storeA = TestPostgres.store(name); Store storeB = TestPostgres.reopen(name); ExecutorService pool = Executors.newFixedThreadPool(2);
                Connection gate = gate(name, key)) {
            Controller a = new Controller(storeA, Policy.wakame(), MAPPER);
            a.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().project(new Project("p-a", "a", false)).build(), null, "project"));
            create(a, "sg-gone");
            create(a, "sg-y");
            Controller b = new Controller(storeB, Policy.wakame(), MAPPER);
            long r0 = b.world().revision();

            // A makes sg-slow-a and deletes sg-gone; its commit waits at the gate.
            Future<Object> first = pool.submit(() -> a.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder()
                    .group(group("sg-slow-a", "", List.of())).remove("sg-gone").build(), null, "A")));
            waitFor(() -> waiting(gate, key) == 1);
            Future<List<String>> tagged = pool.submit(() -> b.setTags(ADMIN, "sg-y", "p-a", List.of("prod", "db")));
            waitFor(() -> lockWaiters(gate) >= 1);
            execute(gate, "SELECT pg_advisory_unlock(" + key + ")");
            first.get();
            assertThat(tagged.get()).containsExactly("db", "prod");
            assertThat(b.tagsMeta("sg-y").revision()).isEqualTo(r0 + 2);
            assertThat(b.world().revision()).isEqualTo(r0 + 2);
            assertThat(b.world().groups()).containsKey("sg-slow-a").doesNotContainKey("sg-gone");

            // A third controller (C), at the revision before A deletes sg-gone-too, tags it while A's delete holds the log: refused.
            execute(gate, "SELECT pg_advisory_lock(" + key + ")");
            create(a, "sg-gone-too");
            Controller c = new Controller(TestPostgres.reopen(name), Policy.wakame(), MAPPER);
            Future<Object> held = pool.submit(() -> a.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder()
                    .group(group("sg-slow-b", "", List.of())).remove("sg-gone-too").build(), null, "A again")));
            waitFor(() -> waiting(gate, key) == 1);
            Future<List<String>> refused = pool.submit(() -> c.setTags(ADMIN, "sg-gone-too", "p-a", List.of("x")));
            waitFor(() -> lockWaiters(gate) >= 1);
            execute(gate, "SELECT pg_advisory_unlock(" + key + ")");
            held.get();
            assertThatThrownBy(refused::get).cause().isInstanceOf(io.stockade.server.command.Refusal.NotFound.class).hasMessageContaining("sg-gone-too");
            assertThat(c.world().groups()).containsKey("sg-slow-b").doesNotContainKey("sg-gone-too");
            assertThat(storeA.changes(0, 1000, null, "tags/sg-gone-too")).isEmpty();
            c.store().close();
        }
    }

    /**
     * Two controllers, two writers each, adding rules at once: each writer to a group of its own
     * and to one group they all share. Every acknowledged rule is there once, both controllers
     * hold the same world in the log's order, and each controller's listeners heard revisions in
     * increasing order.
     */
    @Test
    void concurrentWritersOnTwoControllersLoseNothingAndAgreeOnOneOrder() throws Exception {
        String name = "multiwriters";
        int writers = 2;
        int each = 25;
        try (Store storeA = TestPostgres.store(name); Store storeB = TestPostgres.reopen(name); ExecutorService pool = Executors.newFixedThreadPool(2 * writers)) {
            Controller a = new Controller(storeA, Policy.wakame(), MAPPER);
            a.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().project(new Project("p-a", "a", false)).build(), null, "project"));
            create(a, "sg-shared");
            for (int c = 0; c < 2; c++) {
                for (int t = 0; t < writers; t++) {
                    create(a, "sg-own-" + c + "-" + t);
                }
            }
            Controller b = new Controller(storeB, Policy.wakame(), MAPPER);
            long r0 = a.world().revision();
            List<Controller> controllers = List.of(a, b);
            List<List<Long>> heard = List.of(java.util.Collections.synchronizedList(new ArrayList<>()), java.util.Collections.synchronizedList(new ArrayList<>()));
            for (int c = 0; c < 2; c++) {
                List<Long> revisions = heard.get(c);
                controllers.get(c).onChange((World next, WorldChange change) -> revisions.add(next.revision()));
            }
            List<Future<List<Integer>>> all = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                Controller ctl = controllers.get(c);
                for (int t = 0; t < writers; t++) {
                    String own = "sg-own-" + c + "-" + t;
                    int base = (c * writers + t) * 1000;
                    all.add(pool.submit(() -> {
                        List<Integer> acknowledged = new ArrayList<>();
                        for (int i = 1; i <= each; i++) {
                            int port = base + i;
                            String group = i % 2 == 0 ? "sg-shared" : own;
                            ctl.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().group(withRule(w, group, port)).build(), null, "rule " + port));
                            acknowledged.add(port);
                        }
                        return acknowledged;
                    }));
                }
            }
            List<Integer> acknowledged = new ArrayList<>();
            for (Future<List<Integer>> f : all) {
                acknowledged.addAll(f.get());
            }
            assertThat(acknowledged).hasSize(2 * writers * each);
            a.catchUp();
            b.catchUp();
            long last = storeA.revision();
            assertThat(last).as("one revision per write").isEqualTo(r0 + 2L * writers * each);
            for (Controller ctl : controllers) {
                assertThat(ctl.world().revision()).isEqualTo(last);
                List<Integer> ports = ctl.world().groups().values().stream().filter(g -> g.id().startsWith("sg-")).flatMap(g -> g.rules().stream())
                        .map(MultiControllerCommitTest::port).toList();
                assertThat(ports).containsExactlyInAnyOrderElementsOf(acknowledged);
            }
            assertThat(a.world().groups()).isEqualTo(b.world().groups());
            // The shared group's rules are in the log's order, the same on both.
            List<Integer> logOrder = storeA.changes(r0, 1000, null, "sg-shared").stream().map(ChangeRecord::detail)
                    .map(d -> Integer.parseInt(d.replaceAll("\\D", ""))).toList();
            assertThat(a.world().groups().get("sg-shared").rules().stream().map(MultiControllerCommitTest::port).toList()).isEqualTo(logOrder);
            Map<Long, Long> perRevision = storeA.changes(r0, 1000, null, null).stream().collect(Collectors.groupingBy(ChangeRecord::revision, Collectors.counting()));
            assertThat(perRevision).hasSize(2 * writers * each).allSatisfy((rev, n) -> assertThat(n).isEqualTo(1L));
            for (List<Long> revisions : heard) {
                assertThat(revisions).isSorted().doesNotHaveDuplicates();
            }
            sameAsRestart(a, storeA);
        }
    }

    private static SecurityGroup withRule(World w, String group, int port) {
        SecurityGroup g = w.groups().get(group);
        List<Rule> rules = new ArrayList<>(g.rules());
        rules.add(RuleText.parse("tcp:" + port + "," + port + ",ip4:192.0.2.1/32").get(0).withId(Ids.newId(Ids.RULE)));
        return g.withRules(rules);
    }

    private static SecurityGroup append(World w, String id, String text) {
        SecurityGroup g = w.groups().get(id);
        return described(g, g.description() + text);
    }

    private static SecurityGroup described(SecurityGroup g, String description) {
        return new SecurityGroup(g.id(), g.projectId(), g.name(), description, g.stateful(), g.global(), g.rules());
    }

    private static int port(Rule r) {
        return ((io.stockade.core.model.Match.Ports) r.match()).from();
    }

    private static SecurityGroup group(String id, String description, List<Rule> rules) {
        return new SecurityGroup(id, "p-a", id.substring(3), description, true, false, rules);
    }

    private static void create(Controller ctl, String id) {
        ctl.mutate(ADMIN, w -> new Controller.Mutation<>(WorldChange.builder().group(group(id, "", List.of())).build(), id, "create " + id));
    }

    private static void sameAsRestart(Controller ctl, Store store) {
        World reloaded = new Controller(store, Policy.wakame(), MAPPER).world();
        assertThat(reloaded.revision()).isEqualTo(ctl.world().revision());
        assertThat(reloaded.groups()).isEqualTo(ctl.world().groups());
    }

    /** A connection holding advisory lock {@code key}, and a trigger that makes a commit writing a group {@code sg-slow-*} wait for it. */
    private static Connection gate(String name, int key) throws Exception {
        Connection c = DriverManager.getConnection(TestPostgres.url(TestPostgres.schema(name)));
        execute(c, "CREATE FUNCTION gate() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.id LIKE 'sg-slow-%' THEN PERFORM pg_advisory_xact_lock(" + key + "); END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        execute(c, "CREATE TRIGGER gate BEFORE INSERT OR UPDATE ON objects FOR EACH ROW EXECUTE FUNCTION gate()");
        execute(c, "SELECT pg_advisory_lock(" + key + ")");
        return c;
    }

    /** How many sessions wait for advisory lock {@code key}. */
    private static int waiting(Connection c, int key) {
        return count(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = " + key);
    }

    /** How many sessions wait for the lock of this schema's revision log (a second committer). */
    private static int lockWaiters(Connection c) {
        return count(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND NOT granted AND relation = 'changes'::regclass");
    }

    private static int count(Connection c, String sql) {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
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
