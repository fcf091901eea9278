package io.stockade.compiler;

import java.util.List;

/**
 * The verdicts of one vnic's pass and drop rules, with their counters; when the vnic logs its
 * drops, a drop jumps to a small chain that logs (rate-limited) and drops, so only dropped
 * packets pay for logging and the rule lines every packet walks stay the same.
 */
final class DropRules {
    /**
     * Bytes of each logged packet copied to the agent: enough for IPv6 + TCP headers. Each line is
     * sent at once ({@code queue-threshold 1}) instead of batched for up to a second: at the limited
     * rate, batching saves nothing.
     */
    static final int SNAPLEN = 96;

    private final String vnicId;
    private final DropLog log;
    private final List<NftChain> chains;

    /** {@code log} null: no logging. Log chains are added to {@code chains}. */
    DropRules(String vnicId, DropLog log, List<NftChain> chains) {
        this.vnicId = vnicId;
        this.log = log;
        this.chains = chains;
    }

    String accept(String direction) {
        return count(Counters.pass(vnicId, direction)) + " accept";
    }

    String drop(String direction, Counters.Reason reason) {
        return drop(Counters.drop(vnicId, direction, reason));
    }

    /** A drop counted by {@code c}, one of this vnic's counters. */
    String drop(Counters.Counter c) {
        if (log == null) {
            return count(c) + " drop";
        }
        String direction = c.direction();
        Counters.Reason reason = c.reason();
        String chain = NftNames.of("log", vnicId, Counters.dir(direction), reason.wire());
        if (chains.stream().noneMatch(ch -> ch.name().equals(chain))) {
            chains.add(new NftChain(chain, null, List.of(
                    "limit rate " + log.ratePerSecond() + "/second burst " + log.burst() + " packets log group " + log.group() + " snaplen " + SNAPLEN + " queue-threshold 1"
                            + " prefix \"" + Counters.logPrefix(vnicId, direction, reason) + "\"",
                    "drop")));
        }
        return count(c) + " goto " + chain;
    }

    private static String count(Counters.Counter c) {
        return "counter name " + c.name();
    }
}
