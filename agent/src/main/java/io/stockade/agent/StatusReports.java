package io.stockade.agent;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's status reports (applied revision, last error), sent by a thread of their own: the
 * controller stores each one (a database write with its fsync, 5-15 ms on a busy disk), and the
 * agent's next change no longer waits for that. Only the latest status is sent; one it supersedes
 * before it went is dropped. A report that fails is sent again after {@code retry}, unless a newer
 * one has replaced it by then. A report still waiting when the agent stops is sent once, not again.
 */
final class StatusReports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusReports.class);

    private record Status(String hostId, long revision, String error) {}

    private final WatchClient client;
    private final Duration retry;
    private final Thread thread;
    /** The status to send next, or null; guarded by this. */
    private Status pending;
    private boolean closed;

    StatusReports(WatchClient client, Duration retry) {
        this.client = client;
        this.retry = retry;
        this.thread = new Thread(this::loop, "agent-status");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends this status as soon as the one being sent (if any) is through; nothing once closed. */
    synchronized void report(String hostId, long revision, String error) {
        if (closed) {
            return;
        }
        pending = new Status(hostId, revision, error);
        notifyAll();
    }

    private void loop() {
        while (true) {
            Status s;
            synchronized (this) {
                while (pending == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending == null) {
                    return;
                }
                s = pending;
                pending = null;
            }
            try {
                client.report(s.hostId(), s.revision(), s.error());
            } catch (IOException e) {
                log.warn("reporting revision {} to {} failed ({}); trying again in {} ms", s.revision(), client.server(), e.getMessage(), retry.toMillis());
                synchronized (this) {
                    if (pending == null && !closed) {
                        pending = s;
                    }
                }
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
