package io.stockade.compiler;

import java.util.List;

/**
 * A named set, or a map when its type has a value, of an nftables table: its type, whether it
 * holds intervals, whether each element counts the packets that find it ({@code counter} flag),
 * whether rules may add to it ({@code dynamic}: it is counted by {@code update}), and its elements.
 */
public record NftSet(String name, Type type, boolean interval, boolean counted, boolean dynamic, List<NftElement> elements) {
    public NftSet {
        elements = List.copyOf(elements);
    }

    /** A set that counts nothing. */
    public NftSet(String name, Type type, boolean interval, List<NftElement> elements) {
        this(name, type, interval, false, false, elements);
    }

    public boolean isMap() {
        return type.value() != null;
    }

    /**
     * A set's type: the data type of each field of its key (several for a concatenation) and, for a
     * map, the type of its values ({@code verdict}), else null.
     */
    public record Type(List<String> key, String value) {
        public Type {
            key = List.copyOf(key);
        }

        public static Type of(String... key) {
            return new Type(List.of(key), null);
        }

        public Type to(String valueType) {
            return new Type(key, valueType);
        }
    }
}
