package io.stockade.compiler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The compiler's diff: the transaction that installs a whole host state, or the smallest one that
 * moves a kernel from one state to another.
 */
public final class Transactions {
    private Transactions() {}

    /** The whole state, replacing Stockade's tables atomically (also when they do not exist yet). */
    public static Transaction full(HostState s) {
        Transaction.Builder tx = Transaction.builder();
        for (NftTable t : s.tables()) {
            tx.add(t.id()).delete(t.id());
        }
        for (NftTable t : s.tables()) {
            define(tx, t);
        }
        return tx.build();
    }

    /** Adds one table with everything in it (to a kernel that does not hold it). */
    private static void define(Transaction.Builder tx, NftTable t) {
        NftObject.Table id = t.id();
        tx.add(id);
        for (NftChain c : t.chains()) {
            tx.add(NftObject.chain(id, c));
        }
        for (NftSet set : t.sets()) {
            tx.add(NftObject.set(id, set));
            tx.elements(Transaction.Verb.ADD, id, set, set.elements());
        }
        for (NftChain c : t.chains()) {
            rules(tx, id, c);
        }
    }

    private static void rules(Transaction.Builder tx, NftObject.Table id, NftChain c) {
        for (NftRule rule : c.rules()) {
            tx.add(new NftObject.Rule(id, c.name(), rule));
        }
    }

    /**
     * The operations that turn a kernel holding {@code a} into one holding {@code b}: new sets and
     * chains first, element deletes before adds (interval sets refuse overlaps), rewritten chains,
     * then removed chains and sets. Empty when a change cannot be expressed as a delta (a base
     * chain or a set's type or flags changed); then the full transaction is needed.
     */
    public static Optional<Transaction> delta(HostState a, HostState b) {
        Transaction.Builder tx = Transaction.builder();
        if (a.tables().size() != b.tables().size()) {
            return Optional.empty();
        }
        for (int i = 0; i < b.tables().size(); i++) {
            NftTable ta = a.tables().get(i);
            NftTable tb = b.tables().get(i);
            if (!ta.id().equals(tb.id()) || !tableDelta(tx, ta, tb)) {
                return Optional.empty();
            }
        }
        return Optional.of(tx.build());
    }

    private static boolean tableDelta(Transaction.Builder tx, NftTable a, NftTable b) {
        NftObject.Table id = b.id();
        Map<String, NftChain> ca = a.chainsByName();
        Map<String, NftChain> cb = b.chainsByName();
        Map<String, NftSet> sa = a.setsByName();
        Map<String, NftSet> sb = b.setsByName();
        for (NftChain c : cb.values()) {
            NftChain old = ca.get(c.name());
            if (old != null && !Objects.equals(old.base(), c.base())) {
                return false;
            }
        }
        for (NftSet s : sb.values()) {
            NftSet old = sa.get(s.name());
            if (old != null && (!old.type().equals(s.type()) || old.interval() != s.interval() || old.counted() != s.counted() || old.dynamic() != s.dynamic())) {
                return false;
            }
        }
        // 1. New chains (empty) and sets, so everything below may refer to them.
        for (NftChain c : cb.values()) {
            if (!ca.containsKey(c.name())) {
                tx.add(NftObject.chain(id, c));
            }
        }
        for (NftSet s : sb.values()) {
            if (!sa.containsKey(s.name())) {
                tx.add(NftObject.set(id, s));
            }
        }
        // 2. Element deletes, then adds.
        for (NftSet s : sb.values()) {
            NftSet old = sa.get(s.name());
            if (old != null && old.elements() != s.elements()) {
                tx.elements(Transaction.Verb.DELETE, id, s, minus(old.elements(), s.elements()));
            }
        }
        for (NftSet s : sb.values()) {
            NftSet old = sa.get(s.name());
            if (old == null || old.elements() != s.elements()) {
                tx.elements(Transaction.Verb.ADD, id, s, old == null ? s.elements() : minus(s.elements(), old.elements()));
            }
        }
        // 3. Chains whose rules changed are flushed and written again.
        for (NftChain c : cb.values()) {
            NftChain old = ca.get(c.name());
            if (old == null || !old.rules().equals(c.rules())) {
                if (old != null) {
                    tx.flush(NftObject.chain(id, c));
                }
                rules(tx, id, c);
            }
        }
        // 4. Removed chains are emptied, then removed sets and maps go (nothing uses them now), then the chains.
        for (NftChain c : ca.values()) {
            if (!cb.containsKey(c.name())) {
                tx.flush(NftObject.chain(id, c));
            }
        }
        for (NftSet s : sa.values()) {
            if (!sb.containsKey(s.name())) {
                tx.delete(NftObject.set(id, s));
            }
        }
        for (NftChain c : ca.values()) {
            if (!cb.containsKey(c.name())) {
                tx.delete(NftObject.chain(id, c));
            }
        }
        return true;
    }

    /**
     * The elements of {@code a} that {@code b} lacks, in {@code a}'s order. A set's elements are
     * distinct, so what the two lists share as their first and last elements is in both and
     * needs no lookup: a set of 30k MACs that gained one is compared without hashing it.
     */
    static <T> List<T> minus(List<T> a, List<T> b) {
        int head = 0;
        int n = Math.min(a.size(), b.size());
        while (head < n && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < n - head && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<T> rest = a.subList(head, a.size() - tail);
        if (rest.isEmpty()) {
            return List.of();
        }
        Set<T> drop = new HashSet<>(b.subList(head, b.size() - tail));
        List<T> out = new ArrayList<>();
        for (T x : rest) {
            if (!drop.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }
}
