package io.stockade.compiler;

import java.util.List;

/**
 * What one host's kernel should hold: Stockade's tables, as plain values. The compiler makes it,
 * {@link Render} turns it (or the change between two of them) into nft commands; nothing here
 * touches the kernel.
 */
public record HostState(String hostId, long revision, List<NftTable> tables) {
    public HostState {
        tables = List.copyOf(tables);
    }

    public NftTable table(String family) {
        return tables.stream().filter(t -> t.family().equals(family)).findFirst().orElseThrow();
    }

    /** The total number of set and map elements: what grows with rules and members. */
    public int elementCount() {
        return tables.stream().flatMap(t -> t.sets().stream()).mapToInt(s -> s.elements().size()).sum();
    }

    /** The total number of rule lines: what a packet may walk; it must not grow with rules. */
    public int ruleLineCount() {
        return tables.stream().flatMap(t -> t.chains().stream()).mapToInt(c -> c.rules().size()).sum();
    }
}
