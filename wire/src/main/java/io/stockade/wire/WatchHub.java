package io.stockade.wire;

import io.stockade.core.model.Host;
import io.stockade.core.model.HostSlice;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.Rule;
import io.stockade.core.model.Remote;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The controller's side of the watch: for every host, the slice of the world its firewall needs,
 * the revision at which that slice last changed, and a short history so a reconnecting agent gets
 * only what changed since its revision (or a full snapshot when its revision is too old).
 *
 * <p>A new world comes with the change that made it: the hosts whose slices hold (or may now
 * take in) the objects it touches are found through an object → hosts index and the world's
 * indexes, and only their slices are brought up to date, each by the diff {@link HostSlice#update}
 * finds from the change (no walk of the world or of a slice). An agent one revision behind gets
 * that diff as it is. Waiting agents are completed asynchronously, so thousands of them cost no
 * threads.
 */
public final class WatchHub {
    /** What a watching agent gets: a full snapshot, or the diff from its revision. */
    public record Update(String hostId, long revision, World snapshot, SliceDiff diff) {
        public boolean full() {
            return diff == null;
        }
    }

    private final int history;
    private final long historyObjects;
    private World world;
    /** The revision of the last world whose hosts' slices are all brought up to date. */
    private long published;
    private final Map<String, Feed> feeds = new HashMap<>();
    private final Map<String, Set<String>> hostsByObject = new HashMap<>();

    public WatchHub(World initial, int history) {
        this(initial, history, HISTORY_OBJECTS);
    }

    /** A hub that keeps, per host, at most {@code history} past slices holding at most {@code historyObjects} objects together. */
    public WatchHub(World initial, int history, long historyObjects) {
        this.world = initial;
        this.published = initial.revision();
        this.history = history;
        this.historyObjects = historyObjects;
    }

    /**
     * Takes in a new world, made from the one before by {@code change}, and wakes the agents of the
     * hosts whose slices changed. The hub's lock is taken per host, not for the whole change, so
     * agents asking for their next update wait for one host's slice at most. Called by one thread
     * at a time (a {@link HubFeeder}'s).
     */
    public void publish(World next, WorldChange change) {
        Map<String, Set<String>> affected;
        boolean samePolicy;
        synchronized (this) {
            World prev = world;
            world = next;
            samePolicy = prev.policy().equals(next.policy());
            affected = samePolicy ? affectedHosts(prev, next, change) : null;
        }
        for (String host : samePolicy ? affected.keySet() : feeds()) {
            List<CompletableFuture<Update>> ready = new ArrayList<>();
            List<Update> updates = new ArrayList<>();
            synchronized (this) {
                Feed f = feeds.get(host);
                if (f == null) {
                    continue;
                }
                SliceDiff d = samePolicy ? HostSlice.update(f.current, next, host, affected.get(host))
                        : SliceDiff.between(f.current, HostSlice.of(next, host));
                if (d.isEmpty(f.current)) {
                    continue;
                }
                f.advance(d.applyTo(f.current), d, history, historyObjects);
                index(host, d);
                for (Waiter w : f.waiters) {
                    ready.add(w.future);
                    updates.add(f.updateSince(host, w.since));
                }
                f.waiters.clear();
            }
            for (int i = 0; i < ready.size(); i++) {
                ready.get(i).complete(updates.get(i));
            }
        }
        synchronized (this) {
            published = next.revision();
            notifyAll();
        }
    }

    /**
     * Waits, at most {@code maxMillis}, until the hub has taken in every world up to
     * {@code revision} (a {@link HubFeeder} hands them over on its own thread), so that a
     * {@link #desiredRevision} read after a write counts that write. Returns whether it has.
     */
    public synchronized boolean awaitPublished(long revision, long maxMillis) throws InterruptedException {
        long end = System.nanoTime() + maxMillis * 1_000_000;
        while (published < revision) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private synchronized Set<String> feeds() {
        return new HashSet<>(feeds.keySet());
    }

    /**
     * The next update for a host after {@code since}: completed at once when the host's slice is
     * newer, otherwise when it changes. Callers put their own timeout on it.
     */
    public synchronized CompletableFuture<Update> next(String hostId, long since) {
        Feed f = feed(hostId);
        if (f.revision > since) {
            return CompletableFuture.completedFuture(f.updateSince(hostId, since));
        }
        CompletableFuture<Update> future = new CompletableFuture<>();
        Waiter w = new Waiter(since, future);
        f.waiters.add(w);
        future.whenComplete((u, e) -> {
            if (e != null) {
                synchronized (this) {
                    f.waiters.remove(w);
                }
            }
        });
        return future;
    }

    /** The revision at which the host's slice last changed: what its agent should have applied. */
    public synchronized long desiredRevision(String hostId) {
        return feed(hostId).revision;
    }

    public synchronized int waiting() {
        return feeds.values().stream().mapToInt(f -> f.waiters.size()).sum();
    }

    private Feed feed(String hostId) {
        Feed f = feeds.get(hostId);
        if (f == null) {
            World slice = HostSlice.of(world, hostId);
            f = new Feed(slice);
            feeds.put(hostId, f);
            for (Map<String, ?> m : List.of(slice.projects(), slice.groups(), slice.ipSets(), slice.networks(), slice.hosts(), slice.vnics())) {
                for (String id : m.keySet()) {
                    hostsByObject.computeIfAbsent(id, k -> new HashSet<>()).add(hostId);
                }
            }
        }
        return f;
    }

    /** Points the object → hosts index at what a diff puts into and deletes from the host's slice. */
    private void index(String host, SliceDiff d) {
        for (String id : d.deleted()) {
            Set<String> hosts = hostsByObject.get(id);
            if (hosts != null && hosts.remove(host) && hosts.isEmpty()) {
                hostsByObject.remove(id);
            }
        }
        for (List<?> objects : List.of(d.projects(), d.groups(), d.ipSets(), d.networks(), d.hosts(), d.vnics())) {
            for (Object o : objects) {
                hostsByObject.computeIfAbsent(id(o), k -> new HashSet<>()).add(host);
            }
        }
    }

    private static String id(Object o) {
        return switch (o) {
            case Project p -> p.id();
            case SecurityGroup g -> g.id();
            case IpSet s -> s.id();
            case Network n -> n.id();
            case Host h -> h.id();
            case Vnic v -> v.id();
            default -> throw new IllegalArgumentException("not a slice object: " + o);
        };
    }

    private Set<String> hostsOf(String id) {
        return hostsByObject.getOrDefault(id, Set.of());
    }

    /**
     * Hosts whose slice holds an object the change touches, or may now take one in, each with the
     * ids of those objects (what {@link HostSlice#update} looks at for that host).
     */
    private Map<String, Set<String>> affectedHosts(World prev, World next, WorldChange change) {
        Set<String> ids = new HashSet<>(change.removed());
        change.projects().forEach(p -> ids.add(p.id()));
        change.groups().forEach(g -> ids.add(g.id()));
        change.ipSets().forEach(x -> ids.add(x.id()));
        change.networks().forEach(n -> ids.add(n.id()));
        change.hosts().forEach(h -> ids.add(h.id()));
        change.vnics().forEach(v -> ids.add(v.id()));
        Map<String, Set<String>> hosts = new HashMap<>();
        for (String id : ids) {
            Set<String> mine = new HashSet<>(hostsOf(id));
            for (World w : List.of(prev, next)) {
                Vnic v = w.vnics().get(id);
                if (v != null) {
                    if (v.hostId() != null) {
                        mine.add(v.hostId());
                    }
                    if (v.networkId() != null) {
                        mine.addAll(hostsOf(v.networkId()));
                    }
                    v.securityGroupIds().forEach(g -> mine.addAll(hostsOf(g)));
                }
                SecurityGroup g = w.groups().get(id);
                if (g != null) {
                    for (Rule r : g.rules()) {
                        if (r.remote() instanceof Remote.GroupRemote ref) {
                            mine.addAll(hostsOf(ref.groupId()));
                        }
                    }
                }
            }
            if (next.hosts().containsKey(id) || prev.hosts().containsKey(id)) {
                mine.add(id);
            }
            for (String h : mine) {
                hosts.computeIfAbsent(h, k -> new HashSet<>()).add(id);
            }
        }
        return hosts;
    }

    private record Waiter(long since, CompletableFuture<Update> future) {}

    /**
     * How many objects (vnics, groups, ...) one host's past slices may hold together: a host of
     * 1,000 vnics keeps its last ~20 slices, a small one its last {@code history}. An agent that
     * missed more gets a snapshot.
     */
    public static final long HISTORY_OBJECTS = 25_000;

    static long objects(World w) {
        return (long) w.projects().size() + w.groups().size() + w.ipSets().size() + w.networks().size() + w.hosts().size() + w.vnics().size();
    }

    /** One host's slice now and at its recent revisions. */
    private static final class Feed {
        World current;
        long revision;
        final Deque<World> past = new ArrayDeque<>();
        final List<Waiter> waiters = new ArrayList<>();
        /** The diff from the last past slice to the current one: what an agent one change behind gets. */
        SliceDiff last;
        /** The objects the past slices hold, together: what the history costs in memory. */
        long pastObjects;

        Feed(World slice) {
            this.current = slice;
            this.revision = slice.revision();
        }

        void advance(World slice, SliceDiff diff, int history, long historyObjects) {
            past.addLast(current);
            pastObjects += objects(current);
            while (past.size() > history || (past.size() > 1 && pastObjects > historyObjects)) {
                pastObjects -= objects(past.removeFirst());
            }
            current = slice;
            revision = slice.revision();
            last = diff;
        }

        Update updateSince(String host, long since) {
            if (since > 0) {
                World base = null;
                if (since >= revision) {
                    base = current;
                } else {
                    for (World w : past) {
                        if (w.revision() <= since) {
                            base = w;
                        }
                    }
                    // The revision must lie within the history, else the agent missed more than we kept.
                    if (base != null && !past.isEmpty() && since < past.peekFirst().revision()) {
                        base = null;
                    }
                }
                if (base != null && base == past.peekLast() && last != null) {
                    return new Update(host, revision, null, last);
                }
                if (base != null) {
                    return new Update(host, revision, null, SliceDiff.between(base, current));
                }
            }
            return new Update(host, revision, current, null);
        }
    }
}
