package io.stockade.agent.drops;

import io.stockade.core.model.World;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's drop log: decodes each logged packet against the current slice, writes its
 * structured line to the log ({@code io.stockade.agent.drops}), and keeps the lines not yet
 * reported to the controller in a bounded queue (the oldest go first when it is full).
 */
public final class DropJournal implements Consumer<NflogPacket> {
    private static final Logger log = LoggerFactory.getLogger("io.stockade.agent.drops");

    private final Supplier<World> slice;
    private final int capacity;
    private final ArrayDeque<Drop> pending = new ArrayDeque<>();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();

    public DropJournal(Supplier<World> slice, int capacity) {
        this.slice = slice;
        this.capacity = capacity;
    }

    @Override
    public void accept(NflogPacket p) {
        DropDecoder.decode(p, slice.get()).ifPresent(this::add);
    }

    void add(Drop d) {
        lines.incrementAndGet();
        log.info(d.logLine());
        synchronized (pending) {
            if (pending.size() == capacity) {
                pending.removeFirst();
                lost.incrementAndGet();
            }
            pending.addLast(d);
        }
    }

    /** The lines not yet reported, oldest first; they leave the queue. */
    public List<Drop> drain() {
        synchronized (pending) {
            List<Drop> out = new ArrayList<>(pending);
            pending.clear();
            return out;
        }
    }

    /** Puts lines that could not be reported back in front (as many as fit; the others count as lost). */
    public void requeue(List<Drop> drops) {
        synchronized (pending) {
            for (int i = drops.size() - 1; i >= 0; i--) {
                if (pending.size() < capacity) {
                    pending.addFirst(drops.get(i));
                } else {
                    lost.incrementAndGet();
                }
            }
        }
    }

    /** Drop lines written since start. */
    public long lines() {
        return lines.get();
    }

    /** Lines that never reached the controller because the queue overflowed. */
    public long lost() {
        return lost.get();
    }
}
