package io.stockade.compiler;

import java.util.List;

/**
 * A named set or map of an nftables table: its type declaration (as nft writes it after
 * {@code type} or {@code typeof}), whether it holds intervals, and its elements in canonical text.
 */
public record NftSet(String name, String type, boolean interval, List<String> elements) {
    public NftSet {
        elements = List.copyOf(elements);
    }

    public boolean isMap() {
        return type.contains(" : ");
    }

    /** The declaration without elements, as in {@code add set}. */
    public String declaration() {
        return "{ type " + type + ";" + (interval ? " flags interval;" : "") + " }";
    }
}
