package io.stockade.agent.stats;

/** Packets and bytes of one counter. */
public record Count(long packets, long bytes) {
    public static final Count ZERO = new Count(0, 0);

    public Count plus(Count o) {
        return new Count(packets + o.packets, bytes + o.bytes);
    }

    /** This times {@code sign} (1 or -1): a count taken away is added negated. */
    public Count times(int sign) {
        return new Count(sign * packets, sign * bytes);
    }

    /** This, or zero where it is below (a sum with counts taken away may be, by packets counted between two reads). */
    public Count atLeastZero() {
        return new Count(Math.max(0, packets), Math.max(0, bytes));
    }

    /** This less {@code o}, never below zero (the two are read in one listing, but from two tables). */
    public Count minus(Count o) {
        return new Count(Math.max(0, packets - o.packets), Math.max(0, bytes - o.bytes));
    }
}
