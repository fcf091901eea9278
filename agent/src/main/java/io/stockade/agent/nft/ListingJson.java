package io.stockade.agent.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.stockade.compiler.NftObject;

/** A {@link Listing} from {@code nft -j list table}: rules and elements summed up in the kernel's JSON form. */
final class ListingJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ListingJson() {}

    /** The {@code list} command of one chain, set or map. */
    static String command(NftObject object) {
        return switch (object) {
            case NftObject.Chain c -> "list chain " + c.table().family() + " " + c.table().name() + " " + c.name();
            case NftObject.Set s -> "list " + (s.isMap() ? "map " : "set ") + s.table().family() + " " + s.table().name() + " " + s.name();
            default -> throw new IllegalArgumentException("only a chain, set or map is listed alone, not " + object);
        };
    }

    /** The summary of the one chain, set or map a {@link #command} listed. */
    static Listing.Summary summary(NftObject object, String json) {
        Listing l = parse(json);
        Listing.Summary s = switch (object) {
            case NftObject.Chain c -> l.chains().get(c.name());
            case NftObject.Set set -> l.sets().get(set.name());
            default -> null;
        };
        if (s == null) {
            throw new Nftables.NftException("nft listed no " + object);
        }
        return s;
    }

    /**
     * Whether {@code table}'s head in a {@code list tables FAMILY} listing is flagged dormant;
     * empty when it is not listed. nft 1.0.6 writes freed memory in place of a table's flags (any
     * text, at times text that is not JSON): a flag not known here, or a listing that does not
     * parse while naming the table, counts as dormant. Stockade's tables carry no flag, so waking
     * one that was not asleep costs an {@code add table} that changes nothing.
     */
    static java.util.Optional<Boolean> dormant(String json, NftObject.Table table) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            return json.contains("\"name\": \"" + table.name() + "\"") ? java.util.Optional.of(true) : java.util.Optional.empty();
        }
        for (JsonNode item : root.path("nftables")) {
            JsonNode t = item.path("table");
            if (t.path("family").asText().equals(table.family()) && t.path("name").asText().equals(table.name())) {
                JsonNode flags = t.path("flags");
                List<String> names = new ArrayList<>();
                if (flags.isArray()) {
                    flags.forEach(f -> names.add(f.asText()));
                } else if (!flags.isMissingNode()) {
                    names.add(flags.asText());
                }
                return java.util.Optional.of(!java.util.Set.of("owner", "persist").containsAll(names));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * An element without its counter's values, which move with the traffic: a map's element is
     * {@code [key, value]}, a counted key {@code {"elem": {"val": KEY, "counter": {...}}}}.
     */
    private static JsonNode withoutCount(JsonNode e) {
        JsonNode key = e.isArray() ? e.path(0) : e;
        if (!(key.path("elem") instanceof ObjectNode elem) || !elem.has("counter")) {
            return e;
        }
        JsonNode copy = e.deepCopy();
        ((ObjectNode) (copy.isArray() ? copy.path(0) : copy).path("elem")).remove("counter");
        return copy;
    }

    static Listing parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new Nftables.NftException("nft listed a table that is not JSON: " + e.getMessage());
        }
        Map<String, String> heads = new LinkedHashMap<>();
        Map<String, List<String>> rules = new HashMap<>();
        Map<String, Listing.Summary> sets = new HashMap<>();
        java.util.Set<String> maps = new java.util.HashSet<>();
        for (JsonNode item : root.path("nftables")) {
            if (item.has("chain")) {
                JsonNode c = item.path("chain");
                heads.put(c.path("name").asText(), c.path("type").asText() + " " + c.path("hook").asText() + " " + c.path("prio").asText()
                        + " " + c.path("policy").asText());
            } else if (item.has("rule")) {
                JsonNode r = item.path("rule");
                rules.computeIfAbsent(r.path("chain").asText(), k -> new ArrayList<>()).add(r.path("expr").toString());
            } else if (item.has("set") || item.has("map")) {
                JsonNode s = item.has("set") ? item.path("set") : item.path("map");
                List<String> elements = new ArrayList<>();
                s.path("elem").forEach(e -> elements.add(withoutCount(e).toString()));
                String head = s.path("type").toString() + " " + s.path("map").toString() + " " + s.path("flags").toString();
                sets.put(s.path("name").asText(), Listing.Summary.unordered(head, elements));
                if (item.has("map")) {
                    maps.add(s.path("name").asText());
                }
            }
        }
        Map<String, Listing.Summary> chains = new HashMap<>();
        heads.forEach((name, head) -> chains.put(name, Listing.Summary.ordered(head, rules.getOrDefault(name, List.of()))));
        return new Listing(chains, sets, maps);
    }
}
