package io.stockade.agent;

import io.stockade.core.model.World;
import io.stockade.wire.WatchHub;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's agent: registers the host, installs a fail-closed ruleset, then follows the watch
 * stream, applying each change as one transaction and cutting flows that lost their permission;
 * reports its applied revision, repairs drift, and keeps enforcing the last good state while no
 * controller answers.
 */
public final class Agent implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    /** Settings of one agent. */
    public record Config(String hostName, String bridge, List<String> uplinks, Duration driftCheck, Duration maxBackoff) {}

    private final Config config;
    private final WatchClient client;
    private final Dataplane dataplane;
    private final ConntrackSweeper sweeper;
    private volatile boolean running = true;
    private volatile long appliedRevision;
    private volatile String lastError;
    private volatile String hostId;
    private volatile World held;
    private final java.util.concurrent.atomic.AtomicLong repairs = new java.util.concurrent.atomic.AtomicLong();
    /** Sends the applied revision to the controller without holding up the next change. */
    private StatusReports reports;

    public Agent(Config config, WatchClient client, Dataplane dataplane, ConntrackSweeper sweeper) {
        this.config = config;
        this.client = client;
        this.dataplane = dataplane;
        this.sweeper = sweeper;
    }

    public long appliedRevision() {
        return appliedRevision;
    }

    /** The host's id once registered, else null. */
    public String hostId() {
        return hostId;
    }

    /** The slice of the world in force in the kernel, or null before the first. */
    public World slice() {
        return held;
    }

    public String lastError() {
        return lastError;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        try (StatusReports r = new StatusReports(client, Duration.ofSeconds(1))) {
            reports = r;
            follow();
        }
    }

    private void follow() {
        dataplane.ensureFailClosed();
        Backoff backoff = new Backoff(config.maxBackoff());
        long nextDriftCheck = System.nanoTime() + config.driftCheck().toNanos();
        boolean needFull = true;
        while (running) {
            try {
                if (hostId == null) {
                    hostId = client.register(config.hostName(), config.bridge(), config.uplinks());
                    log.info("registered host {} as {} at {}", config.hostName(), hostId, client.server());
                    needFull = true;
                }
                Optional<WatchHub.Update> update = client.next(hostId, needFull ? 0 : appliedRevision);
                backoff.reset();
                if (update.isPresent()) {
                    needFull = !apply(update.get());
                }
                if (System.nanoTime() > nextDriftCheck && held != null) {
                    nextDriftCheck = System.nanoTime() + config.driftCheck().toNanos();
                    repairDrift();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (WatchClient.ControllerError e) {
                log.warn("controller error: {}", e.getMessage());
                sleep(backoff.next());
            } catch (HttpTimeoutException e) {
                log.debug("watch timed out at {}", client.server());
            } catch (IOException e) {
                log.warn("controller {} unreachable ({}); keeping revision {} in force", client.server(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), appliedRevision);
                client.failover();
                sleep(backoff.next());
            }
        }
    }

    /** How many times this agent has found the kernel's ruleset changed by someone else and put it back. */
    public long repairs() {
        return repairs.get();
    }

    /** Puts back what someone changed in the kernel; a failure is logged and tried again at the next check. */
    private void repairDrift() {
        try {
            if (dataplane.repair(held)) {
                repairs.incrementAndGet();
                log.warn("kernel ruleset drifted from revision {}: repaired", appliedRevision);
            }
        } catch (RuntimeException e) {
            log.error("repairing the kernel ruleset of revision {} failed: {}", appliedRevision, e.getMessage());
        }
    }

    /** Applies one update; false when it failed (the next poll asks for a snapshot). */
    private boolean apply(WatchHub.Update u) {
        World next = u.full() || held == null ? u.snapshot() : u.diff().applyTo(held);
        if (next == null) {
            return false;
        }
        boolean narrowed = true;
        try {
            if (held == null || u.full()) {
                dataplane.applyFull(next);
            } else {
                narrowed = dataplane.applyChange(held, next);
            }
        } catch (RuntimeException e) {
            lastError = "applying revision " + u.revision() + ": " + e.getMessage();
            log.error("{}; keeping revision {} in force", lastError, appliedRevision);
            reports.report(hostId, appliedRevision, lastError);
            held = null;
            return false;
        }
        held = next;
        appliedRevision = u.revision();
        // A change that only widened (elements kept, chains kept with allowing lines added) took no permission away.
        int cut = narrowed ? sweeper.sweep(next, hostId) : 0;
        lastError = null;
        log.info("applied revision {} ({}{})", u.revision(), u.full() ? "snapshot" : "change", cut > 0 ? ", cut " + cut + " flows" : "");
        reports.report(hostId, appliedRevision, null);
        return true;
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Exponential backoff with jitter, from 100 ms up to a limit. */
    static final class Backoff {
        private final Duration max;
        private long nextMillis = 100;

        Backoff(Duration max) {
            this.max = max;
        }

        Duration next() {
            long d = nextMillis + (long) (Math.random() * nextMillis / 2);
            nextMillis = Math.min(nextMillis * 2, max.toMillis());
            return Duration.ofMillis(Math.min(d, max.toMillis()));
        }

        void reset() {
            nextMillis = 100;
        }
    }
}
