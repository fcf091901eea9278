package io.stockade.agent.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of a counted set's or map's elements in an {@code nft -j list set} (or {@code map})
 * listing, by key: each field of the key as nft lists it (an interface name, a MAC or an address
 * as text, a mark as a decimal number, {@code *} for the catch-all element).
 */
public final class ElementCounts {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ElementCounts() {}

    /** The elements' counts; an element without a counter is left out. */
    public static Map<List<String>, Count> parse(String json) {
        Map<List<String>, Count> out = new HashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("nft listed a set that is not JSON: " + e.getMessage());
        }
        for (JsonNode item : root.path("nftables")) {
            JsonNode set = item.has("set") ? item.path("set") : item.path("map");
            for (JsonNode e : set.path("elem")) {
                // A map's element is [key, value]; a counted key is {"elem": {"val": KEY, "counter": {...}}}.
                JsonNode elem = (e.isArray() ? e.path(0) : e).path("elem");
                JsonNode counter = elem.path("counter");
                if (counter.isObject()) {
                    out.put(fields(elem.path("val")), new Count(counter.path("packets").asLong(), counter.path("bytes").asLong()));
                }
            }
        }
        return out;
    }

    private static List<String> fields(JsonNode val) {
        List<String> key = new ArrayList<>();
        if (val.has("concat")) {
            val.path("concat").forEach(f -> key.add(f.asText()));
        } else {
            key.add(val.asText());
        }
        return List.copyOf(key);
    }
}
