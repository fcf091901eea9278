package io.stockade.compiler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One nftables table: family, name, sets (and maps), chains, each in a stable order, and how the
 * elements of its counted sets add up to the host's {@link Counters counters}. A value; its sets
 * and chains by name are made on first use and kept, since an agent's
 * delta looks them up in the state it applied last as well as in the new one.
 */
public final class NftTable {
    private final String family;
    private final String name;
    private final List<NftSet> sets;
    private final List<NftChain> chains;
    private final List<Counters.Tally> tallies;
    private Map<String, NftSet> setsByName;
    private Map<String, NftChain> chainsByName;

    public NftTable(String family, String name, List<NftSet> sets, List<NftChain> chains, List<Counters.Tally> tallies) {
        this.family = family;
        this.name = name;
        this.sets = List.copyOf(sets);
        this.chains = List.copyOf(chains);
        this.tallies = List.copyOf(tallies);
    }

    public NftTable(String family, String name, List<NftSet> sets, List<NftChain> chains) {
        this(family, name, sets, chains, List.of());
    }

    public String family() {
        return family;
    }

    public String name() {
        return name;
    }

    public List<NftSet> sets() {
        return sets;
    }

    public List<NftChain> chains() {
        return chains;
    }

    /** How the elements of the table's counted sets count for the host's counters. */
    public List<Counters.Tally> tallies() {
        return tallies;
    }

    public String qualified() {
        return family + " " + name;
    }

    /** The table as the operations of a transaction address it. */
    public NftObject.Table id() {
        return new NftObject.Table(family, name);
    }

    /** The sets by name, in order (the same map on every call). */
    public Map<String, NftSet> setsByName() {
        if (setsByName == null) {
            setsByName = byName(sets, NftSet::name);
        }
        return setsByName;
    }

    /** The chains by name, in order (the same map on every call). */
    public Map<String, NftChain> chainsByName() {
        if (chainsByName == null) {
            chainsByName = byName(chains, NftChain::name);
        }
        return chainsByName;
    }

    private static <T> Map<String, T> byName(List<T> items, java.util.function.Function<T, String> name) {
        Map<String, T> m = new LinkedHashMap<>();
        for (T t : items) {
            m.put(name.apply(t), t);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NftTable t && family.equals(t.family) && name.equals(t.name) && sets.equals(t.sets)
                && chains.equals(t.chains) && tallies.equals(t.tallies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, name, sets, chains, tallies);
    }

    @Override
    public String toString() {
        return "NftTable[family=" + family + ", name=" + name + ", sets=" + sets + ", chains=" + chains + ", tallies=" + tallies + "]";
    }
}
