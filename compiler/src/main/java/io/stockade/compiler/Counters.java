package io.stockade.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * What a host counts per vnic and direction: the packets that passed its L2 checks and those
 * dropped by reason. The kernel counts on elements of counted sets and maps (their {@code counter}
 * flag), never on named counter objects, which libnftables would read back before every
 * transaction: the fast path's elements count the frames they accept, the port dispatch maps'
 * elements the frames that enter a vnic's chains, and each drop counts on the vnic's element of
 * a small drop set. Every element sits on a lookup a packet makes anyway, or
 * on a drop. {@link Tally} says how the elements' counts add up to a vnic's counters. Packets
 * accepted in a direction are its {@code pass} count less the drops judged later, in the inet
 * table ({@code no-rule}, {@code invalid}, and isolation of fast-path flows).
 */
public final class Counters {
    /** Why a packet was dropped, as the API, the metrics and the drop log name it. */
    public enum Reason {
        SPOOFING("spoofing"), ISOLATION("isolation"), INVALID("invalid"), NO_RULE("no-rule"), UNKNOWN_PORT("unknown-port");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Reason parse(String s) {
            for (Reason r : values()) {
                if (r.wire.equals(s)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown drop reason '" + s + "'");
        }
    }

    /**
     * One counter of a host: the table family that counts it, its name (how the agent and its
     * tests address it), the vnic it counts (null for the host's unknown ports), direction
     * ({@code egress}: sent by the vnic, {@code ingress}: to it), and the drop reason, or null for
     * the pass count.
     */
    public record Counter(String family, String name, String vnicId, String direction, Reason reason) {}

    /**
     * How one element's count goes into a counter: the elements of {@code set} in the table of
     * the counter's family whose key starts with {@code key} (in its {@link #field listed form})
     * add their count to {@code counter} ({@code sign} 1), or take it away ({@code sign} -1: a
     * drop of a vnic's chain is counted where the frame entered the chain as well).
     */
    public record Tally(String set, String key, Counter counter, int sign) {}

    /** Frames of bridge ports that are neither a vnic's tap nor an uplink: the port dispatch map's catch-all element. */
    public static final Counter UNKNOWN_PORT = new Counter("bridge", "unknown_port", null, null, Reason.UNKNOWN_PORT);

    /** The key of a map's catch-all element. */
    public static final String CATCH_ALL = "*";

    public static final String EGRESS = "egress";
    public static final String INGRESS = "ingress";

    /** The bridge's fast paths, by version and direction: sets of port, MAC and address, counted. */
    static final String PASS_SRC4 = "pass_src4";
    static final String PASS_SRC6 = "pass_src6";
    static final String PASS_DST4 = "pass_dst4";
    static final String PASS_DST6 = "pass_dst6";
    /** The bridge's port dispatch maps: port to the vnic's chain, counted. */
    static final String SRC_PORT = "src_port";
    static final String DST_PORT = "dst_port";

    private Counters() {}

    /** The counters of one vnic (those of a passthrough or isolation-only vnic stay at zero where it has no such check). */
    public static List<Counter> of(String vnicId) {
        return List.of(pass(vnicId, EGRESS), drop(vnicId, EGRESS, Reason.SPOOFING), drop(vnicId, EGRESS, Reason.INVALID), drop(vnicId, EGRESS, Reason.NO_RULE),
                pass(vnicId, INGRESS), drop(vnicId, INGRESS, Reason.ISOLATION), flowIsolation(vnicId), drop(vnicId, INGRESS, Reason.INVALID),
                drop(vnicId, INGRESS, Reason.NO_RULE));
    }

    /** The drop reasons counted per vnic in one direction, in the order of {@link #of}. */
    public static List<Reason> reasons(String direction) {
        return of("vnic").stream().filter(c -> c.direction().equals(direction) && c.reason() != null).map(Counter::reason).distinct().toList();
    }

    /**
     * Isolation drops judged in the inet table: new IP flows to the vnic that the bridge's fast
     * path passed without the isolation check its per-port chain makes for every other frame.
     */
    static Counter flowIsolation(String vnicId) {
        return new Counter("inet", NftNames.of("n", vnicId, "in", "isolation", "ip"), vnicId, INGRESS, Reason.ISOLATION);
    }

    static Counter pass(String vnicId, String direction) {
        return new Counter("bridge", NftNames.of("n", vnicId, dir(direction), "pass"), vnicId, direction, null);
    }

    static Counter drop(String vnicId, String direction, Reason reason) {
        String family = reason == Reason.NO_RULE || reason == Reason.INVALID ? "inet" : "bridge";
        return new Counter(family, NftNames.of("n", vnicId, dir(direction), reason.wire()), vnicId, direction, reason);
    }

    /**
     * The drop set that counts a counter's drops: {@code drop_spoofing} and {@code drop_isolation}
     * in the bridge (by port), {@code drop_eg_no_rule} (by MAC) and {@code drop_in_no_rule} (by
     * mark) in the inet table.
     */
    static String dropSet(Counter c) {
        return dropSet(c.family(), c.direction(), c.reason());
    }

    static String dropSet(String family, String direction, Reason reason) {
        return family.equals("bridge") ? NftNames.of("drop", reason.wire()) : NftNames.of("drop", dir(direction), reason.wire());
    }

    /**
     * How the bridge's elements count a vnic with port {@code port}: the fast paths' and the port
     * dispatch's elements count passes, and the drop sets' elements count drops, which entered
     * by the dispatch and so leave the pass count. {@code dispatched}: whether the vnic's port is
     * in the source dispatch map (an uplink's is not).
     */
    static List<Tally> bridge(String vnicId, String port, boolean dispatched) {
        String key = field(port);
        List<Tally> out = new ArrayList<>();
        Counter eg = pass(vnicId, EGRESS);
        Counter in = pass(vnicId, INGRESS);
        out.add(new Tally(PASS_SRC4, key, eg, 1));
        out.add(new Tally(PASS_SRC6, key, eg, 1));
        if (dispatched) {
            out.add(new Tally(SRC_PORT, key, eg, 1));
        }
        Counter spoofing = drop(vnicId, EGRESS, Reason.SPOOFING);
        out.add(new Tally(dropSet(spoofing), key, spoofing, 1));
        out.add(new Tally(dropSet(spoofing), key, eg, -1));
        out.add(new Tally(PASS_DST4, key, in, 1));
        out.add(new Tally(PASS_DST6, key, in, 1));
        out.add(new Tally(DST_PORT, key, in, 1));
        Counter isolation = drop(vnicId, INGRESS, Reason.ISOLATION);
        out.add(new Tally(dropSet(isolation), key, isolation, 1));
        out.add(new Tally(dropSet(isolation), key, in, -1));
        return out;
    }

    /** How the inet table's drop sets count a vnic: egress drops by its MAC, ingress drops by its destination mark. */
    static List<Tally> inet(String vnicId, String mac, long mark) {
        String byMac = field(mac);
        String byMark = field(Marks.hex(mark));
        List<Tally> out = new ArrayList<>();
        for (Reason r : List.of(Reason.INVALID, Reason.NO_RULE)) {
            Counter c = drop(vnicId, EGRESS, r);
            out.add(new Tally(dropSet(c), byMac, c, 1));
        }
        for (Counter c : List.of(flowIsolation(vnicId), drop(vnicId, INGRESS, Reason.INVALID), drop(vnicId, INGRESS, Reason.NO_RULE))) {
            out.add(new Tally(dropSet(c), byMark, c, 1));
        }
        return out;
    }

    /**
     * One field of an element's key as {@code nft -j} lists it: an interface name without its
     * quotes, a mark (or any hex number) in decimal, anything else (a MAC, an address, the
     * catch-all {@code *}) as it is.
     */
    public static String field(String literal) {
        if (literal.length() >= 2 && literal.startsWith("\"") && literal.endsWith("\"")) {
            return literal.substring(1, literal.length() - 1);
        }
        if (literal.startsWith("0x")) {
            return Long.toString(Long.parseLong(literal.substring(2), 16));
        }
        return literal;
    }

    static String dir(String direction) {
        return direction.equals(EGRESS) ? "eg" : "in";
    }

    /** The nflog prefix of a vnic's drops: {@code stockade VNIC DIRECTION REASON}. */
    public static String logPrefix(String vnicId, String direction, Reason reason) {
        return "stockade " + vnicId + " " + direction + " " + reason.wire();
    }
}
