package io.stockade.compiler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One nftables table: family, name, sets (and maps), chains and named counters, each in a stable order. */
public record NftTable(String family, String name, List<NftSet> sets, List<NftChain> chains, List<String> counters) {
    public NftTable {
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
        counters = List.copyOf(counters);
    }

    public NftTable(String family, String name, List<NftSet> sets, List<NftChain> chains) {
        this(family, name, sets, chains, List.of());
    }

    public String qualified() {
        return family + " " + name;
    }

    public Map<String, NftSet> setsByName() {
        Map<String, NftSet> m = new LinkedHashMap<>();
        sets.forEach(s -> m.put(s.name(), s));
        return m;
    }

    public Map<String, NftChain> chainsByName() {
        Map<String, NftChain> m = new LinkedHashMap<>();
        chains.forEach(c -> m.put(c.name(), c));
        return m;
    }
}
