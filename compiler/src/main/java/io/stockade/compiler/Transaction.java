package io.stockade.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * Operations on nftables objects that the kernel applies as one transaction, all or nothing, in
 * order. A value: the compiler's diff makes it, {@link Render#script} writes it for
 * {@code nft -f}, and a fake kernel applies it in memory.
 */
public record Transaction(List<Op> ops) {
    public static final Transaction EMPTY = new Transaction(List.of());

    public Transaction {
        ops = List.copyOf(ops);
    }

    /**
     * nft's verbs: {@code create} is {@code add} that fails when the object exists; {@code insert}
     * puts a rule at the head of its chain.
     */
    public enum Verb {
        ADD, CREATE, FLUSH, DELETE, INSERT
    }

    public record Op(Verb verb, NftObject object) {}

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Appends operations in order. */
    public static final class Builder {
        private final List<Op> ops = new ArrayList<>();

        public Builder add(NftObject o) {
            return op(Verb.ADD, o);
        }

        public Builder create(NftObject o) {
            return op(Verb.CREATE, o);
        }

        public Builder flush(NftObject o) {
            return op(Verb.FLUSH, o);
        }

        public Builder delete(NftObject o) {
            return op(Verb.DELETE, o);
        }

        public Builder insert(NftObject o) {
            return op(Verb.INSERT, o);
        }

        public Builder op(Verb verb, NftObject o) {
            ops.add(new Op(verb, o));
            return this;
        }

        /** Adds or deletes elements, when there are any. */
        Builder elements(Verb verb, NftObject.Table t, NftSet s, List<NftElement> elements) {
            if (!elements.isEmpty()) {
                op(verb, new NftObject.Elements(t, s.name(), elements));
            }
            return this;
        }

        public Transaction build() {
            return new Transaction(ops);
        }
    }
}
