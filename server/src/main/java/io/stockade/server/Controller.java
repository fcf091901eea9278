package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Instance;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.ValidationException;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.policy.Policy;
import io.stockade.server.command.Refusal;
import io.stockade.store.Change;
import io.stockade.store.Store;
import io.stockade.store.StoredObject;
import io.stockade.wire.WorldJson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The controller's state and its one write path: the current world in memory (read without
 * locks), and mutations that are validated against it, written to the store in one transaction
 * (one revision), then published to listeners (the watch hub). No HTTP here: the native API and
 * the Neutron facade both call this.
 *
 * <p>Group commit: writes that arrive while one is being written to the store are validated in
 * order against the world with every write before them applied ({@code ahead}), and queue; the
 * next committer (the first of their callers to find the store free) writes all queued writes in
 * one transaction, each with its own revision and change records, so they share one sync to
 * disk. A caller returns only once its write is durable and {@link #world()} shows it. When a
 * commit fails, exactly its writes fail; those queued behind it are validated again against the
 * world as the store has it.
 *
 * <p>Several controllers on one PostgreSQL: a commit takes the revision log's lock first. When
 * other controllers committed since the world its writes were validated against, it reads their
 * objects under that lock, takes them into the world and validates its writes again on top of
 * them before writing (a write that said what it read and finds none of it changed is kept as
 * prepared). So a commit never fails or retries for having come second, no write is based on a
 * stale view of what it touches, and revisions stay one total order that followers read.
 */
public final class Controller {
    /**
     * What a mutation changes in the world, what it returns, a line for the audit log, and the ids
     * of the objects it read beyond those it changes (needed by {@link #mutateAhead} only).
     */
    public record Mutation<T>(WorldChange change, T result, String detail, Set<String> reads) {
        public Mutation {
            reads = Set.copyOf(reads);
        }

        public Mutation(WorldChange change, T result, String detail) {
            this(change, result, detail, Set.of());
        }
    }

    /** Hears of each new world with the change that made it from the one before. */
    @FunctionalInterface
    public interface Listener {
        void changed(World next, WorldChange change);
    }

    /** When an object was made and last changed, and at which revision. */
    public record Meta(String createdAt, String updatedAt, long revision) {}

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Controller.class);
    private static final String TAGS = "tags";
    private static final String TAGS_PREFIX = "tags/";
    /**
     * A write whose store bodies (as stored, packed) are larger than this (a group of some
     * thousands of rules) is committed in a transaction of its own, so the small writes queued
     * with it do not wait for it.
     */
    static final int BIG_WRITE_CHARS = 64 * 1024;
    /** How often {@link #mutateAhead} prepares a write again outside the lock before it does so under the lock. */
    private static final int AHEAD_TRIES = 5;

    private final Store store;
    private final HostStatuses hostStatuses;
    private final Policy policy;
    private final ObjectMapper mapper;
    private final WorldJson json;
    private final Map<String, Meta> meta = new ConcurrentHashMap<>();
    /** Tags of objects (Neutron's): API metadata kept beside the world, since no firewall depends on them. */
    private final Map<String, List<String>> tags = new ConcurrentHashMap<>();
    private final ThreadLocal<Runnable> precondition = new ThreadLocal<>();
    /**
     * What this thread's writes produced since {@link #forgetWrites}, by object id: a write's
     * response shows the revision that write made, not a later one another request made before
     * the response was rendered (issue 21, honest revisions). The HTTP layer forgets at the start
     * of each request.
     */
    private final ThreadLocal<Map<String, Meta>> written = ThreadLocal.withInitial(java.util.HashMap::new);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile World world;
    /** Guards the queue, {@code ahead}, {@code committing} and every change of the world. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a commit ends. */
    private final Condition committed = lock.newCondition();
    private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
    /** The world with every queued and committing write applied (the world itself when none are). */
    private World ahead;
    /** Whether a caller is writing a batch to the store (with the lock released). */
    private boolean committing;

    /**
     * Each hold of the write lock by a write for its own work, to check and queue it (prepare) and
     * to make it current after its commit (publish): what every other write may wait for (issue 21).
     */
    private final io.micrometer.core.instrument.Timer lockHeld;
    private final io.micrometer.core.instrument.Timer lockHeldPublishing;
    /** Each batch's store commit, which the writes queued behind it wait for: big (a write of its own) or small. */
    private final io.micrometer.core.instrument.Timer bigCommits;
    private final io.micrometer.core.instrument.Timer smallCommits;

    public Controller(Store store, Policy policy, ObjectMapper mapper) {
        this(store, policy, mapper, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** A controller that times its write lock and commits in {@code metrics} ({@code stockade_write_*} in /metrics). */
    public Controller(Store store, Policy policy, ObjectMapper mapper, io.micrometer.core.instrument.MeterRegistry metrics) {
        this.lockHeld = timer(metrics, "stockade.write.lock.held", "how long a write held the write lock for its own work", "step", "prepare");
        this.lockHeldPublishing = timer(metrics, "stockade.write.lock.held", "how long a write held the write lock for its own work", "step", "publish");
        this.bigCommits = timer(metrics, "stockade.write.commit", "how long a batch of writes took to commit", "size", "big");
        this.smallCommits = timer(metrics, "stockade.write.commit", "how long a batch of writes took to commit", "size", "small");
        this.store = store;
        this.hostStatuses = new HostStatuses(store);
        this.policy = policy;
        this.mapper = mapper;
        this.json = new WorldJson(mapper);
        this.world = load();
        this.ahead = world;
    }

    private static io.micrometer.core.instrument.Timer timer(io.micrometer.core.instrument.MeterRegistry metrics, String name, String help,
            String... tags) {
        return io.micrometer.core.instrument.Timer.builder(name).description(help).tags(tags).publishPercentiles(0.5, 0.99).register(metrics);
    }

    private World load() {
        Incoming in = incoming(store.loadAll());
        take(in);
        return World.builder().policy(policy).revision(store.revision()).with(in.change()).build();
    }

    /**
     * Objects read from the store, as a change of the world, and what they say beside it: each
     * one's {@link Meta}, the tags objects, and the ids of those gone (null in {@code changed}).
     */
    private record Incoming(WorldChange change, Map<String, Meta> meta, Map<String, List<String>> tags, Set<String> gone) {}

    /** Makes what {@code in} says beside the world (meta, tags) current; the caller applies its change to the world. */
    private void take(Incoming in) {
        for (String id : in.gone()) {
            meta.remove(id);
            if (id.startsWith(TAGS_PREFIX)) {
                tags.remove(id.substring(TAGS_PREFIX.length()));
            }
        }
        meta.putAll(in.meta());
        tags.putAll(in.tags());
    }

    private Incoming incoming(List<StoredObject> objects) {
        Map<String, StoredObject> byId = new java.util.LinkedHashMap<>();
        objects.forEach(o -> byId.put(o.id(), o));
        return incoming(byId);
    }

    /** {@code changed}: each id with its object as stored, or null when it is gone. */
    private Incoming incoming(Map<String, StoredObject> changed) {
        WorldChange.Builder b = WorldChange.builder();
        Map<String, Meta> metas = new java.util.HashMap<>();
        Map<String, List<String>> tagged = new java.util.HashMap<>();
        Set<String> gone = new java.util.HashSet<>();
        for (Map.Entry<String, StoredObject> e : changed.entrySet()) {
            StoredObject o = e.getValue();
            if (o == null) {
                b.remove(e.getKey());
                gone.add(e.getKey());
                continue;
            }
            JsonNode n = read(o.body());
            switch (o.kind()) {
                case "project" -> b.project(json.readProject(n));
                case "group" -> b.group(json.readGroup(n));
                case "ipset" -> b.ipSet(json.readIpSet(n));
                case "network" -> b.network(json.readNetwork(n));
                case "host" -> b.host(json.readHost(n));
                case "instance" -> b.instance(json.readInstance(n));
                case "vnic" -> b.vnic(json.readVnic(n));
                case TAGS -> tagged.put(n.path("object").asText(), strings(n.path("tags")));
                default -> throw new IllegalStateException("unknown object kind in store: " + o.kind());
            }
            metas.put(o.id(), new Meta(o.createdAt(), o.updatedAt(), o.revision()));
        }
        return new Incoming(b.build(), metas, tagged, gone);
    }

    /**
     * Takes in what other controllers on the same database wrote since this one's revision: the
     * objects the change log names are read again (or dropped when gone) into one change that
     * is applied to the current world, and listeners hear of it. The revision log is the truth;
     * notifications only say when to look.
     */
    public void catchUp() {
        lock.lock();
        try {
            if (queue.isEmpty() && !committing) {
                catchUpNow();
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@link #catchUp()} with the lock held and nothing queued. */
    private void catchUpNow() {
        long stored = store.revision();
        World current = world;
        if (stored <= current.revision()) {
            return;
        }
        // One query for every object named since (not one per object: a big write of another controller is one round trip).
        Incoming in = incoming(store.changedSince(current.revision(), stored));
        take(in);
        WorldChange change = in.change().against(current);
        World next = current.apply(change).atRevision(stored);
        world = next;
        ahead = next;
        tell(next, change);
    }

    private JsonNode read(String body) {
        try {
            return mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("corrupt object in store: " + e.getMessage(), e);
        }
    }

    public World world() {
        return world;
    }

    public Policy policy() {
        return policy;
    }

    public Store store() {
        return store;
    }

    /** What the agents report about their hosts. */
    public HostStatuses hostStatuses() {
        return hostStatuses;
    }

    public WorldJson json() {
        return json;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public Meta meta(String id) {
        Meta mine = written.get().get(id);
        return mine != null ? mine : meta.get(id);
    }

    /** Starts a request: its write responses show what its own writes made. */
    public void forgetWrites() {
        written.get().clear();
    }

    /**
     * Runs an operation whose mutation happens only if {@code check} passes (it throws otherwise),
     * checked against the current world under the same lock as the write: Neutron's
     * {@code If-Match: revision_number=N}. The operations themselves need not know.
     */
    public <T> T provided(Runnable check, java.util.function.Supplier<T> operation) {
        precondition.set(check);
        try {
            return operation.get();
        } finally {
            precondition.remove();
        }
    }

    /** An object's tags, sorted; empty when it has none. */
    public List<String> tags(String objectId) {
        return tags.getOrDefault(objectId, List.of());
    }

    /** When an object's tags last changed, or null when it never had any. */
    public Meta tagsMeta(String objectId) {
        return meta(TAGS_PREFIX + objectId);
    }

    /**
     * Replaces the tags of an object of the current world in one revision, like every other
     * change (an empty list removes them). Returns them sorted, without duplicates.
     */
    public List<String> setTags(Caller caller, String objectId, String projectId, List<String> newTags) {
        lock.lock();
        try {
            awaitNothingQueued();
            return setTagsNow(caller, objectId, projectId, newTags);
        } finally {
            lock.unlock();
        }
    }

    private List<String> setTagsNow(Caller caller, String objectId, String projectId, List<String> newTags) {
        List<String> sorted = List.copyOf(new java.util.TreeSet<>(newTags));
        catchUpNow();
        World base = world;
        Caught caught = new Caught();
        List<Change> made = new ArrayList<>(1);
        // Checked again under the log's lock on top of other controllers' commits, as a group commit is.
        Store.Committed done;
        try {
            done = store.commit(base.revision(), behind -> {
                World w = behind.revision() == base.revision() ? base : caughtUp(base, behind, caught);
                made.clear();
                if (!w.groups().containsKey(objectId) && !w.ipSets().containsKey(objectId) && !w.vnics().containsKey(objectId)) {
                    throw Refusal.NotFound.of("object", objectId);
                }
                if (!sorted.equals(tags(objectId))) {
                    String d = mapper.createObjectNode().put("what", "set tags of " + objectId + " to " + sorted).toString();
                    ObjectNode body = mapper.createObjectNode().put("object", objectId);
                    sorted.forEach(body.putArray("tags")::add);
                    made.add(sorted.isEmpty() ? Change.delete(TAGS, TAGS_PREFIX + objectId, projectId, objectId, d)
                            : Change.upsert(TAGS, TAGS_PREFIX + objectId, projectId, objectId, body.toString(), tags.containsKey(objectId) ? "update" : "create", d));
                }
                return made.isEmpty() ? List.of() : List.of(new Store.Write(caller.actor(), List.copyOf(made)));
            });
        } finally {
            takeIn(caught);
        }
        if (!made.isEmpty()) {
            publish(world, WorldChange.NONE, made, done.revisions().get(0), written.get());
            ahead = world;
        }
        return sorted;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(t -> out.add(t.asText()));
        return List.copyOf(out);
    }

    public void onChange(Consumer<World> listener) {
        listeners.add((next, change) -> listener.accept(next));
    }

    public void onChange(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Runs one mutation: takes its change against the world with the writes queued before it,
     * writes the objects it changes in one transaction (shared with the writes queued with it),
     * then makes the world with the change applied current. Validation errors from the model
     * become 422 naming the field; nothing is written when anything fails. Returns once the write
     * is durable.
     */
    public <T> T mutate(Caller caller, Function<World, Mutation<T>> f) {
        Pending<T> p = new Pending<>(caller.actor(), f, precondition.get());
        lock.lock();
        try {
            if (p.check != null) {
                // A precondition reads what is committed (revisions): nothing may be ahead of it.
                awaitNothingQueued();
            }
            if (queue.isEmpty() && !committing) {
                catchUpNow();
                ahead = world;
            }
            long held = System.nanoTime();
            try {
                prepare(p);
            } finally {
                lockHeld.record(System.nanoTime() - held, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            awaitCommitted(p);
        } finally {
            lock.unlock();
        }
        return outcome(p);
    }

    /**
     * {@link #mutate} for a write whose cost grows with its size (a 30,000-line rule text, issue
     * 21): {@code f} runs, and its change is compared and serialised for the store, against the
     * committed world without the write lock. Under the lock the write is queued as it is if none
     * of the objects it read ({@link Mutation#reads}) or changes is another object in the world
     * ahead (compared by identity: the lock is held for O(reads), not O(size)); otherwise it is
     * prepared again against the newer world, and after a few tries under the lock as {@link
     * #mutate} does. {@code f} must name in {@link Mutation#reads} every object whose state its
     * checks depend on.
     */
    public <T> T mutateAhead(Caller caller, Function<World, Mutation<T>> f) {
        Runnable check = precondition.get();
        for (int attempt = 0; attempt < AHEAD_TRIES; attempt++) {
            World seen = world;
            Mutation<T> m = run(f, seen);
            WorldChange change = m.change().against(seen);
            String d = detail(m.detail());
            List<Change> puts = puts(seen, change, d);
            Pending<T> p = new Pending<>(caller.actor(), f, check);
            lock.lock();
            try {
                if (check != null) {
                    awaitNothingQueued();
                }
                if (queue.isEmpty() && !committing) {
                    catchUpNow();
                    ahead = world;
                }
                long held = System.nanoTime();
                if (!unchanged(seen, ahead, m.reads(), change)) {
                    continue;
                }
                if (check != null) {
                    check.run();
                }
                p.result = m.result();
                if (change.isEmpty()) {
                    return p.result;
                }
                p.change = change;
                p.before = seen;
                p.reads = m.reads();
                p.changes = removals(ahead, change, d);
                p.changes.addAll(puts);
                p.after = ahead.apply(change);
                ahead = p.after;
                queue.add(p);
                lockHeld.record(System.nanoTime() - held, java.util.concurrent.TimeUnit.NANOSECONDS);
                awaitCommitted(p);
            } finally {
                lock.unlock();
            }
            return outcome(p);
        }
        return mutate(caller, f);
    }

    /** Whether every object named by {@code reads} or changed by {@code change} is the same in both worlds. */
    private static boolean unchanged(World seen, World now, Set<String> reads, WorldChange change) {
        if (seen == now) {
            return true;
        }
        for (Set<String> ids : List.of(reads, change.ids())) {
            for (String id : ids) {
                if (seen.object(id) != now.object(id)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Waits, committing queued batches when no one else is, until {@code p} is committed or has failed. Lock held. */
    private void awaitCommitted(Pending<?> p) {
        while (!p.done) {
            if (committing) {
                committed.awaitUninterruptibly();
            } else {
                commitQueued();
            }
        }
    }

    /** A committed write's result, or its failure thrown. */
    private <T> T outcome(Pending<T> p) {
        if (p.failure != null) {
            throw p.failure;
        }
        // The committer may be another caller's thread: this caller's response shows what its own write made.
        written.get().putAll(p.made);
        return p.result;
    }

    private static <T> Mutation<T> run(Function<World, Mutation<T>> f, World w) {
        try {
            return f.apply(w);
        } catch (ValidationException e) {
            throw new Refusal.Invalid(e.field(), e.getMessage());
        }
    }

    /** A write in the queue: what it does to the world before it, and its outcome once committed. */
    private static final class Pending<T> {
        final String actor;
        final Function<World, Mutation<T>> f;
        final Runnable check;
        /** The world its change was taken against, and the ids it read there; null when it did not say ({@link #mutate}). */
        World before;
        Set<String> reads;
        WorldChange change;
        List<Change> changes;
        World after;
        /** Why it no longer holds, found when it was validated again under the log's lock; null when it holds. */
        RuntimeException refused;
        boolean done;
        /** What the write made of each object it wrote (its revision), for the caller's response. */
        final Map<String, Meta> made = new java.util.HashMap<>();
        T result;
        RuntimeException failure;

        Pending(String actor, Function<World, Mutation<T>> f, Runnable check) {
            this.actor = actor;
            this.f = f;
            this.check = check;
        }

        void fail(RuntimeException e) {
            failure = e;
            done = true;
        }
    }

    /**
     * Validates a write against the world ahead and queues it (or it is done at once when it
     * changes nothing). Throws what validation throws; then nothing is queued.
     */
    private <T> void prepare(Pending<T> p) {
        validate(p, ahead);
        if (p.change.isEmpty()) {
            p.done = true;
            return;
        }
        ahead = p.after;
        queue.add(p);
    }

    /** Takes a write's change, store changes and result against {@code w}. Throws what validation throws. */
    private <T> void validate(Pending<T> p, World w) {
        if (p.check != null) {
            p.check.run();
        }
        Mutation<T> m = run(p.f, w);
        p.result = m.result();
        p.before = w;
        if (p.reads != null) {
            p.reads = m.reads();
        }
        p.change = m.change().against(w);
        if (p.change.isEmpty()) {
            return;
        }
        String d = detail(m.detail());
        p.changes = removals(w, p.change, d);
        p.changes.addAll(puts(w, p.change, d));
        p.after = w.apply(p.change);
    }

    /** How many writes wait for the next commit (tests line writes up behind a commit with it). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void awaitNothingQueued() {
        while (!queue.isEmpty() || committing) {
            committed.awaitUninterruptibly();
        }
    }

    /**
     * Writes the queued writes in one transaction (a {@linkplain #BIG_WRITE_CHARS big} write in
     * one of its own: the writes before it first, those after it next), with the lock released while the store
     * works, then publishes each with its revision. Called with the lock held by a caller whose
     * write is queued, when no commit is under way.
     */
    private void commitQueued() {
        List<Pending<?>> batch = new ArrayList<>();
        while (!queue.isEmpty()) {
            boolean big = big(queue.peek());
            if (big && !batch.isEmpty()) {
                break;
            }
            batch.add(queue.poll());
            if (big) {
                break;
            }
        }
        committing = true;
        List<Store.Write> prepared = new ArrayList<>(batch.size());
        batch.forEach(p -> prepared.add(new Store.Write(p.actor, p.changes)));
        World base = world;
        Caught caught = new Caught();
        Store.Committed done = null;
        RuntimeException failure = null;
        lock.unlock();
        long started = System.nanoTime();
        try {
            done = store.commit(base.revision(), behind -> behind.revision() == base.revision() ? prepared : validateAgain(base, behind, batch, caught));
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            lock.lock();
        }
        (batch.size() == 1 && big(batch.get(0)) ? bigCommits : smallCommits).record(System.nanoTime() - started,
                java.util.concurrent.TimeUnit.NANOSECONDS);
        try {
            // Other controllers' commits came first: the world takes them in, as the commit found them (before this batch, if it was written).
            boolean moved = takeIn(caught);
            if (done != null) {
                java.util.Iterator<Long> revisions = done.revisions().iterator();
                for (Pending<?> p : batch) {
                    if (p.refused != null) {
                        p.fail(p.refused);
                        continue;
                    }
                    if (!p.change.isEmpty()) {
                        long held = System.nanoTime();
                        publish(p.after, p.change, p.changes, revisions.next(), p.made);
                        lockHeldPublishing.record(System.nanoTime() - held, java.util.concurrent.TimeUnit.NANOSECONDS);
                    }
                    p.done = true;
                }
                if (!moved) {
                    return;
                }
            } else {
                // Nothing of the batch is written: the world stays as the store has it.
                for (Pending<?> p : batch) {
                    p.fail(failure);
                }
            }
            // The writes queued behind the batch were validated against a world the store does not hold: again, against the world.
            List<Pending<?>> again = new ArrayList<>(queue);
            queue.clear();
            ahead = world;
            for (Pending<?> p : again) {
                try {
                    prepare(p);
                } catch (RuntimeException e) {
                    p.fail(e);
                }
            }
        } finally {
            committing = false;
            committed.signalAll();
        }
    }

    /** The world as a commit found the store (other controllers' writes taken in), and the change that made it from the one before. */
    private static final class Caught {
        World world;
        WorldChange change;
    }

    /**
     * Makes the world the one a commit found (other controllers' writes taken in), if it read
     * one: what it read under the log's lock was committed, whether or not its own writes were.
     * Returns whether it did. Lock held.
     */
    private boolean takeIn(Caught caught) {
        if (caught.world == null) {
            return false;
        }
        world = caught.world;
        ahead = caught.world;
        tell(caught.world, caught.change);
        return true;
    }

    /** {@code base} with the objects other controllers committed after it ({@code behind}) taken in, kept in {@code caught}. */
    private World caughtUp(World base, Store.Behind behind, Caught caught) {
        Incoming in = incoming(behind.changed());
        take(in);
        caught.change = in.change().against(base);
        caught.world = base.apply(caught.change).atRevision(behind.revision());
        return caught.world;
    }

    /**
     * Under the log's lock, when other controllers committed after {@code base}: takes their
     * objects into the world ({@code caught}) and validates the batch again on top of them, in
     * order, each write on the world its predecessors leave. A write that said what it read
     * ({@link #mutateAhead}) and finds none of it (nor what it changes) changed is kept as it
     * was prepared; a write that no longer holds is left out ({@link Pending#refused}). Returns
     * the writes to commit. Runs without the controller's lock: while a commit is under way
     * nothing else changes the world.
     */
    private List<Store.Write> validateAgain(World base, Store.Behind behind, List<Pending<?>> batch, Caught caught) {
        World w = caughtUp(base, behind, caught);
        List<Store.Write> writes = new ArrayList<>(batch.size());
        for (Pending<?> p : batch) {
            p.refused = null;
            try {
                if (p.reads != null && unchanged(p.before, w, p.reads, p.change)) {
                    p.before = w;
                    p.after = w.apply(p.change);
                } else {
                    validate(p, w);
                }
            } catch (RuntimeException e) {
                p.refused = e;
                continue;
            }
            if (!p.change.isEmpty()) {
                writes.add(new Store.Write(p.actor, p.changes));
                w = p.after;
            }
        }
        return writes;
    }

    /** Makes {@code after} the world at revision {@code rev} (a durable write) and tells the listeners. */
    private void publish(World after, WorldChange change, List<Change> changes, long rev, Map<String, Meta> made) {
        String now = java.time.Instant.now().toString();
        for (Change c : changes) {
            if (c.kind().equals(TAGS)) {
                String object = c.id().substring(TAGS_PREFIX.length());
                if (c.body() == null) {
                    tags.remove(object);
                } else {
                    tags.put(object, strings(read(io.stockade.store.Bodies.unpack(c.body())).path("tags")));
                }
            }
            if (c.body() == null) {
                meta.remove(c.id());
            } else {
                Meta old = meta.get(c.id());
                Meta m = new Meta(old == null ? now : old.createdAt(), now, rev);
                meta.put(c.id(), m);
                made.put(c.id(), m);
            }
        }
        World next = after.atRevision(rev);
        world = next;
        tell(next, change);
    }

    /** Tells the listeners of a new world; a listener that fails does not undo a durable write. */
    private void tell(World next, WorldChange change) {
        for (Listener l : listeners) {
            try {
                l.changed(next, change);
            } catch (RuntimeException e) {
                log.error("a listener failed on revision {}", next.revision(), e);
            }
        }
    }

    private static boolean big(Pending<?> p) {
        long chars = 0;
        for (Change c : p.changes) {
            chars += c.body() == null ? 0 : c.body().length();
        }
        return chars > BIG_WRITE_CHARS;
    }

    /** The audit detail of a change, as the store keeps it. */
    private String detail(String what) {
        return mapper.createObjectNode().put("what", what).toString();
    }

    /** The objects a change removes, as store changes (a removed object's tags go with it); read with the lock held (tags). */
    private List<Change> removals(World current, WorldChange c, String d) {
        List<Change> out = new ArrayList<>();
        for (String id : c.removed()) {
            Change gone = removal(current, id, d);
            if (gone != null) {
                out.add(gone);
                if (tags.containsKey(id)) {
                    out.add(Change.delete(TAGS, TAGS_PREFIX + id, gone.projectId(), id, d));
                }
            }
        }
        return out;
    }

    /** The objects a change puts, as store changes: their bodies, the bulk of a write's cost in the store. */
    private List<Change> puts(World current, WorldChange c, String d) {
        List<Change> out = new ArrayList<>();
        put(out, current, c, "project", c.projects(), Project::id, p -> null, Project::name, o -> json.project(o).toString(), d);
        put(out, current, c, "network", c.networks(), Network::id, n -> null, Network::name, o -> json.network(o).toString(), d);
        put(out, current, c, "host", c.hosts(), Host::id, h -> null, Host::name, o -> json.host(o).toString(), d);
        put(out, current, c, "ipset", c.ipSets(), IpSet::id, IpSet::projectId, IpSet::name, o -> json.ipSet(o).toString(), d);
        put(out, current, c, "group", c.groups(), SecurityGroup::id, SecurityGroup::projectId, SecurityGroup::name, json::groupText, d);
        put(out, current, c, "instance", c.instances(), Instance::id, Instance::projectId, Instance::name, o -> json.instance(o).toString(), d);
        put(out, current, c, "vnic", c.vnics(), Vnic::id, Vnic::projectId, Controller::vnicName, o -> json.vnic(o).toString(), d);
        return out;
    }

    private static String vnicName(Vnic v) {
        return v.name().isEmpty() ? v.id() : v.name();
    }

    /** The store's delete of an object of the current world, or null if it holds none of that id. */
    private static Change removal(World w, String id, String d) {
        if (w.projects().get(id) instanceof Project p) {
            return Change.delete("project", id, null, p.name(), d);
        } else if (w.networks().get(id) instanceof Network n) {
            return Change.delete("network", id, null, n.name(), d);
        } else if (w.hosts().get(id) instanceof Host h) {
            return Change.delete("host", id, null, h.name(), d);
        } else if (w.ipSets().get(id) instanceof IpSet s) {
            return Change.delete("ipset", id, s.projectId(), s.name(), d);
        } else if (w.groups().get(id) instanceof SecurityGroup g) {
            return Change.delete("group", id, g.projectId(), g.name(), d);
        } else if (w.instances().get(id) instanceof Instance i) {
            return Change.delete("instance", id, i.projectId(), i.name(), d);
        } else if (w.vnics().get(id) instanceof Vnic v) {
            return Change.delete("vnic", id, v.projectId(), vnicName(v), d);
        }
        return null;
    }

    /** Upserts of the objects of one kind a change puts ("create" for those new to the world, or deleted and made again). */
    private static <T> void put(List<Change> out, World current, WorldChange c, String kind, List<T> puts, Function<T, String> id,
            Function<T, String> project, Function<T, String> name, Function<T, String> body, String detail) {
        for (T v : puts) {
            String key = id.apply(v);
            boolean created = !current.holds(key) || c.removed().contains(key);
            out.add(Change.upsert(kind, key, project.apply(v), name.apply(v), body.apply(v), created ? "create" : "update", detail));
        }
    }
}
