package io.stockade.agent;

import io.stockade.agent.nft.Commits;
import io.stockade.agent.nft.Listing;
import io.stockade.agent.nft.Nftables;
import io.stockade.agent.stats.Count;
import io.stockade.compiler.CompileCache;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.Counters;
import io.stockade.compiler.DropLog;
import io.stockade.compiler.HostState;
import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftChain;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.NftTable;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Transactions;
import io.stockade.compiler.Widening;
import io.stockade.core.model.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** The agent's kernel side: compiles slices and applies them (or their deltas) through nftables. */
public final class NftDataplane implements Dataplane {
    private final Nftables nft;
    private final String hostId;
    private final List<String> uplinks;
    private final DropLog dropLog;
    /** What the kernel showed of the objects the agent wrote, to find drift. */
    private final Drift drift = new Drift();
    /**
     * A generation of the ruleset at which the kernel held {@link #applied} and after which nobody
     * else committed, or -1 when unknown: while the generation stays there, a drift check reads nothing.
     */
    private long quiet = -1;
    /** The kernel's announcements of commits to Stockade's tables, or null when they cannot be heard (then {@link #quiet} decides). */
    private final Commits commits;
    /** Generations of the agent's own commits not heard announced yet (each committed alone: the generation moved by one). */
    private final NavigableSet<Long> own = new TreeSet<>();
    /** Objects someone else's commit touched, read and compared at the next check. */
    private final Set<Drift.Key> touched = new LinkedHashSet<>();
    /** Whether the next check lists the tables whole: at first, after lost announcements or one of a kind not known. */
    private boolean compareAll = true;
    /** The families whose table itself someone else's commit touched (made, deleted, flagged dormant): its head is read at the next check. */
    private final Set<String> tablesTouched = new LinkedHashSet<>();
    /** A generation at which the agent rebuilt its tables alone: commits up to it are behind the applied state. */
    private long settled = -1;
    /** What earlier compiles made, so a change recompiles only what it touches. */
    private final CompileCache cache = new CompileCache();
    /**
     * Counts the kernel no longer holds, by counter name: those of counted elements before a
     * rebuild, a delta or a repair deleted them (recreated, they start again at zero). A drop
     * element's count may be negative here, for the pass count it was taken from.
     */
    private final Map<String, Count> base = new HashMap<>();
    /**
     * Each counted element's count as last read, kept while the element may come back (a set
     * flushed by someone else, then refilled by the repair). A count found below it means someone
     * else recreated the element: what it had counted goes to {@link #lost}. Elements the agent
     * itself deletes or flushes leave both, their counts moved to {@link #base} first.
     */
    private final Map<ElementId, Count> lastRead = new HashMap<>();
    /** What counted elements had counted before someone else deleted or recreated them, as last read. */
    private final Map<ElementId, Count> lost = new HashMap<>();

    /** A counted element: its table's family, its set and its key as nft lists it. */
    private record ElementId(String family, String set, List<String> key) {}
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
        this.commits = nft.follow(Compiler.TABLE).orElse(null);
    }

    public HostState applied() {
        return applied;
    }

    @Override
    public void ensureFailClosed() {
        if (nft.list("bridge", Compiler.TABLE).isEmpty()) {
            run(Transactions.full(Compiler.failClosed(hostId, uplinks)), true);
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

    /** Applies a whole state, keeping the counts the rebuild resets (read as the state applied, or else the new one, lays them out). */
    private void rebuild(HostState s) {
        synchronized (base) {
            Map<String, Count> before = kernelCounters(applied != null ? applied : s);
            run(Transactions.full(s), true);
            applied = s;
            before.forEach((name, n) -> base.merge(name, n, Count::plus));
            lastRead.clear();
            lost.clear();
        }
    }

    /**
     * The host's counters by name (see {@link Counters}), from the counted elements of the sets and
     * maps applied, carried across rebuilds and the deltas and repairs that recreate elements, so
     * they only grow while their vnic exists; a counter of a removed vnic starts again at zero.
     */
    public Map<String, Count> counters() {
        synchronized (base) {
            HostState s = applied;
            if (s == null) {
                return Map.of();
            }
            Map<String, Count> now = kernelCounters(s);
            base.keySet().retainAll(now.keySet());
            Map<String, Count> out = new HashMap<>(now);
            base.forEach((name, n) -> out.merge(name, n, Count::plus));
            out.replaceAll((name, n) -> n.atLeastZero());
            return out;
        }
    }

    /** The counters as the kernel's counted elements add up for state {@code s}, each of its counters present. */
    private Map<String, Count> kernelCounters(HostState s) {
        Map<String, Count> out = new HashMap<>();
        for (NftTable t : s.tables()) {
            Map<String, Map<String, Count>> bySet = new HashMap<>();
            for (NftSet set : t.sets()) {
                if (set.counted()) {
                    Map<String, Count> byKey = new HashMap<>();
                    counts(NftObject.set(t.id(), set)).forEach((key, n) -> byKey.merge(key.get(0), n, Count::plus));
                    bySet.put(set.name(), byKey);
                }
            }
            for (Counters.Tally tally : t.tallies()) {
                Count n = bySet.getOrDefault(tally.set(), Map.of()).getOrDefault(tally.key(), Count.ZERO);
                out.merge(tally.counter().name(), n.times(tally.sign()), Count::plus);
            }
        }
        return out;
    }

    /**
     * The counts of a counted set's elements, each with what it had counted before someone else
     * deleted or recreated it, so a counter never goes back: the kernel's counts of the elements it
     * holds, and the last read of those it lost (a set flushed by hand, before the repair refills it).
     * What an element counted after its last read and before someone else deleted it is gone with
     * it; so is its last read when its new self counts past it before the next read.
     */
    private Map<List<String>, Count> counts(NftObject.Set set) {
        String family = set.table().family();
        Map<List<String>, Count> raw = new HashMap<>(nft.counts(set));
        lastRead.keySet().stream().filter(id -> id.family().equals(family) && id.set().equals(set.name()))
                .forEach(id -> raw.putIfAbsent(id.key(), Count.ZERO));
        Map<List<String>, Count> out = new HashMap<>();
        raw.forEach((key, n) -> {
            ElementId id = new ElementId(family, set.name(), key);
            Count last = lastRead.put(id, n);
            if (last != null && (n.packets() < last.packets() || n.bytes() < last.bytes())) {
                lost.merge(id, last, Count::plus);
            }
            out.put(key, n.plus(lost.getOrDefault(id, Count.ZERO)));
        });
        return out;
    }

    /**
     * Before {@code tx} runs on a kernel holding {@code s}: adds to {@link #base} the counts of the
     * counted elements it deletes, or of all of a counted set it flushes, when a counter they count
     * for is still in {@code next} (a removed vnic's counts go with it).
     */
    private void keepCounts(HostState s, Transaction tx, HostState next) {
        Map<NftObject.Set, Set<List<String>>> gone = new HashMap<>();
        for (Transaction.Op op : tx.ops()) {
            NftTable t = s.tables().stream().filter(x -> x.id().equals(op.object().table())).findFirst().orElse(null);
            if (t == null) {
                continue;
            }
            switch (op.object()) {
                case NftObject.Elements e when op.verb() == Transaction.Verb.DELETE && counted(t, e.set()) -> {
                    Set<List<String>> keys = gone.computeIfAbsent(NftObject.set(t.id(), t.setsByName().get(e.set())), k -> new HashSet<>());
                    e.elements().forEach(x -> keys.add(listed(x)));
                }
                case NftObject.Set x when op.verb() == Transaction.Verb.FLUSH && counted(t, x.name()) ->
                        gone.put(NftObject.set(t.id(), t.setsByName().get(x.name())), null);
                default -> { }
            }
        }
        if (gone.isEmpty()) {
            return;
        }
        Set<String> kept = new HashSet<>();
        next.tables().forEach(t -> t.tallies().forEach(x -> kept.add(x.counter().name())));
        gone.forEach((set, keys) -> {
            NftTable t = s.tables().stream().filter(x -> x.id().equals(set.table())).findFirst().orElseThrow();
            Map<String, List<Counters.Tally>> byKey = new HashMap<>();
            t.tallies().stream().filter(x -> x.set().equals(set.name()) && kept.contains(x.counter().name()))
                    .forEach(x -> byKey.computeIfAbsent(x.key(), k -> new ArrayList<>()).add(x));
            if (!byKey.isEmpty()) {
                counts(set).forEach((key, n) -> {
                    if (keys == null || keys.contains(key)) {
                        byKey.getOrDefault(key.get(0), List.of()).forEach(x -> base.merge(x.counter().name(), n.times(x.sign()), Count::plus));
                    }
                });
            }
            // Recreated by this transaction, the elements start again from zero with nothing lost.
            Predicate<ElementId> deleted = id -> id.family().equals(set.table().family()) && id.set().equals(set.name())
                    && (keys == null || keys.contains(id.key()));
            lastRead.keySet().removeIf(deleted);
            lost.keySet().removeIf(deleted);
        });
    }

    private static boolean counted(NftTable t, String set) {
        NftSet s = t.setsByName().get(set);
        return s != null && s.counted();
    }

    /** An element's key as nft lists it. */
    private static List<String> listed(NftElement e) {
        return e.key().stream().map(Counters::field).toList();
    }

    @Override
    public boolean applyChange(World from, World to) {
        HostState prev = applied != null ? applied : compile(from);
        HostState next = compile(to);
        Optional<Transaction> delta = Transactions.delta(prev, next);
        if (delta.isPresent()) {
            synchronized (base) {
                keepCounts(prev, delta.get(), next);
                run(delta.get(), false);
                applied = next;
            }
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
     * Runs one of the agent's transactions. The generations before and after tell whether the
     * kernel holds exactly the applied state with nobody else's commit since: after a whole
     * rebuild when the generation moved by this commit alone, after a delta when it was quiet before.
     */
    private void run(Transaction tx, boolean whole) {
        long before = nft.generation();
        if (whole && commits != null) {
            commits.unheard(() -> nft.run(tx)); // a rebuild announced costs the kernel many times the rebuild
        } else {
            nft.run(tx);
        }
        long after = nft.generation();
        drift.wrote(tx);
        boolean alone = before != -1 && after == before + 1;
        quiet = alone && (whole || before == quiet) ? after : -1;
        if (commits != null && alone) {
            own.add(after);
            if (whole) {
                settled = after;
                touched.clear();
                compareAll = false;
            }
        } else if (commits != null && whole) {
            compareAll = true; // someone else's commit may have gone unheard
        }
    }

    /** Pending objects read alone at a quiet check; beyond this many (after a rebuild), the tables are listed once. */
    static final int READ_ALONE = 64;
    /** Pending chains read alone per check: a chain costs what listing its table's sets costs (tenths of a second on a 1,000-vnic host). */
    static final int CHAINS_PER_CHECK = 4;

    /**
     * Compares what the kernel holds of Stockade's tables with what was applied (see {@link Drift})
     * and repairs what differs in one transaction; a missing table or object is rebuilt whole.
     * When the kernel's announcements are heard ({@link Commits}), a check reads only the objects
     * someone else's commits touched since the last one (nothing after commits to others' tables)
     * and lists the tables whole only after announcements were lost or a table itself was touched.
     * Without them, it lists the tables after anybody else's commit (the generation tells). Either
     * way, a check with nothing to compare reads the objects the agent wrote since, alone, to learn
     * their digests.
     */
    @Override
    public boolean repair(World slice) {
        HostState expected = applied != null ? applied : compile(slice);
        return commits != null ? repairAnnounced(expected) : repairByGeneration(expected);
    }

    private boolean repairAnnounced(HostState expected) {
        take(commits.drain());
        if (compareAll || touched.size() > READ_ALONE || drift.pending().size() > READ_ALONE) {
            compareAll = false;
            touched.clear();
            tablesTouched.clear();
            Set<Drift.Key> unknown = Set.copyOf(drift.pending());
            Optional<Transaction> repair = compared(expected, null, Set.of());
            // A digest the listing taught is someone else's if their commit touched the object meanwhile: learnt again, after a repair.
            take(commits.drain());
            touched.stream().filter(unknown::contains).forEach(drift::unlearn);
            return repair.map(tx -> repairWith(tx, expected)).orElse(true);
        }
        if (!touched.isEmpty() || !tablesTouched.isEmpty()) {
            Set<Drift.Key> scope = Set.copyOf(touched);
            Set<String> heads = Set.copyOf(tablesTouched);
            touched.clear();
            tablesTouched.clear();
            return compared(expected, scope, heads).map(tx -> repairWith(tx, expected)).orElse(true);
        }
        Map<Drift.Key, Listing.Summary> read = readPending(expected);
        take(commits.drain()); // the digests read are the applied ones unless someone touched them meanwhile
        if (!compareAll) {
            read.forEach((key, s) -> {
                if (!touched.contains(key)) {
                    drift.learn(key, s);
                }
            });
        }
        return false;
    }

    /**
     * Notes what the kernel announced: the objects someone else's commits touched, and a whole
     * compare when a table was touched or announcements of a commit not the agent's were lost.
     */
    private void take(Commits.Announced heard) {
        long last = settled;
        for (Commits.Commit c : heard.commits()) {
            last = Math.max(last, c.generation());
            if (c.generation() <= settled || own.contains(c.generation())) {
                continue;
            }
            for (Commits.Touched t : c.touched()) {
                switch (t.kind()) {
                    case TABLE -> tablesTouched.add(t.family());
                    case OTHER -> compareAll = true;
                    case CHAIN -> touched.add(new Drift.Key(t.family(), true, t.name()));
                    case SET -> touched.add(new Drift.Key(t.family(), false, t.name()));
                }
            }
        }
        if (heard.loss().isPresent()) {
            Commits.Loss loss = heard.loss().get();
            for (long g = Math.max(loss.after(), settled) + 1; g <= loss.through() && !compareAll; g++) {
                compareAll = !own.contains(g);
            }
            last = Math.max(last, loss.through());
        }
        own.headSet(last, true).clear();
    }

    private boolean repairByGeneration(HostState expected) {
        long g = nft.generation();
        if (g != -1 && g == quiet && drift.pending().size() <= READ_ALONE) {
            Map<Drift.Key, Listing.Summary> read = readPending(expected);
            if (nft.generation() == g) {
                read.forEach(drift::learn);
            }
            return false;
        }
        Optional<Transaction> repair = compared(expected, null, Set.of());
        if (repair.isEmpty()) {
            return true;
        }
        // The listing showed the state of generation g if nobody committed while it was read.
        quiet = g != -1 && nft.generation() == g ? g : -1;
        return repairWith(repair.get(), expected);
    }

    /**
     * The repair of the objects in {@code scope} (read alone) and of the heads of the tables of
     * the families in {@code heads}, or of all (the tables listed) when {@code scope} is null;
     * empty when a table had to be rebuilt whole, which is done. A listing does not show that a
     * table is dormant: the head is read for that, alone, and a dormant table woken by an {@code
     * add table}, which keeps what it holds.
     */
    private Optional<Transaction> compared(HostState expected, Set<Drift.Key> scope, Set<String> heads) {
        Transaction.Builder tx = Transaction.builder();
        for (NftTable t : expected.tables()) {
            if (scope == null || heads.contains(t.family())) {
                Optional<Boolean> dormant = nft.dormant(t.id());
                if (dormant.isEmpty()) {
                    rebuild(expected);
                    return Optional.empty();
                }
                if (dormant.get()) {
                    tx.add(t.id());
                }
            }
            Optional<Listing> kernel = scope == null ? nft.list(t.family(), t.name()) : Optional.of(readTouched(t, scope));
            if (kernel.isEmpty() || !(scope == null ? drift.repair(t, kernel.get(), tx) : drift.repairTouched(t, kernel.get(), scope, tx))) {
                rebuild(expected);
                return Optional.empty();
            }
        }
        return Optional.of(tx.build());
    }

    /** Runs a repair; whether there was one. */
    private boolean repairWith(Transaction repair, HostState expected) {
        if (repair.isEmpty()) {
            return false;
        }
        try {
            synchronized (base) {
                keepCounts(expected, repair, expected);
                run(repair, false);
            }
        } catch (Nftables.NftException e) {
            // Someone's objects stood in the way (say, a rule of theirs referring to ours): start again from nothing.
            rebuild(expected);
        }
        return true;
    }

    /** The objects of {@code scope} in one table that the kernel holds, each read alone: a set the agent did not make is looked for as a set, then as a map. */
    private Listing readTouched(NftTable t, Set<Drift.Key> scope) {
        Map<String, Listing.Summary> chains = new HashMap<>();
        Map<String, Listing.Summary> sets = new HashMap<>();
        Set<String> maps = new HashSet<>();
        for (Drift.Key key : scope) {
            if (!key.family().equals(t.family())) {
                continue;
            }
            if (key.chain()) {
                NftChain c = t.chainsByName().get(key.name());
                nft.summary(c != null ? NftObject.chain(t.id(), c) : new NftObject.Chain(t.id(), key.name(), null))
                        .ifPresent(s -> chains.put(key.name(), s));
                continue;
            }
            NftSet mine = t.setsByName().get(key.name());
            Optional<Listing.Summary> now = nft.summary(mine != null ? NftObject.set(t.id(), mine) : Drift.unknownSet(t.id(), key.name(), false));
            if (now.isEmpty() && mine == null) {
                now = nft.summary(Drift.unknownSet(t.id(), key.name(), true));
                now.ifPresent(s -> maps.add(key.name()));
            }
            now.ifPresent(s -> sets.put(key.name(), s));
        }
        return new Listing(chains, sets, maps);
    }

    /** Reads pending objects alone (sets first, a few chains). */
    private Map<Drift.Key, Listing.Summary> readPending(HostState expected) {
        Map<Drift.Key, Listing.Summary> read = new HashMap<>();
        int chains = 0;
        for (Drift.Key key : drift.pending().stream().sorted(java.util.Comparator.comparing(Drift.Key::chain)).toList()) {
            Optional<NftObject> object = object(expected, key);
            if (object.isEmpty()) {
                drift.drop(key);
            } else if (!key.chain() || chains++ < CHAINS_PER_CHECK) {
                nft.summary(object.get()).ifPresent(s -> read.put(key, s));
            }
        }
        return read;
    }

    private static Optional<NftObject> object(HostState s, Drift.Key key) {
        Optional<NftTable> table = s.tables().stream().filter(t -> t.family().equals(key.family())).findFirst();
        return table.flatMap(t -> key.chain()
                ? Optional.ofNullable(t.chainsByName().get(key.name())).map(c -> (NftObject) NftObject.chain(t.id(), c))
                : Optional.ofNullable(t.setsByName().get(key.name())).map(x -> (NftObject) NftObject.set(t.id(), x)));
    }
}
