package io.stockade.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.agent.nft.Nftables;
import io.stockade.agent.stats.Count;
import io.stockade.agent.stats.CounterJson;
import io.stockade.compiler.CompileCache;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.DropLog;
import io.stockade.compiler.HostState;
import io.stockade.compiler.NftChain;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.NftTable;
import io.stockade.compiler.Render;
import io.stockade.compiler.Widening;
import io.stockade.core.model.World;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The agent's kernel side: compiles slices and applies them (or their deltas) through nftables. */
public final class NftDataplane implements Dataplane {
    private final Nftables nft;
    private final String hostId;
    private final List<String> uplinks;
    private final DropLog dropLog;
    private final ObjectMapper mapper = new ObjectMapper();
    /** What earlier compiles made, so a change recompiles only what it touches. */
    private final CompileCache cache = new CompileCache();
    /** Counts of named counters before the last full rebuilds (a rebuild recreates them at zero). */
    private final Map<String, Count> base = new HashMap<>();
    private volatile HostState applied;

    /** {@code host} is the host's id or name; a slice holds the host itself, which gives its id. */
    public NftDataplane(Nftables nft, String host, List<String> uplinks) {
        this(nft, host, uplinks, DropLog.DEFAULTS);
    }

    public NftDataplane(Nftables nft, String host, List<String> uplinks, DropLog dropLog) {
        this.nft = nft;
        this.hostId = host;
        this.uplinks = List.copyOf(uplinks);
        this.dropLog = dropLog;
    }

    public HostState applied() {
        return applied;
    }

    @Override
    public void ensureFailClosed() {
        if (nft.listJson("bridge", Compiler.TABLE) == null) {
            nft.apply(Render.full(Compiler.failClosed(hostId, uplinks)));
        }
    }

    private String hostIn(World slice) {
        return slice.hosts().values().stream().filter(h -> h.id().equals(hostId) || h.name().equals(hostId))
                .map(io.stockade.core.model.Host::id).findFirst().orElse(hostId);
    }

    @Override
    public void applyFull(World slice) {
        HostState s = compile(slice);
        rebuild(Render.full(s));
        applied = s;
    }

    /** Applies a full script, keeping the counts the rebuild resets. */
    private void rebuild(String script) {
        synchronized (base) {
            Map<String, Count> before = kernelCounters();
            nft.apply(script);
            before.forEach((name, n) -> base.merge(name, n, Count::plus));
        }
    }

    /**
     * The host's named counters (see {@link io.stockade.compiler.Counters}), carried across full
     * rebuilds so they only grow while a counter exists; a counter of a removed vnic starts again at zero.
     */
    public Map<String, Count> counters() {
        synchronized (base) {
            Map<String, Count> now = kernelCounters();
            if (!now.isEmpty()) {
                base.keySet().retainAll(now.keySet());
            }
            Map<String, Count> out = new HashMap<>(now);
            base.forEach((name, n) -> out.merge(name, n, Count::plus));
            return out;
        }
    }

    private Map<String, Count> kernelCounters() {
        Map<String, Count> m = new HashMap<>();
        for (String family : List.of("bridge", "inet")) {
            m.putAll(CounterJson.parse(nft.listCountersJson(family, Compiler.TABLE)));
        }
        return m;
    }

    @Override
    public boolean applyChange(World from, World to) {
        HostState prev = applied != null ? applied : compile(from);
        HostState next = compile(to);
        Optional<String> delta = Render.delta(prev, next);
        if (delta.isPresent()) {
            nft.apply(delta.get());
        } else {
            rebuild(Render.full(next));
        }
        applied = next;
        return delta.isEmpty() || !Widening.onlyWidens(prev, next);
    }

    private HostState compile(World slice) {
        HostState s = Compiler.compile(slice, hostIn(slice), dropLog, cache);
        cache.retain(slice);
        return s;
    }

    /** Drift: a table gone, or a chain or set whose rule or element count differs from what was applied. */
    @Override
    public boolean drifted(World slice) {
        HostState expected = applied != null ? applied : compile(slice);
        for (NftTable t : expected.tables()) {
            String json = nft.listJson(t.family(), t.name());
            if (json == null || !matches(t, json)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(NftTable t, String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            return false;
        }
        java.util.Map<String, Integer> rules = new java.util.HashMap<>();
        java.util.Map<String, Integer> chains = new java.util.HashMap<>();
        java.util.Map<String, Integer> elements = new java.util.HashMap<>();
        for (JsonNode item : root.path("nftables")) {
            if (item.has("chain")) {
                chains.put(item.path("chain").path("name").asText(), 0);
            } else if (item.has("rule")) {
                rules.merge(item.path("rule").path("chain").asText(), 1, Integer::sum);
            } else if (item.has("set") || item.has("map")) {
                JsonNode s = item.has("set") ? item.path("set") : item.path("map");
                elements.put(s.path("name").asText(), s.path("elem").size());
            }
        }
        for (NftChain c : t.chains()) {
            if (!chains.containsKey(c.name()) || rules.getOrDefault(c.name(), 0) != c.rules().size()) {
                return false;
            }
        }
        for (NftSet s : t.sets()) {
            if (!elements.containsKey(s.name())) {
                return false;
            }
        }
        return chains.size() == t.chains().size() && elements.size() == t.sets().size();
    }
}
