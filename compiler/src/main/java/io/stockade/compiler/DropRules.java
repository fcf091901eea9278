package io.stockade.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drops of a table's vnics, each counted on its vnic's element of a drop map: a rule drops by
 * a lookup ({@code iifname vmap @drop_spoofing}) whose element for the vnic says {@code drop},
 * or, when the vnic logs its drops, {@code goto} a small chain that logs (rate-limited) and
 * drops. Only dropped packets pay for the lookup and the logging; a rule's text is the same
 * whether its vnic logs or not.
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

    /** A table's drop maps, declared with {@link #map}; {@code log}: how vnics that log do it. */
    DropRules(DropLog log) {
        this.log = log;
    }

    /** Declares the drop map {@code name}, keyed by {@code keyType}. */
    DropRules map(String name, String keyType) {
        types.put(name, NftSet.Type.of(keyType).to("verdict"));
        elements.put(name, new ArrayList<>());
        return this;
    }

    /** The rule that drops what {@code key} (a packet expression) finds in the drop map of {@code c}. */
    static NftRule drop(Counters.Counter c, String key) {
        return NftRule.of(new Verdict.Vmap(key, Counters.dropMap(c)));
    }

    /**
     * Adds the element of {@code c}'s vnic to its drop map: {@code keyLiteral} (the vnic's port,
     * MAC or mark in nft syntax) to {@code drop}, or to its log chain when {@code logs}.
     */
    void add(Counters.Counter c, String keyLiteral, boolean logs) {
        List<NftElement> into = elements.get(Counters.dropMap(c));
        if (into == null) {
            throw new IllegalArgumentException("no drop map " + Counters.dropMap(c) + " declared for " + c.name());
        }
        into.add(NftElement.of(keyLiteral).to(logs ? logChain(c) : Verdict.DROP));
    }

    private Verdict logChain(Counters.Counter c) {
        String chain = NftNames.of("log", c.vnicId(), Counters.dir(c.direction()), c.reason().wire());
        logChains.add(new NftChain(chain, null, List.of(
                NftRule.of(Verdict.CONTINUE, new NftRule.Limit(log.ratePerSecond(), log.burst()),
                        new NftRule.Log(log.group(), SNAPLEN, 1, Counters.logPrefix(c.vnicId(), c.direction(), c.reason()))),
                NftRule.of(Verdict.DROP))));
        return new Verdict.Goto(chain);
    }

    /** The log chains of the vnics that log. */
    List<NftChain> logChains() {
        return logChains;
    }

    /**
     * The drop maps, counted; equal element lists are the last compile's objects. Each ends in a
     * catch-all element that drops: a rule that drops still drops when its vnic's element is
     * missing (say, deleted by hand until the agent puts it back).
     */
    List<NftSet> maps(CompileCache cache) {
        List<NftSet> out = new ArrayList<>();
        types.forEach((name, type) -> {
            List<NftElement> e = elements.get(name);
            e.add(CATCH_ALL);
            out.add(new NftSet(name, type, false, true, cache.made("map " + name, e, () -> e)));
        });
        return out;
    }

    private static final NftElement CATCH_ALL = NftElement.of(Counters.CATCH_ALL).to(Verdict.DROP);
}
