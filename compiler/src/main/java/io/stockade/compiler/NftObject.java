package io.stockade.compiler;

import java.util.List;

/**
 * What one operation of a {@link Transaction} names, each object addressed by its table as nft
 * addresses it: a table, a chain (declared, without its rules), a rule of a chain, a set or map
 * (declared, without its elements), elements of a set or map.
 */
public sealed interface NftObject {
    Table table();

    record Table(String family, String name) implements NftObject {
        @Override
        public Table table() {
            return this;
        }
    }

    record Chain(Table table, String name, NftChain.Base base) implements NftObject {}

    record Rule(Table table, String chain, NftRule rule) implements NftObject {}

    /**
     * A set, or a map when its type has a value; {@code counted}: each element counts the packets
     * that find it; {@code dynamic}: rules add to it (and count on it) with {@code update}.
     */
    record Set(Table table, String name, NftSet.Type type, boolean interval, boolean counted, boolean dynamic) implements NftObject {
        /** A set that counts nothing. */
        public Set(Table table, String name, NftSet.Type type, boolean interval) {
            this(table, name, type, interval, false, false);
        }

        public boolean isMap() {
            return type.value() != null;
        }
    }

    /** Elements of one set or map. */
    record Elements(Table table, String set, List<NftElement> elements) implements NftObject {
        public Elements {
            elements = List.copyOf(elements);
        }
    }

    static Chain chain(Table t, NftChain c) {
        return new Chain(t, c.name(), c.base());
    }

    static Set set(Table t, NftSet s) {
        return new Set(t, s.name(), s.type(), s.interval(), s.counted(), s.dynamic());
    }
}
