package io.stockade.agent;

import io.stockade.agent.nft.Listing;
import io.stockade.agent.nft.Nftables;
import io.stockade.agent.stats.Count;
import io.stockade.agent.stats.CounterJson;
import io.stockade.compiler.CompileCache;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.DropLog;
import io.stockade.compiler.HostState;
import io.stockade.compiler.NftTable;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Transactions;
import io.stockade.compiler.Widening;
import io.stockade.core.model.World;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The agent's kernel side: compiles slices and applies them (or their deltas) through nftables. */
public final class NftDataplane implements Dataplane {
    private final Nftables nft;
    private final String hostId;
    private final List<String> uplinks;
    private final DropLog dropLog;
    /** What the kernel showed of the objects the agent wrote, to find drift. */
    private final Drift drift = new Drift();
    /** What earlier compiles made, so a change recompiles only what it touches. */
    private final CompileCache cache = new CompileCache();
    /** Counts of named counters before the last full rebuilds (a rebuild recreates them at zero). */
    private final Map<String, Count> base = new HashMap<>();
    private volatile HostState applied;

    /** {@code host} is the host's id or name; a slice holds the host itself, which gives its id. */
    public NftDataplane(Nftables nft, String host, List<String> uplinks) {
        this(nft, host, uplinks, DropLog.DEFAULTS);
    }

    public NftDataplane(Nftables nft, String host, List<String> uplinks, DropLog dropLog) {
        this.nft = nft;
        this.hostId = host;
        this.uplinks = List.copyOf(uplinks);
        this.dropLog = dropLog;
    }

    public HostState applied() {
        return applied;
    }

    @Override
    public void ensureFailClosed() {
        if (nft.list("bridge", Compiler.TABLE).isEmpty()) {
            nft.run(Transactions.full(Compiler.failClosed(hostId, uplinks)));
        }
    }

    private String hostIn(World slice) {
        return slice.hosts().values().stream().filter(h -> h.id().equals(hostId) || h.name().equals(hostId))
                .map(io.stockade.core.model.Host::id).findFirst().orElse(hostId);
    }

    @Override
    public void applyFull(World slice) {
        HostState s = compile(slice);
        rebuild(s);
    }

    /** Applies a whole state, keeping the counts the rebuild resets. */
    private void rebuild(HostState s) {
        synchronized (base) {
            Map<String, Count> before = kernelCounters();
            nft.run(Transactions.full(s));
            drift.forgetAll();
            applied = s;
            before.forEach((name, n) -> base.merge(name, n, Count::plus));
        }
    }

    /**
     * The host's named counters (see {@link io.stockade.compiler.Counters}), carried across full
     * rebuilds so they only grow while a counter exists; a counter of a removed vnic starts again at zero.
     */
    public Map<String, Count> counters() {
        synchronized (base) {
            Map<String, Count> now = kernelCounters();
            if (!now.isEmpty()) {
                base.keySet().retainAll(now.keySet());
            }
            Map<String, Count> out = new HashMap<>(now);
            base.forEach((name, n) -> out.merge(name, n, Count::plus));
            return out;
        }
    }

    private Map<String, Count> kernelCounters() {
        Map<String, Count> m = new HashMap<>();
        for (String family : List.of("bridge", "inet")) {
            m.putAll(CounterJson.parse(nft.listCountersJson(family, Compiler.TABLE)));
        }
        return m;
    }

    @Override
    public boolean applyChange(World from, World to) {
        HostState prev = applied != null ? applied : compile(from);
        HostState next = compile(to);
        Optional<Transaction> delta = Transactions.delta(prev, next);
        if (delta.isPresent()) {
            nft.run(delta.get());
            drift.forget(delta.get());
            applied = next;
        } else {
            rebuild(next);
        }
        return delta.isEmpty() || !Widening.onlyWidens(prev, next);
    }

    private HostState compile(World slice) {
        HostState s = Compiler.compile(slice, hostIn(slice), dropLog, cache);
        cache.retain(slice);
        return s;
    }

    /**
     * Compares every chain and set of Stockade's tables with what was applied (see {@link Drift})
     * and repairs what differs in one transaction; a missing table or object is rebuilt whole.
     */
    @Override
    public boolean repair(World slice) {
        HostState expected = applied != null ? applied : compile(slice);
        Transaction.Builder tx = Transaction.builder();
        for (NftTable t : expected.tables()) {
            Optional<Listing> kernel = nft.list(t.family(), t.name());
            if (kernel.isEmpty() || !drift.repair(t, kernel.get(), tx)) {
                rebuild(expected);
                return true;
            }
        }
        Transaction repair = tx.build();
        if (repair.isEmpty()) {
            return false;
        }
        try {
            nft.run(repair);
            drift.forget(repair);
        } catch (Nftables.NftException e) {
            // Someone's objects stood in the way (say, a rule of theirs referring to ours): start again from nothing.
            rebuild(expected);
        }
        return true;
    }
}
