package io.stockade.agent.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The named counters in an {@code nft -j} listing, by name. */
public final class CounterJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CounterJson() {}

    public static Map<String, Count> parse(String json) {
        Map<String, Count> out = new HashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            return out;
        }
        for (JsonNode item : root.path("nftables")) {
            JsonNode c = item.path("counter");
            if (c.isObject() && c.has("name")) {
                out.put(c.path("name").asText(), new Count(c.path("packets").asLong(), c.path("bytes").asLong()));
            }
        }
        return out;
    }
}
