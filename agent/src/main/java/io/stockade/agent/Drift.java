package io.stockade.agent;

import io.stockade.agent.nft.Listing;
import io.stockade.compiler.NftChain;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.NftTable;
import io.stockade.compiler.Transaction;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds and repairs what changed in Stockade's tables behind the agent's back. Each chain and set
 * is compared with what the agent applied: its rule or element count with the applied object's,
 * and its digest (of the kernel's own form, see {@link Listing}) with the one the kernel showed
 * for it after the agent last wrote it. A chain that differs is flushed and written again, a set
 * flushed and filled again (the agent keeps the counts a counted set had, see
 * {@link NftDataplane#counters}), objects the agent did not make are removed, all in one transaction.
 *
 * <p>An object the agent wrote is pending until its digest is learnt: read alone while nobody
 * else has committed since (exact), or else at the next listing, where an edit by someone else
 * that kept its count would be taken for the applied state.
 *
 * <p>When the kernel's announcements tell which objects someone else's commit touched (see
 * {@link io.stockade.agent.nft.Commits}), only those are read and compared ({@link #repairTouched}).
 */
final class Drift {
    record Key(String family, boolean chain, String name) {}

    /** The type of a set or map the agent did not make, which only its deletion names (nft writes {@code delete set} or {@code delete map}). */
    private static final NftSet.Type ANY_SET = NftSet.Type.of("unknown");
    private static final NftSet.Type ANY_MAP = ANY_SET.to("unknown");

    /** A set or map the agent did not make, to read or delete by name. */
    static NftObject.Set unknownSet(NftObject.Table table, String name, boolean map) {
        return new NftObject.Set(table, name, map ? ANY_MAP : ANY_SET, false);
    }

    private final Map<Key, Listing.Summary> known = new HashMap<>();
    private final Set<Key> pending = new LinkedHashSet<>();

    /** The objects a transaction wrote become pending: their digests are learnt again. */
    void wrote(Transaction tx) {
        for (Transaction.Op op : tx.ops()) {
            String family = op.object().table().family();
            Key key = switch (op.object()) {
                case NftObject.Table t when op.verb() == Transaction.Verb.DELETE -> {
                    known.keySet().removeIf(k -> k.family().equals(family));
                    pending.removeIf(k -> k.family().equals(family));
                    yield null;
                }
                case NftObject.Table t -> null; // added (a dormant table woken), it holds what it held
                case NftObject.Chain c -> new Key(family, true, c.name());
                case NftObject.Rule r -> new Key(family, true, r.chain());
                case NftObject.Set s -> new Key(family, false, s.name());
                case NftObject.Elements e -> new Key(family, false, e.set());
            };
            if (key != null) {
                known.remove(key);
                if (op.verb() == Transaction.Verb.DELETE && !(op.object() instanceof NftObject.Elements)) {
                    pending.remove(key);
                } else {
                    pending.add(key);
                }
            }
        }
    }

    /** The objects written whose digests are not known yet, in the order written. */
    List<Key> pending() {
        return List.copyOf(pending);
    }

    /** Takes the kernel's summary of an object as the applied one's. */
    void learn(Key key, Listing.Summary s) {
        pending.remove(key);
        known.put(key, s);
    }

    /** Forgets a pending object that the applied state no longer holds. */
    void drop(Key key) {
        pending.remove(key);
    }

    /** Forgets a digest learnt from a read that someone else's commit may have come before: the object is pending again. */
    void unlearn(Key key) {
        if (known.remove(key) != null) {
            pending.add(key);
        }
    }

    /**
     * Adds to {@code tx} what brings the kernel's table back to {@code applied}; false when only a
     * rebuild can (a chain or set of the applied state is missing).
     */
    boolean repair(NftTable applied, Listing kernel, Transaction.Builder tx) {
        return repair(applied, kernel, key -> true, false, tx);
    }

    /**
     * Adds to {@code tx} what brings the {@code touched} objects (someone else's commit touched
     * them; {@code kernel} holds those of them that exist, read alone) back to {@code applied};
     * false when only a rebuild can. A touched object whose digest is not known yet is written
     * again: its count alone cannot tell an edit.
     */
    boolean repairTouched(NftTable applied, Listing kernel, Set<Key> touched, Transaction.Builder tx) {
        return repair(applied, kernel, touched::contains, true, tx);
    }

    private boolean repair(NftTable applied, Listing kernel, Predicate<Key> scope, boolean touched, Transaction.Builder tx) {
        NftObject.Table id = applied.id();
        Transaction.Builder rules = Transaction.builder();
        for (NftChain c : applied.chains()) {
            Key key = new Key(id.family(), true, c.name());
            if (!scope.test(key)) {
                continue;
            }
            Listing.Summary now = kernel.chains().get(c.name());
            if (now == null) {
                return false;
            }
            if (differs(key, c.rules().size(), now, touched)) {
                NftObject.Chain chain = new NftObject.Chain(id, c.name(), c.base());
                tx.add(chain).flush(chain);
                c.rules().forEach(r -> rules.add(new NftObject.Rule(id, c.name(), r)));
            }
        }
        for (NftSet s : applied.sets()) {
            Key key = new Key(id.family(), false, s.name());
            if (!scope.test(key)) {
                continue;
            }
            Listing.Summary now = kernel.sets().get(s.name());
            if (now == null) {
                return false;
            }
            if (differs(key, s.elements().size(), now, touched)) {
                NftObject.Set set = NftObject.set(id, s);
                tx.flush(set);
                if (!s.elements().isEmpty()) {
                    tx.add(new NftObject.Elements(id, s.name(), s.elements()));
                }
            }
        }
        rules.build().ops().forEach(op -> tx.op(op.verb(), op.object()));
        // What someone added: chains emptied first, so no rule refers to the sets removed next.
        Map<String, NftChain> chains = applied.chainsByName();
        Map<String, NftSet> sets = applied.setsByName();
        kernel.chains().keySet().stream().filter(n -> !chains.containsKey(n)).sorted()
                .forEach(n -> tx.flush(new NftObject.Chain(id, n, null)));
        kernel.sets().keySet().stream().filter(n -> !sets.containsKey(n)).sorted()
                .forEach(n -> tx.delete(unknownSet(id, n, kernel.maps().contains(n))));
        kernel.chains().keySet().stream().filter(n -> !chains.containsKey(n)).sorted()
                .forEach(n -> tx.delete(new NftObject.Chain(id, n, null)));
        return true;
    }

    /**
     * Whether an object drifted; when it has the applied count and no digest is known, a touched
     * one is taken as drifted, another's digest is learnt.
     */
    private boolean differs(Key key, int size, Listing.Summary now, boolean touched) {
        if (now.size() != size) {
            return true;
        }
        Listing.Summary was = known.get(key);
        if (was == null) {
            if (touched) {
                return true;
            }
            learn(key, now);
            return false;
        }
        return !was.equals(now);
    }
}
