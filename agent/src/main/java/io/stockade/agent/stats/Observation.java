package io.stockade.agent.stats;

import io.stockade.agent.Agent;
import io.stockade.agent.NftDataplane;
import io.stockade.agent.WatchClient;
import io.stockade.agent.drops.DropJournal;
import io.stockade.agent.drops.NflogReader;
import io.stockade.compiler.DropLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What an agent observes of its firewall, next to enforcing it: the nflog reader and drop
 * journal, the periodic stats report to the controller, and (when asked) the {@code /metrics}
 * endpoint. Started beside {@link Agent#run()}, closed with it.
 */
public final class Observation implements AutoCloseable {
    /** Pending drop lines kept for the controller between two reports (the oldest go first). */
    static final int JOURNAL = 5000;

    /** Drop log settings (shared with the dataplane), how often to report, and where to serve metrics (null: nowhere). */
    public record Settings(DropLog dropLog, Duration interval, InetSocketAddress metrics) {}

    private final NflogReader reader;
    private final StatsReporter reporter;
    private final AgentMetrics metrics;
    private final DropJournal journal;
    private final InetSocketAddress metricsAddress;

    private Observation(NflogReader reader, StatsReporter reporter, AgentMetrics metrics, DropJournal journal, InetSocketAddress metricsAddress) {
        this.reader = reader;
        this.reporter = reporter;
        this.metrics = metrics;
        this.journal = journal;
        this.metricsAddress = metricsAddress;
    }

    public static Observation start(Agent agent, NftDataplane dataplane, WatchClient client, String netns, Settings s) throws IOException {
        DropJournal journal = new DropJournal(agent::slice, JOURNAL);
        AgentMetrics metrics = new AgentMetrics()
                .counter("stockade.drop.log.lines", "drop lines logged", journal::lines)
                .counter("stockade.drop.log.lost", "drop lines that overflowed the queue to the controller", journal::lost);
        InetSocketAddress bound = s.metrics() == null ? null : metrics.serve(s.metrics());
        NflogReader reader = new NflogReader(netns, s.dropLog().group(), journal).start();
        StatsReporter reporter = new StatsReporter(agent::hostId, agent::slice, dataplane::counters, journal, client, metrics, s.interval()).start();
        return new Observation(reader, reporter, metrics, journal, bound);
    }

    /** Where {@code /metrics} is served, or null. */
    public InetSocketAddress metricsAddress() {
        return metricsAddress;
    }

    public DropJournal journal() {
        return journal;
    }

    @Override
    public void close() {
        reporter.close();
        reader.close();
        metrics.close();
    }
}
