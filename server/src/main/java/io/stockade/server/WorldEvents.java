package io.stockade.server;

import java.util.concurrent.CompletableFuture;

/**
 * Wakes waiters when the world's revision moves: the console's long poll ({@code GET /v1/events})
 * returns as soon as a change is committed here or taken in from another controller.
 */
final class WorldEvents {
    private final Object lock = new Object();
    private long revision;
    private CompletableFuture<Long> next = new CompletableFuture<>();

    WorldEvents(Controller ctl) {
        this.revision = ctl.world().revision();
        ctl.onChange(w -> moved(w.revision()));
    }

    private void moved(long rev) {
        CompletableFuture<Long> done;
        synchronized (lock) {
            if (rev <= revision) {
                return;
            }
            revision = rev;
            done = next;
            next = new CompletableFuture<>();
        }
        // Waiters are answered on another thread: a commit does not wait for their responses to be written.
        done.completeAsync(() -> rev);
    }

    /** Completes with the revision once it is past {@code since}; each caller gets its own future (safe to time out). */
    CompletableFuture<Long> after(long since) {
        synchronized (lock) {
            return revision > since ? CompletableFuture.completedFuture(revision) : next.copy();
        }
    }

    long revision() {
        synchronized (lock) {
            return revision;
        }
    }
}
