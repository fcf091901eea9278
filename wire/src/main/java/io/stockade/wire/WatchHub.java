package io.stockade.wire;

import io.stockade.core.model.HostSlice;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.model.SliceIndex;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The controller's side of the watch: for every watched host, the revision at which its slice of
 * the world last changed and the recent diffs of that slice, so a reconnecting agent gets only what
 * changed since its revision (the diffs since then as one) or, when its revision is too old, a
 * snapshot of its slice.
 *
 * <p>A new world comes with the change that made it. The {@link SliceIndex} answers, from the
 * change alone, the diff of each watched host's slice that it changes: no slice is kept, cut or
 * walked on the write path (a slice is cut only for an agent that needs a snapshot). Waiting
 * agents are completed asynchronously, so thousands of them cost no threads.
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
    private final SliceIndex index;
    /** The revision of the last world taken in. */
    private long published;
    private final Map<String, Feed> feeds = new HashMap<>();
    /** The hosts of {@code feeds}, as of the last one added: read by the publishing thread without the monitor. */
    private Set<String> watched = Set.of();

    public WatchHub(World initial, int history) {
        this(initial, history, HISTORY_OBJECTS);
    }

    /** A hub that keeps, per host, at most {@code history} past diffs holding at most {@code historyObjects} objects together. */
    public WatchHub(World initial, int history, long historyObjects) {
        this.world = initial;
        this.index = new SliceIndex(initial);
        this.published = initial.revision();
        this.history = history;
        this.historyObjects = historyObjects;
    }

    /**
     * Takes in a new world, made from the one before by {@code change}, and wakes the agents of the
     * hosts whose slices changed. Called by one thread at a time (a {@link HubFeeder}'s); callers
     * beyond one take turns.
     */
    public void publish(World next, WorldChange change) {
        List<CompletableFuture<Update>> ready = new ArrayList<>();
        List<Update> updates = new ArrayList<>();
        synchronized (index) {
            // The diffs are found without the hub's monitor, which the agents asking for their next
            // update take: they wait for the hub only while it hands the diffs to their feeds.
            World prev;
            Set<String> hosts;
            synchronized (this) {
                prev = world;
                hosts = watched;
            }
            Map<String, SliceDiff> diffs = index.advance(prev, next, change, hosts::contains);
            synchronized (this) {
                if (!prev.policy().equals(next.policy())) {
                    diffs = new HashMap<>();
                    for (String host : feeds.keySet()) {
                        diffs.put(host, SliceDiff.between(HostSlice.of(prev, host), HostSlice.of(next, host)));
                    }
                } else if (watched != hosts) {
                    // Hosts first watched while the diffs were found: theirs are cut from their slices.
                    for (String host : feeds.keySet()) {
                        if (!hosts.contains(host)) {
                            SliceDiff d = SliceDiff.between(HostSlice.of(prev, host), HostSlice.of(next, host));
                            if (!d.isEmpty(prev)) {
                                diffs.put(host, d);
                            }
                        }
                    }
                }
                world = next;
                diffs.forEach((host, d) -> {
                    Feed f = feeds.get(host);
                    f.advance(d, history, historyObjects);
                    for (Waiter w : f.waiters) {
                        ready.add(w.future);
                        updates.add(updateSince(host, f, w.since));
                    }
                    f.waiters.clear();
                });
                published = next.revision();
                notifyAll();
            }
        }
        for (int i = 0; i < ready.size(); i++) {
            ready.get(i).complete(updates.get(i));
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

    /**
     * The next update for a host after {@code since}: completed at once when the host's slice is
     * newer, otherwise when it changes. Callers put their own timeout on it.
     */
    public synchronized CompletableFuture<Update> next(String hostId, long since) {
        Feed f = feed(hostId);
        if (f.revision > since) {
            return CompletableFuture.completedFuture(updateSince(hostId, f, since));
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
            f = new Feed(world.revision());
            feeds.put(hostId, f);
            watched = Set.copyOf(feeds.keySet());
        }
        return f;
    }

    /**
     * What an agent at {@code since} gets: the diffs since then as one, or a snapshot of its slice
     * when it has none ({@code since} 0) or is further behind than the history reaches.
     */
    private Update updateSince(String host, Feed f, long since) {
        if (since > 0 && since >= f.base) {
            // The newest diffs first, back to the agent's revision: an agent that keeps up costs one diff, not the history.
            List<SliceDiff> after = new ArrayList<>();
            for (Iterator<SliceDiff> newest = f.diffs.descendingIterator(); newest.hasNext(); ) {
                SliceDiff d = newest.next();
                if (d.revision() <= since) {
                    break;
                }
                after.add(d);
            }
            return new Update(host, f.revision, null, SliceDiff.inTurn(after.reversed()));
        }
        return new Update(host, f.revision, HostSlice.of(world, host).atRevision(f.revision), null);
    }

    private record Waiter(long since, CompletableFuture<Update> future) {}

    /**
     * How many objects (vnics, groups, ids deleted, ...) one host's past diffs may hold together: an
     * agent that missed more, or more than {@code history} diffs, gets a snapshot.
     */
    public static final long HISTORY_OBJECTS = 25_000;

    private static long objects(SliceDiff d) {
        return (long) d.projects().size() + d.groups().size() + d.ipSets().size() + d.networks().size() + d.hosts().size()
                + d.vnics().size() + d.deleted().size();
    }

    /** One host's revision, its recent diffs and its waiting agents. */
    private static final class Feed {
        long revision;
        /** The revision the oldest kept diff applies to: an agent at or after it gets diffs. */
        long base;
        final Deque<SliceDiff> diffs = new ArrayDeque<>();
        /** The objects the kept diffs hold, together: what the history costs in memory. */
        long objects;
        final List<Waiter> waiters = new ArrayList<>();

        Feed(long revision) {
            this.revision = revision;
            this.base = revision;
        }

        void advance(SliceDiff diff, int history, long historyObjects) {
            diffs.addLast(diff);
            objects += objects(diff);
            while (diffs.size() > history || (diffs.size() > 1 && objects > historyObjects)) {
                SliceDiff old = diffs.removeFirst();
                objects -= objects(old);
                base = old.revision();
            }
            revision = diff.revision();
        }
    }
}
