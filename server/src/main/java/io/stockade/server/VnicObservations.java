package io.stockade.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What agents observed of their vnics, kept in memory: the latest counters per vnic and a
 * bounded ring of its recent drop lines, each numbered by a sequence that only grows. These
 * are observations, not user data: they are not stored, and a restarted controller starts
 * empty until the agents report again.
 */
final class VnicObservations {
    /** One vnic's latest counters: rows of direction, verdict, reason, packets and bytes; when and from which host. */
    record Counters(String hostId, String at, List<Row> rows) {}

    record Row(String direction, String verdict, String reason, long packets, long bytes) {}

    /** A host's own observations: frames of unknown bridge ports, and drop lines its agent could not keep. */
    record HostCounters(String at, long unknownPackets, long unknownBytes, long dropsLost) {}

    /** A drop line with its sequence number. */
    record Line(long seq, ObjectNode drop) {}

    private final int ringSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final Map<String, Counters> counters = new HashMap<>();
    private final Map<String, ArrayDeque<Line>> rings = new HashMap<>();
    private final Map<String, HostCounters> hosts = new HashMap<>();
    private long seq;

    VnicObservations(int ringSize) {
        this.ringSize = ringSize;
    }

    void putCounters(String vnicId, Counters c) {
        lock.lock();
        try {
            counters.put(vnicId, c);
        } finally {
            lock.unlock();
        }
    }

    void putHost(String hostId, HostCounters c) {
        lock.lock();
        try {
            hosts.put(hostId, c);
        } finally {
            lock.unlock();
        }
    }

    HostCounters host(String hostId) {
        lock.lock();
        try {
            return hosts.get(hostId);
        } finally {
            lock.unlock();
        }
    }

    Counters counters(String vnicId) {
        lock.lock();
        try {
            return counters.get(vnicId);
        } finally {
            lock.unlock();
        }
    }

    void addDrops(String vnicId, List<ObjectNode> drops) {
        if (drops.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            ArrayDeque<Line> ring = rings.computeIfAbsent(vnicId, k -> new ArrayDeque<>());
            for (ObjectNode d : drops) {
                if (ring.size() == ringSize) {
                    ring.removeFirst();
                }
                ring.addLast(new Line(++seq, d));
            }
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The vnic's lines after {@code since}, oldest first, at most the newest {@code limit};
     * when there are none, waits up to {@code wait} for some.
     */
    List<Line> drops(String vnicId, long since, int limit, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (true) {
                List<Line> out = new ArrayList<>();
                for (Line l : rings.getOrDefault(vnicId, new ArrayDeque<>())) {
                    if (l.seq() > since) {
                        out.add(l);
                    }
                }
                long left = deadline - System.nanoTime();
                if (!out.isEmpty() || left <= 0) {
                    return out.size() > limit ? out.subList(out.size() - limit, out.size()) : out;
                }
                added.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The last sequence number given (0 before any line). */
    long lastSeq() {
        lock.lock();
        try {
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the vnics and hosts that no longer exist. */
    void retain(Set<String> vnicIds, Set<String> hostIds) {
        lock.lock();
        try {
            hosts.keySet().retainAll(hostIds);
            counters.keySet().retainAll(vnicIds);
            rings.keySet().retainAll(vnicIds);
        } finally {
            lock.unlock();
        }
    }
}
