package io.stockade.compiler;

import java.util.List;

/**
 * The named nftables counters of a host: per vnic and direction, the packets that passed its L2
 * checks and those dropped by reason. Named counters are objects, so they survive the chain
 * rewrites of a delta; each sits on a verdict rule that exists anyway, so counting adds no rule
 * line to the path of a packet. Packets accepted in a direction are its {@code pass} count less
 * the drops judged later, in the inet table ({@code no-rule}, {@code invalid}, and isolation of
 * fast-path flows).
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
     * One named counter: its table family and name, the vnic it counts (null for the host's
     * unknown ports), direction ({@code egress}: sent by the vnic, {@code ingress}: to it), and
     * the drop reason, or null for the pass count.
     */
    public record Counter(String family, String name, String vnicId, String direction, Reason reason) {}

    /** Frames of bridge ports that are neither a vnic's tap nor an uplink. */
    public static final Counter UNKNOWN_PORT = new Counter("bridge", "unknown_port", null, null, Reason.UNKNOWN_PORT);

    public static final String EGRESS = "egress";
    public static final String INGRESS = "ingress";

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

    static String dir(String direction) {
        return direction.equals(EGRESS) ? "eg" : "in";
    }

    /** The nflog prefix of a vnic's drops: {@code stockade VNIC DIRECTION REASON}. */
    public static String logPrefix(String vnicId, String direction, Reason reason) {
        return "stockade " + vnicId + " " + direction + " " + reason.wire();
    }
}
