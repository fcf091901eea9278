package io.stockade.agent.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.agent.WatchClient;
import io.stockade.agent.drops.Drop;
import io.stockade.agent.drops.DropJournal;
import io.stockade.compiler.Counters;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval: reads the host's counters, updates the agent's metrics, and sends the
 * controller the per-vnic counts and the drop lines logged since the last report
 * ({@code PUT /v1/hosts/{id}/stats}); lines it could not send are kept for the next report. An
 * idle host (same counts, no new lines) reports only once a minute, so the controller's load
 * grows with what happens, not with the number of hosts.
 */
public final class StatsReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsReporter.class);

    private final Supplier<String> hostId;
    private final Supplier<World> slice;
    private final Supplier<Map<String, Count>> counters;
    private final DropJournal journal;
    private final WatchClient client;
    private final AgentMetrics metrics;
    private final Duration interval;
    private static final long IDLE_REPORT_NANOS = Duration.ofSeconds(60).toNanos();

    private final ObjectMapper mapper = new ObjectMapper();
    private List<StatsRow> lastRows;
    private Count lastUnknown;
    private long lastSent;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stats-reporter");
        t.setDaemon(true);
        return t;
    });

    public StatsReporter(Supplier<String> hostId, Supplier<World> slice, Supplier<Map<String, Count>> counters, DropJournal journal,
            WatchClient client, AgentMetrics metrics, Duration interval) {
        this.hostId = hostId;
        this.slice = slice;
        this.counters = counters;
        this.journal = journal;
        this.client = client;
        this.metrics = metrics;
        this.interval = interval;
    }

    public StatsReporter start() {
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            report();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("stats report failed: {}", e.getMessage());
        }
    }

    /** One report; false when there was nothing to report (no slice yet, or an idle host reported lately). */
    public synchronized boolean report() throws java.io.IOException, InterruptedException {
        String host = hostId.get();
        World w = slice.get();
        if (host == null || w == null) {
            return false;
        }
        List<String> vnics = w.vnicsOnHost(host).stream().filter(v -> v.device() != null).map(Vnic::id).sorted(Comparator.naturalOrder()).toList();
        Map<String, Count> now = counters.get();
        List<StatsRow> rows = StatsRow.of(vnics, now);
        Count unknown = now.getOrDefault(Counters.UNKNOWN_PORT.name(), Count.ZERO);
        if (metrics != null) {
            metrics.update(rows, unknown);
        }
        List<Drop> drops = journal.drain();
        if (drops.isEmpty() && rows.equals(lastRows) && unknown.equals(lastUnknown) && System.nanoTime() - lastSent < IDLE_REPORT_NANOS) {
            return false;
        }
        try {
            client.reportStats(host, body(rows, unknown, drops));
        } catch (java.io.IOException | RuntimeException e) {
            journal.requeue(drops);
            throw e;
        }
        lastRows = rows;
        lastUnknown = unknown;
        lastSent = System.nanoTime();
        return true;
    }

    private ObjectNode body(List<StatsRow> rows, Count unknown, List<Drop> drops) {
        ObjectNode o = mapper.createObjectNode();
        ArrayNode counts = o.putArray("counters");
        for (StatsRow r : rows) {
            counts.addObject().put("vnic", r.vnic()).put("direction", r.direction()).put("verdict", r.verdict()).put("reason", r.reason())
                    .put("packets", r.count().packets()).put("bytes", r.count().bytes());
        }
        o.putObject("unknownPort").put("packets", unknown.packets()).put("bytes", unknown.bytes());
        ArrayNode lines = o.putArray("drops");
        drops.forEach(d -> lines.add(mapper.valueToTree(d)));
        o.put("dropsLost", journal.lost());
        return o;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
