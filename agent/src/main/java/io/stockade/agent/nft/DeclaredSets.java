package io.stockade.agent.nft;

import io.stockade.compiler.NftObject;
import io.stockade.compiler.Transaction;
import java.util.HashMap;
import java.util.Map;

/**
 * The sets and maps that committed transactions declared, by table and name: what an element
 * batch needs to know of a set (its key's types, whether it holds intervals, its values). A table
 * or set deleted forgets its declarations. Whoever else changes the kernel cannot mislead it
 * into a wrong write: a set deleted or declared again with another key length refuses the
 * elements, and the transaction fails whole.
 */
final class DeclaredSets {
    private record Key(NftObject.Table table, String set) {}

    private final Map<Key, NftObject.Set> sets = new HashMap<>();

    synchronized NftObject.Set get(NftObject.Table table, String set) {
        return sets.get(new Key(table, set));
    }

    /** Takes in what a transaction the kernel committed declared and deleted, in its order. */
    synchronized void committed(Transaction tx) {
        for (Transaction.Op op : tx.ops()) {
            boolean declares = op.verb() == Transaction.Verb.ADD || op.verb() == Transaction.Verb.CREATE;
            switch (op.object()) {
                case NftObject.Set s when declares -> sets.put(new Key(s.table(), s.name()), s);
                case NftObject.Set s when op.verb() == Transaction.Verb.DELETE -> sets.remove(new Key(s.table(), s.name()));
                case NftObject.Table t when op.verb() == Transaction.Verb.DELETE -> sets.keySet().removeIf(k -> k.table().equals(t));
                default -> { }
            }
        }
    }
}
