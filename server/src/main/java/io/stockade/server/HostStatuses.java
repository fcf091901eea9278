package io.stockade.server;

import io.stockade.store.HostStatus;
import io.stockade.store.Store;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agents report about their hosts (applied revision, last error, when): observations,
 * not user data, so a report is not a durable write of its own. It is kept in memory at once
 * (the API and the console show it from there) and {@link #flush} writes the latest report of
 * each host that reported since, all in one transaction without waiting for a sync to disk
 * ({@code StockadeServer} flushes every second and when it stops). A report never waits for the
 * store, so agents reporting cannot slow the API's writes, which each wait for their sync. What
 * a crash loses is the last second of reports; each agent reports again after its next change.
 *
 * <p>Several controllers on one PostgreSQL: each shows what its own agents reported and what the
 * others flushed, the newer report of a host winning.
 */
public final class HostStatuses {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HostStatuses.class);

    private final Store store;
    /** The latest report of each host known here: read from the store at start, then each one made to this controller. */
    private final Map<String, HostStatus> latest = new ConcurrentHashMap<>();
    /** The hosts whose latest report is not yet in the store. */
    private final Map<String, HostStatus> unwritten = new ConcurrentHashMap<>();

    HostStatuses(Store store) {
        this.store = store;
        latest.putAll(store.hostStatuses());
    }

    /** Takes a host's report; it is shown at once and written at the next {@link #flush}. */
    public void report(HostStatus status) {
        latest.merge(status.hostId(), status, HostStatuses::newer);
        unwritten.merge(status.hostId(), status, HostStatuses::newer);
    }

    /** Every host's latest report: this controller's and, on a shared store, those other controllers wrote. */
    public Map<String, HostStatus> all() {
        if (store.isSqlite()) {
            return Map.copyOf(latest);
        }
        Map<String, HostStatus> out = new HashMap<>(store.hostStatuses());
        latest.forEach((host, s) -> out.merge(host, s, HostStatuses::newer));
        return out;
    }

    /** The latest report of one host, or null when it never reported. */
    public HostStatus of(String hostId) {
        return all().get(hostId);
    }

    /**
     * Writes the reports taken since the last flush, the latest of each host, in one transaction.
     * When the store fails they are kept and written by the next flush (unless a newer report of
     * the host replaced them meanwhile).
     */
    public void flush() {
        List<HostStatus> batch = List.copyOf(unwritten.values());
        if (batch.isEmpty()) {
            return;
        }
        batch.forEach(s -> unwritten.remove(s.hostId(), s));
        try {
            store.putHostStatuses(batch);
        } catch (RuntimeException e) {
            batch.forEach(s -> unwritten.merge(s.hostId(), s, HostStatuses::newer));
            log.warn("writing {} hosts' status reports failed ({}); trying again at the next flush", batch.size(), e.getMessage());
        }
    }

    private static HostStatus newer(HostStatus a, HostStatus b) {
        return Instant.parse(b.lastHeartbeat()).isBefore(Instant.parse(a.lastHeartbeat())) ? a : b;
    }
}
