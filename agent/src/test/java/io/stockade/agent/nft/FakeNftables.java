package io.stockade.agent.nft;

import io.stockade.agent.stats.Count;
import io.stockade.compiler.Counters;
import io.stockade.compiler.NftChain;
import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftRule;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.Render;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@link Nftables} in memory, as the kernel behaves for what Stockade writes: a transaction
 * applies to a copy of the ruleset that replaces it only when every operation succeeded (all or
 * nothing), and an operation fails as nft does: on a missing table, chain, set or element, on a
 * {@code create} of an existing one, on deleting a chain or set that is still used
 * or a chain that still has rules, and on an element whose key or value does not fit its set's
 * type. A counted set's elements count what {@link #hit} says the packets did, from zero when
 * added. {@link #dump} lists the ruleset sorted, for comparing two of them.
 */
public final class FakeNftables implements Nftables {
    private static final Comparator<NftObject.Table> BY_NAME = Comparator.comparing(NftObject.Table::family).thenComparing(NftObject.Table::name);

    private Map<NftObject.Table, TableState> tables = new TreeMap<>(BY_NAME);
    private String refuseNext;
    private int transactions;
    private Transaction last = Transaction.EMPTY;
    private int listings;
    private int tablesListed;
    private Transaction duringNextListing;

    private static final class TableState {
        final Map<String, ChainState> chains = new LinkedHashMap<>();
        final Map<String, SetState> sets = new LinkedHashMap<>();
        /** Its base chains unhooked ({@code flags dormant}); an {@code add table} without flags wakes it. */
        boolean dormant;

        TableState copy() {
            TableState t = new TableState();
            t.dormant = dormant;
            chains.forEach((n, c) -> t.chains.put(n, new ChainState(c.base, new ArrayList<>(c.rules))));
            sets.forEach((n, s) -> t.sets.put(n, new SetState(s.type, s.interval, s.counted, s.dynamic, new LinkedHashMap<>(s.elements), new HashMap<>(s.counts))));
            return t;
        }
    }

    private record ChainState(NftChain.Base base, List<NftRule> rules) {}

    /** {@code counts}: of a counted set's elements, by key. */
    private record SetState(NftSet.Type type, boolean interval, boolean counted, boolean dynamic, Map<List<String>, NftElement> elements,
            Map<List<String>, Count> counts) {}

    /** The next transaction fails with this message, changing nothing (as when the kernel refuses one). */
    public synchronized void refuseNext(String message) {
        refuseNext = message;
    }

    /** How many transactions were applied. */
    public synchronized int transactions() {
        return transactions;
    }

    /** The last transaction applied. */
    public synchronized Transaction last() {
        return last;
    }

    @Override
    public synchronized void run(Transaction tx) {
        if (refuseNext != null) {
            String m = refuseNext;
            refuseNext = null;
            throw new NftException("nft refused the transaction: " + m);
        }
        Map<NftObject.Table, TableState> next = new TreeMap<>(BY_NAME);
        tables.forEach((id, t) -> next.put(id, t.copy()));
        for (Transaction.Op op : tx.ops()) {
            apply(next, op);
        }
        tables = next;
        transactions++;
        last = tx;
        for (Follower f : followers) {
            f.committed(transactions, tx);
        }
    }

    private final List<Follower> followers = new ArrayList<>();
    private boolean loseNext;

    /** The announcement of the next commit is lost, as when a monitor's receive buffer is full. */
    public synchronized void loseNextAnnouncement() {
        loseNext = true;
    }

    /** Announces every commit to the followers of the tables it touches, as the kernel does. */
    @Override
    public synchronized Optional<Commits> follow(String table) {
        Follower f = new Follower(table);
        followers.add(f);
        return Optional.of(f);
    }

    private final class Follower implements Commits {
        private final String table;
        private final List<Commit> heard = new ArrayList<>();
        private Loss lost;
        private boolean deaf;

        Follower(String table) {
            this.table = table;
        }

        void committed(long generation, Transaction tx) {
            if (deaf) {
                return;
            }
            if (loseNext) {
                loseNext = false;
                lost = new Loss(lost != null ? lost.after() : generation - 1, generation);
                return;
            }
            Set<Touched> touched = new java.util.LinkedHashSet<>();
            for (Transaction.Op op : tx.ops()) {
                NftObject.Table t = op.object().table();
                if (t.name().equals(table)) {
                    switch (op.object()) {
                        case NftObject.Table x -> touched.add(new Touched(t.family(), Kind.TABLE, table));
                        case NftObject.Chain c -> touched.add(new Touched(t.family(), Kind.CHAIN, c.name()));
                        case NftObject.Rule r -> touched.add(new Touched(t.family(), Kind.CHAIN, r.chain()));
                        case NftObject.Set x -> touched.add(new Touched(t.family(), Kind.SET, x.name()));
                        case NftObject.Elements e -> touched.add(new Touched(t.family(), Kind.SET, e.set()));
                    }
                }
            }
            heard.add(new Commit(generation, touched));
        }

        @Override
        public Announced drain() {
            synchronized (FakeNftables.this) {
                Announced a = new Announced(heard, Optional.ofNullable(lost));
                heard.clear();
                lost = null;
                return a;
            }
        }

        @Override
        public void unheard(Runnable commit) {
            synchronized (FakeNftables.this) {
                deaf = true;
                try {
                    commit.run();
                } finally {
                    deaf = false;
                }
            }
        }

        @Override
        public void close() {
            synchronized (FakeNftables.this) {
                followers.remove(this);
            }
        }
    }

    private static void apply(Map<NftObject.Table, TableState> tables, Transaction.Op op) {
        Transaction.Verb verb = op.verb();
        NftObject.Table id = op.object().table();
        if (op.object() instanceof NftObject.Table) {
            switch (verb) {
                case ADD -> tables.computeIfAbsent(id, k -> new TableState()).dormant = false;
                case CREATE -> {
                    if (tables.putIfAbsent(id, new TableState()) != null) {
                        throw error(op, "File exists");
                    }
                }
                case DELETE -> {
                    if (tables.remove(id) == null) {
                        throw error(op, "No such file or directory");
                    }
                }
                case FLUSH -> table(tables, op).chains.values().forEach(c -> c.rules().clear());
                case INSERT -> throw error(op, "syntax error");
            }
            return;
        }
        TableState t = table(tables, op);
        switch (op.object()) {
            case NftObject.Table x -> throw new IllegalStateException();
            case NftObject.Chain c -> chain(t, op, c);
            case NftObject.Rule r -> rule(t, op, r);
            case NftObject.Set s -> set(t, op, s);
            case NftObject.Elements e -> elements(t, op, e);
        }
    }

    private static TableState table(Map<NftObject.Table, TableState> tables, Transaction.Op op) {
        TableState t = tables.get(op.object().table());
        if (t == null) {
            throw error(op, "No such file or directory (no table " + op.object().table().family() + " " + op.object().table().name() + ")");
        }
        return t;
    }

    private static void chain(TableState t, Transaction.Op op, NftObject.Chain c) {
        ChainState old = t.chains.get(c.name());
        switch (op.verb()) {
            case ADD, CREATE -> {
                if (old == null) {
                    t.chains.put(c.name(), new ChainState(c.base(), new ArrayList<>()));
                } else if (op.verb() == Transaction.Verb.CREATE) {
                    throw error(op, "File exists");
                } else if (c.base() != null && (old.base() == null || !sameHook(old.base(), c.base()))) {
                    throw error(op, "Operation not supported (a chain's hook cannot change)");
                } else if (c.base() != null) {
                    t.chains.put(c.name(), new ChainState(c.base(), old.rules())); // a base chain's policy may change
                }
            }
            case FLUSH -> exists(op, old).rules().clear();
            case DELETE -> {
                exists(op, old);
                if (!old.rules().isEmpty() || jumpsTo(t, c.name())) {
                    throw error(op, "Device or resource busy");
                }
                t.chains.remove(c.name());
            }
            case INSERT -> throw error(op, "syntax error");
        }
    }

    private static boolean sameHook(NftChain.Base a, NftChain.Base b) {
        return a.type().equals(b.type()) && a.hook().equals(b.hook()) && a.priority() == b.priority();
    }

    private static void rule(TableState t, Transaction.Op op, NftObject.Rule r) {
        ChainState chain = exists(op, t.chains.get(r.chain()));
        for (NftRule.Expr e : r.rule().exprs()) {
            switch (e) {
                case NftRule.Match m -> {
                    if (m.right() instanceof NftRule.SetRef s) {
                        exists(op, t.sets.get(s.set()), "set " + s.set());
                    }
                }
                case NftRule.MarkSet m -> { }
                case NftRule.Update u -> {
                    if (!exists(op, t.sets.get(u.set()), "set " + u.set()).dynamic()) {
                        throw error(op, "Operation not supported (" + u.set() + " is not dynamic)");
                    }
                }
                case NftRule.Limit l -> { }
                case NftRule.Log l -> { }
            }
        }
        switch (r.rule().verdict()) {
            case Verdict.Jump j -> exists(op, t.chains.get(j.chain()), "chain " + j.chain());
            case Verdict.Goto g -> exists(op, t.chains.get(g.chain()), "chain " + g.chain());
            case Verdict.Vmap v -> {
                SetState map = exists(op, t.sets.get(v.map()), "map " + v.map());
                if (!"verdict".equals(map.type().value())) {
                    throw error(op, "Invalid argument (" + v.map() + " is not a verdict map)");
                }
            }
            default -> { }
        }
        switch (op.verb()) {
            case ADD -> chain.rules().add(r.rule());
            case INSERT -> chain.rules().add(0, r.rule());
            default -> throw error(op, "syntax error (rules are added, inserted, or go with their chain)");
        }
    }

    private static void set(TableState t, Transaction.Op op, NftObject.Set s) {
        SetState old = t.sets.get(s.name());
        switch (op.verb()) {
            case ADD, CREATE -> {
                if (old == null) {
                    t.sets.put(s.name(), new SetState(s.type(), s.interval(), s.counted(), s.dynamic(), new LinkedHashMap<>(), new HashMap<>()));
                } else if (op.verb() == Transaction.Verb.CREATE || !old.type().equals(s.type()) || old.interval() != s.interval() || old.counted() != s.counted()
                        || old.dynamic() != s.dynamic()) {
                    throw error(op, "File exists");
                }
            }
            case FLUSH -> {
                exists(op, old).elements().clear();
                old.counts().clear();
            }
            case DELETE -> {
                exists(op, old);
                if (usesSet(t, s.name())) {
                    throw error(op, "Device or resource busy");
                }
                t.sets.remove(s.name());
            }
            case INSERT -> throw error(op, "syntax error");
        }
    }

    private static void elements(TableState t, Transaction.Op op, NftObject.Elements e) {
        SetState set = exists(op, t.sets.get(e.set()), "set " + e.set());
        for (NftElement el : e.elements()) {
            List<String> key = el.key();
            switch (op.verb()) {
                case ADD, CREATE -> {
                    fits(t, op, set, el);
                    NftElement old = set.elements().get(key);
                    if (old != null && (op.verb() == Transaction.Verb.CREATE || !old.equals(el))) {
                        throw error(op, "File exists (" + Render.element(el) + ")");
                    }
                    set.elements().put(key, el);
                    if (set.counted()) {
                        set.counts().putIfAbsent(key, Count.ZERO);
                    }
                }
                case DELETE -> {
                    if (set.elements().remove(key) == null) {
                        throw error(op, "No such file or directory (" + Render.element(el.keyOnly()) + ")");
                    }
                    set.counts().remove(key);
                }
                case FLUSH, INSERT -> throw error(op, "syntax error");
            }
        }
    }

    private static final Map<String, Pattern> FIELDS = Map.of(
            "ipv4_addr", Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2}|-\\d{1,3}(\\.\\d{1,3}){3})?"),
            "ipv6_addr", Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*(/\\d{1,3})?"),
            "ether_addr", Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}"),
            "ifname", Pattern.compile("\"[^\"]{1,15}\""),
            "mark", Pattern.compile("0x[0-9a-f]{1,8}|\\d+"),
            "inet_service", Pattern.compile("\\d{1,5}(-\\d{1,5})?"),
            "inet_proto", Pattern.compile("\\d{1,3}(-\\d{1,3})?|tcp|udp|icmp|ipv6-icmp"),
            "ether_type", Pattern.compile("arp|ip|ip6|vlan"));
    private static final Pattern ICMP = Pattern.compile("\\d{1,3}(-\\d{1,3})?|[a-z][a-z0-9-]*");

    /** Whether an element fits its set: one key field per field of the type, each of its type, and a value of the map's type. */
    private static void fits(TableState t, Transaction.Op op, SetState set, NftElement e) {
        List<String> types = set.type().key();
        boolean catchAll = e.key().equals(List.of(Counters.CATCH_ALL));
        if (!catchAll && e.key().size() != types.size()) {
            throw error(op, "Invalid argument (" + Render.element(e) + " has " + e.key().size() + " fields, the set's type " + types.size() + ")");
        }
        for (int i = 0; i < types.size(); i++) {
            Pattern p = types.get(i).startsWith("icmp") ? ICMP : FIELDS.get(types.get(i));
            if (!catchAll && p != null && !p.matcher(e.key().get(i)).matches()) {
                throw error(op, "Invalid argument (" + e.key().get(i) + " is not a " + types.get(i) + ")");
            }
        }
        String valueType = set.type().value();
        switch (e.value()) {
            case null -> {
                if (valueType != null) {
                    throw error(op, "Invalid argument (an element of map without a value)");
                }
            }
            case Verdict v when "verdict".equals(valueType) -> {
                switch (v) {
                    case Verdict.Jump j -> exists(op, t.chains.get(j.chain()), "chain " + j.chain());
                    case Verdict.Goto g -> exists(op, t.chains.get(g.chain()), "chain " + g.chain());
                    case Verdict.Accept a -> { }
                    case Verdict.Drop d -> { }
                    case Verdict.Return r -> { }
                    default -> throw error(op, "Invalid argument (" + Render.element(e) + ")");
                }
            }
            default -> throw error(op, "Invalid argument (" + Render.element(e) + " does not fit a set of type " + set.type() + ")");
        }
    }

    private static boolean jumpsTo(TableState t, String chain) {
        for (ChainState c : t.chains.values()) {
            for (NftRule r : c.rules()) {
                if (r.verdict() instanceof Verdict.Jump j && j.chain().equals(chain) || r.verdict() instanceof Verdict.Goto g && g.chain().equals(chain)) {
                    return true;
                }
            }
        }
        for (SetState s : t.sets.values()) {
            for (NftElement e : s.elements().values()) {
                if (e.value() instanceof Verdict.Jump j && j.chain().equals(chain) || e.value() instanceof Verdict.Goto g && g.chain().equals(chain)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean usesSet(TableState t, String set) {
        for (ChainState c : t.chains.values()) {
            for (NftRule r : c.rules()) {
                if (r.verdict() instanceof Verdict.Vmap v && v.map().equals(set)) {
                    return true;
                }
                for (NftRule.Expr e : r.exprs()) {
                    if (e instanceof NftRule.Match m && m.right() instanceof NftRule.SetRef s && s.set().equals(set)
                            || e instanceof NftRule.Update u && u.set().equals(set)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static <T> T exists(Transaction.Op op, T thing) {
        return exists(op, thing, "it");
    }

    private static <T> T exists(Transaction.Op op, T thing, String what) {
        if (thing == null) {
            throw error(op, "No such file or directory (no " + what + ")");
        }
        return thing;
    }

    private static NftException error(Transaction.Op op, String why) {
        String line = Render.script(new Transaction(List.of(op))).strip();
        return new NftException("nft refused the transaction: Error: Could not process rule: " + why + "\n" + (line.length() > 200 ? line.substring(0, 200) + "…" : line));
    }

    /** How many tables and objects were listed. */
    public synchronized int listings() {
        return listings;
    }

    /** How many tables were listed whole (a chain or set read alone is not counted here). */
    public synchronized int tablesListed() {
        return tablesListed;
    }

    /** Someone else commits this as the next table listing begins: the listing shows it, its announcement comes after. */
    public synchronized void commitDuringNextListing(Transaction tx) {
        duringNextListing = tx;
    }

    @Override
    public synchronized Optional<Listing> list(String family, String table) {
        tablesListed++;
        if (duringNextListing != null) {
            Transaction tx = duringNextListing;
            duringNextListing = null;
            run(tx);
        }
        return listing(family, table);
    }

    private Optional<Listing> listing(String family, String table) {
        listings++;
        TableState t = tables.get(new NftObject.Table(family, table));
        if (t == null) {
            return Optional.empty();
        }
        Map<String, Listing.Summary> chains = new TreeMap<>();
        t.chains.forEach((n, c) -> chains.put(n, Listing.Summary.ordered(Objects.toString(c.base()), c.rules().stream().map(Render::rule).toList())));
        Map<String, Listing.Summary> sets = new TreeMap<>();
        Set<String> maps = new TreeSet<>();
        t.sets.forEach((n, s) -> {
            sets.put(n, Listing.Summary.unordered(s.type() + " " + s.interval(), s.elements().values().stream().map(Render::element).toList()));
            if (s.type().value() != null) {
                maps.add(n);
            }
        });
        return Optional.of(new Listing(chains, sets, maps));
    }

    @Override
    public synchronized Optional<Listing.Summary> summary(NftObject object) {
        Optional<Listing> l = listing(object.table().family(), object.table().name());
        return switch (object) {
            case NftObject.Chain c -> l.map(x -> x.chains().get(c.name()));
            case NftObject.Set set -> l.map(x -> x.sets().get(set.name()));
            default -> throw new IllegalArgumentException("only a chain, set or map is listed alone, not " + object);
        };
    }

    /**
     * Someone else makes a table dormant ({@code add table FAMILY NAME { flags dormant; }}): one
     * commit, announced as touching the table itself.
     */
    public synchronized void makeDormant(NftObject.Table table) {
        Map<NftObject.Table, TableState> next = new TreeMap<>(BY_NAME);
        tables.forEach((id, t) -> next.put(id, t.copy()));
        TableState t = next.get(table);
        if (t == null) {
            throw new NftException("nft refused the transaction: Error: Could not process rule: No such file or directory");
        }
        t.dormant = true;
        tables = next;
        transactions++;
        for (Follower f : followers) {
            f.committed(transactions, Transaction.builder().add(table).build());
        }
    }

    @Override
    public synchronized Optional<Boolean> dormant(NftObject.Table table) {
        return Optional.ofNullable(tables.get(table)).map(t -> t.dormant);
    }

    /** The number of transactions applied: it moves with every commit, as the kernel's generation id. */
    @Override
    public synchronized long generation() {
        return transactions;
    }

    @Override
    public synchronized Map<List<String>, Count> counts(NftObject.Set set) {
        TableState t = tables.get(set.table());
        SetState s = t == null ? null : t.sets.get(set.name());
        Map<List<String>, Count> out = new HashMap<>();
        if (s != null) {
            s.counts().forEach((key, n) -> out.put(key.stream().map(Counters::field).toList(), n));
        }
        return out;
    }

    /**
     * Packets that found the element {@code key} (in nft syntax, as the compiler writes it) of the
     * counted set {@code set}: its count grows, as the kernel's would.
     */
    public synchronized void hit(NftObject.Table table, String set, List<String> key, long packets, long bytes) {
        SetState s = tables.get(table).sets.get(set);
        if (s == null || !s.counted() || !s.elements().containsKey(key)) {
            throw new IllegalArgumentException("no counted element " + key + " in " + set);
        }
        s.counts().merge(key, new Count(packets, bytes), Count::plus);
    }

    /** The whole ruleset as text, every list sorted but a chain's rules (whose order counts). */
    public synchronized String dump() {
        StringBuilder sb = new StringBuilder();
        tables.forEach((id, t) -> {
            sb.append("table ").append(id.family()).append(' ').append(id.name()).append(t.dormant ? " dormant" : "").append('\n');
            new TreeMap<>(t.chains).forEach((n, c) -> {
                sb.append("  chain ").append(n).append(c.base() == null ? "" : " " + c.base()).append('\n');
                c.rules().forEach(r -> sb.append("    ").append(Render.rule(r)).append('\n'));
            });
            new TreeMap<>(t.sets).forEach((n, s) -> {
                sb.append("  set ").append(n).append(' ').append(s.type()).append(s.interval() ? " interval" : "").append(s.counted() ? " counted" : "").append(s.dynamic() ? " dynamic" : "").append('\n');
                s.elements().values().stream().map(Render::element).sorted().forEach(e -> sb.append("    ").append(e).append('\n'));
            });
        });
        return sb.toString();
    }
}
