package io.stockade.compiler;

import java.util.List;

/** A chain: its base-chain hook, or null for a regular chain, and its rules. */
public record NftChain(String name, Base base, List<NftRule> rules) {
    public NftChain {
        rules = List.copyOf(rules);
    }

    /** Where a base chain hooks in: {@code type TYPE hook HOOK priority PRIORITY; policy POLICY;}. */
    public record Base(String type, String hook, int priority, String policy) {}
}
