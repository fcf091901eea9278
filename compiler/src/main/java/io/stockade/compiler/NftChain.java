package io.stockade.compiler;

import java.util.List;

/** A chain: its base-chain spec (hook, priority, policy) or null for a regular chain, and its rules in nft syntax. */
public record NftChain(String name, String base, List<String> rules) {
    public NftChain {
        rules = List.copyOf(rules);
    }
}
