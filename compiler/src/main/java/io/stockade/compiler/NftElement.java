package io.stockade.compiler;

import java.util.List;

/**
 * An element of a set or map: its key (one literal per field of the set's type, in nft syntax:
 * an address, a MAC, a quoted interface name, a range) and, in a map, its value.
 */
public record NftElement(List<String> key, Value value) {
    public NftElement {
        key = List.copyOf(key);
    }

    /** A set's element. */
    public static NftElement of(String... key) {
        return new NftElement(List.of(key), null);
    }

    /** This key mapped to {@code v}. */
    public NftElement to(Value v) {
        return new NftElement(key, v);
    }

    /** The key alone, as a map's element is deleted. */
    public NftElement keyOnly() {
        return value == null ? this : new NftElement(key, null);
    }

    /** What a map's element gives. */
    public sealed interface Value permits Verdict {}
}
