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

    /** Counts on the vnic's pass counter of the direction and accepts; a caller puts its matches {@link NftRule#after ahead}. */
    NftRule accept(String direction) {
        return NftRule.of(Verdict.ACCEPT, count(Counters.pass(vnicId, direction)));
    }

    NftRule drop(String direction, Counters.Reason reason) {
        return drop(Counters.drop(vnicId, direction, reason));
    }

    /** A drop counted by {@code c}, one of this vnic's counters. */
    NftRule drop(Counters.Counter c) {
        if (log == null) {
            return NftRule.of(Verdict.DROP, count(c));
        }
        String direction = c.direction();
        Counters.Reason reason = c.reason();
        String chain = NftNames.of("log", vnicId, Counters.dir(direction), reason.wire());
        if (chains.stream().noneMatch(ch -> ch.name().equals(chain))) {
            chains.add(new NftChain(chain, null, List.of(
                    NftRule.of(Verdict.CONTINUE, new NftRule.Limit(log.ratePerSecond(), log.burst()),
                            new NftRule.Log(log.group(), SNAPLEN, 1, Counters.logPrefix(vnicId, direction, reason))),
                    NftRule.of(Verdict.DROP))));
        }
        return NftRule.of(new Verdict.Goto(chain), count(c));
    }

    private static NftRule.Count count(Counters.Counter c) {
        return new NftRule.Count(c.name());
    }
}
