package io.stockade.agent;

import io.stockade.agent.nft.Listing;
import io.stockade.compiler.NftChain;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.NftTable;
import io.stockade.compiler.Transaction;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds and repairs what changed in Stockade's tables behind the agent's back. Each chain and set
 * is compared with what the agent applied: its rule or element count with the applied object's,
 * and its digest (of the kernel's own form, see {@link Listing}) with the one the kernel showed
 * for it at the first check after the agent last wrote it. A chain that differs is flushed and
 * written again, a set flushed and filled again, objects the agent did not make are removed, all
 * in one transaction; named counters keep their counts.
 *
 * <p>An edit that keeps an object's count, made between the agent writing it and the next check,
 * is taken for the applied state; any later edit is found.
 */
final class Drift {
    private record Key(String family, boolean chain, String name) {}

    /** The type of a set or map the agent did not make, which only its deletion names (nft writes {@code delete set} or {@code delete map}). */
    private static final NftSet.Type ANY_SET = NftSet.Type.of("unknown");
    private static final NftSet.Type ANY_MAP = ANY_SET.to("unknown");

    private final Map<Key, Listing.Summary> known = new HashMap<>();

    /** Forgets everything known (after a rebuild). */
    void forgetAll() {
        known.clear();
    }

    /** Forgets the objects a transaction wrote: their digests are learnt again at the next check. */
    void forget(Transaction tx) {
        for (Transaction.Op op : tx.ops()) {
            String family = op.object().table().family();
            switch (op.object()) {
                case NftObject.Table t -> known.keySet().removeIf(k -> k.family().equals(family));
                case NftObject.Chain c -> known.remove(new Key(family, true, c.name()));
                case NftObject.Rule r -> known.remove(new Key(family, true, r.chain()));
                case NftObject.Set s -> known.remove(new Key(family, false, s.name()));
                case NftObject.Elements e -> known.remove(new Key(family, false, e.set()));
                case NftObject.Counter c -> { }
            }
        }
    }

    /**
     * Adds to {@code tx} what brings the kernel's table back to {@code applied}; false when only a
     * rebuild can (a chain or set of the applied state is missing).
     */
    boolean repair(NftTable applied, Listing kernel, Transaction.Builder tx) {
        NftObject.Table id = applied.id();
        Transaction.Builder rules = Transaction.builder();
        for (NftChain c : applied.chains()) {
            Listing.Summary now = kernel.chains().get(c.name());
            if (now == null) {
                return false;
            }
            if (differs(new Key(id.family(), true, c.name()), c.rules().size(), now)) {
                NftObject.Chain chain = new NftObject.Chain(id, c.name(), c.base());
                tx.add(chain).flush(chain);
                c.rules().forEach(r -> rules.add(new NftObject.Rule(id, c.name(), r)));
            }
        }
        for (NftSet s : applied.sets()) {
            Listing.Summary now = kernel.sets().get(s.name());
            if (now == null) {
                return false;
            }
            if (differs(new Key(id.family(), false, s.name()), s.elements().size(), now)) {
                NftObject.Set set = new NftObject.Set(id, s.name(), s.type(), s.interval());
                tx.flush(set);
                if (!s.elements().isEmpty()) {
                    tx.add(new NftObject.Elements(id, s.name(), s.isMap(), s.elements()));
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
                .forEach(n -> tx.delete(new NftObject.Set(id, n, kernel.maps().contains(n) ? ANY_MAP : ANY_SET, false)));
        kernel.chains().keySet().stream().filter(n -> !chains.containsKey(n)).sorted()
                .forEach(n -> tx.delete(new NftObject.Chain(id, n, null)));
        return true;
    }

    /** Whether an object drifted; its digest is learnt when it has the applied count and none is known. */
    private boolean differs(Key key, int size, Listing.Summary now) {
        if (now.size() != size) {
            return true;
        }
        Listing.Summary was = known.putIfAbsent(key, now);
        return was != null && !was.equals(now);
    }
}
