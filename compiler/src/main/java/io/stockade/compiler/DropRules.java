package io.stockade.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drops of a table's vnics, each counted on its vnic's element of a drop set: a rule that
 * drops first counts the packet there ({@code update @drop_spoofing { iifname }}, which adds the
 * element should it be missing, so a drop never depends on it), then drops, or, when the vnic
 * logs its drops, goes to a small chain that logs (rate-limited) and drops. Only dropped packets
 * pay for counting and logging. A drop set is a set, not a verdict map: the kernel checks every
 * element of a verdict map again for each rule that looks it up, whenever a chain changes.
 */
final class DropRules {
    /**
     * Bytes of each logged packet copied to the agent: enough for IPv6 + TCP headers. Each line is
     * sent at once ({@code queue-threshold 1}) instead of batched for up to a second: at the limited
     * rate, batching saves nothing.
     */
    static final int SNAPLEN = 96;

    private final DropLog log;
    private final Map<String, NftSet.Type> types = new LinkedHashMap<>();
    private final Map<String, List<NftElement>> elements = new LinkedHashMap<>();
    private final List<NftChain> logChains = new ArrayList<>();

    /** A table's drop sets, declared with {@link #set}; {@code log}: how vnics that log do it. */
    DropRules(DropLog log) {
        this.log = log;
    }

    /** Declares the drop set {@code name}, keyed by {@code keyType}. */
    DropRules set(String name, String keyType) {
        types.put(name, NftSet.Type.of(keyType));
        elements.put(name, new ArrayList<>());
        return this;
    }

    /**
     * The rule that counts what matched on the element {@code key} (a packet expression: the
     * vnic's port, MAC or mark) finds in the drop set of {@code c}, and drops it; when {@code logs},
     * through the vnic's log chain of the reason, made here.
     */
    NftRule drop(Counters.Counter c, String key, boolean logs) {
        NftRule.Update count = new NftRule.Update(Counters.dropSet(c), key);
        return logs ? NftRule.of(logChain(c), count) : NftRule.of(Verdict.DROP, count);
    }

    /** Adds the element of {@code c}'s vnic to its drop set: {@code keyLiteral}, the vnic's port, MAC or mark in nft syntax. */
    void add(Counters.Counter c, String keyLiteral) {
        List<NftElement> into = elements.get(Counters.dropSet(c));
        if (into == null) {
            throw new IllegalArgumentException("no drop set " + Counters.dropSet(c) + " declared for " + c.name());
        }
        into.add(NftElement.of(keyLiteral));
    }

    private Verdict logChain(Counters.Counter c) {
        String chain = NftNames.of("log", c.vnicId(), Counters.dir(c.direction()), c.reason().wire());
        if (logChains.stream().noneMatch(ch -> ch.name().equals(chain))) {
            logChains.add(new NftChain(chain, null, List.of(
                    NftRule.of(Verdict.CONTINUE, new NftRule.Limit(log.ratePerSecond(), log.burst()),
                            new NftRule.Log(log.group(), SNAPLEN, 1, Counters.logPrefix(c.vnicId(), c.direction(), c.reason()))),
                    NftRule.of(Verdict.DROP))));
        }
        return new Verdict.Goto(chain);
    }

    /** The log chains of the vnics that log. */
    List<NftChain> logChains() {
        return logChains;
    }

    /** The drop sets, counted and dynamic; equal element lists are the last compile's objects. */
    List<NftSet> sets(CompileCache cache) {
        List<NftSet> out = new ArrayList<>();
        types.forEach((name, type) -> {
            List<NftElement> e = elements.get(name);
            out.add(new NftSet(name, type, false, true, true, cache.made("set " + name, e, () -> e)));
        });
        return out;
    }
}
