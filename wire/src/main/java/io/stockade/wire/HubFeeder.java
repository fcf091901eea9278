package io.stockade.wire;

import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands new worlds to a watch hub on a thread of its own, so a write does not wait for the slices
 * of the hosts it affects: the writer only queues its world and change. Worlds that queue up while
 * the hub is busy go to it as one, the last world with their changes folded together, so under
 * a burst of writes the hub's work follows the hosts touched, not the number of writes.
 */
public final class HubFeeder implements AutoCloseable {
    private record Next(World world, WorldChange change) {}

    private final WatchHub hub;
    private final LinkedBlockingQueue<Next> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    public HubFeeder(WatchHub hub) {
        this.hub = hub;
        this.thread = Thread.ofPlatform().daemon().name("stockade-watch-hub").start(this::run);
    }

    /** Queues a new world and the change that made it from the one offered before. */
    public void offer(World next, WorldChange change) {
        queue.add(new Next(next, change));
    }

    private void run() {
        List<Next> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                hub.publish(batch.get(batch.size() - 1).world(), WorldChange.inTurn(batch.stream().map(Next::change).toList()));
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
