package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Neutron list request: filters on any attribute (a repeated parameter is any of its values),
 * {@code sort_key}/{@code sort_dir}, pagination by {@code limit}, {@code marker} and
 * {@code page_reverse} with {@code <collection>_links}, and {@code fields} to keep only some
 * attributes. Applied to the rendered items, so every attribute filters and sorts as shown; a
 * parameter that names no attribute is a 400, as with Neutron's filter validation.
 */
record NeutronQuery(Map<String, List<String>> params, String url, Set<String> attributes) {
    private static final Set<String> CONTROL = Set.of("fields", "limit", "marker", "page_reverse", "sort_key", "sort_dir", "tags", "tags-any",
            "not-tags", "not-tags-any");

    /** The client's names of attributes it asks for in {@code fields} (openstacksdk's {@code security_group_ids} is {@code security_groups}). */
    private static final Map<String, String> ALIASES = Map.of("security_group_ids", "security_groups");

    ObjectNode collection(ObjectMapper mapper, String collection, String notFoundType, List<ObjectNode> visible) {
        for (String k : params.keySet()) {
            if (!CONTROL.contains(k) && !attributes.contains(k)) {
                throw NeutronErrors.badRequest("[" + k + "] is invalid attribute for filtering");
            }
        }
        List<ObjectNode> items = new ArrayList<>(visible.stream().filter(this::matches).toList());
        Comparator<JsonNode> order = order();
        items.sort(order);
        int limit = limit();
        boolean reverse = params.containsKey("page_reverse") && "true".equalsIgnoreCase(first("page_reverse"));
        String marker = first("marker");
        if (marker != null) {
            ObjectNode at = visible.stream().filter(i -> i.path("id").asText().equals(marker)).findFirst()
                    .orElseThrow(() -> NeutronErrors.notFound(notFoundType, "marker " + marker + " could not be found"));
            items = new ArrayList<>(items.stream().filter(i -> reverse ? order.compare(i, at) < 0 : order.compare(i, at) > 0).toList());
        }
        if (limit > 0 && items.size() > limit) {
            items = reverse ? items.subList(items.size() - limit, items.size()) : items.subList(0, limit);
        }
        ObjectNode doc = mapper.createObjectNode();
        ArrayNode out = doc.putArray(collection);
        List<String> fields = params.getOrDefault("fields", List.of()).stream().filter(f -> !f.isBlank())
                .map(f -> ALIASES.getOrDefault(f, f)).toList();
        for (ObjectNode i : items) {
            out.add(fields.isEmpty() ? i : i.deepCopy().retain(fields));
        }
        if (limit > 0) {
            ArrayNode links = doc.putArray(collection + "_links");
            if (!(items.size() < limit && !reverse)) {
                links.addObject().put("rel", "next").put("href", link(items.isEmpty() ? null : items.get(items.size() - 1).path("id").asText(), false));
            }
            if (!(items.size() < limit && reverse)) {
                links.addObject().put("rel", "previous").put("href", link(items.isEmpty() ? null : items.get(0).path("id").asText(), true));
            }
        }
        return doc;
    }

    private boolean matches(ObjectNode item) {
        List<String> tags = new ArrayList<>();
        item.path("tags").forEach(t -> tags.add(t.asText()));
        if (!tagsMatch(tags)) {
            return false;
        }
        for (Map.Entry<String, List<String>> f : params.entrySet()) {
            if (CONTROL.contains(f.getKey())) {
                continue;
            }
            JsonNode v = item.path(f.getKey());
            if (f.getValue().stream().noneMatch(want -> equal(v, want))) {
                return false;
            }
        }
        return true;
    }

    /** {@code tags}: all of these; {@code tags-any}: one of these; {@code not-tags}: not all of these; {@code not-tags-any}: none of these. */
    private boolean tagsMatch(List<String> tags) {
        for (String filter : List.of("tags", "tags-any", "not-tags", "not-tags-any")) {
            for (String value : params.getOrDefault(filter, List.of())) {
                List<String> wanted = List.of(value.split(","));
                boolean all = tags.containsAll(wanted);
                boolean any = wanted.stream().anyMatch(tags::contains);
                boolean ok = switch (filter) {
                    case "tags" -> all;
                    case "tags-any" -> any;
                    case "not-tags" -> !all;
                    default -> !any;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean equal(JsonNode v, String want) {
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (equal(e, want)) {
                    return true;
                }
            }
            return false;
        }
        if (v.isObject()) {
            // fixed_ips=ip_address=192.0.2.10: one attribute of an object in a list.
            int eq = want.indexOf('=');
            return eq > 0 && v.path(want.substring(0, eq)).asText().equals(want.substring(eq + 1));
        }
        if (v.isNull() || v.isMissingNode()) {
            return want.isEmpty() || want.equalsIgnoreCase("none") || want.equalsIgnoreCase("null");
        }
        return v.isBoolean() ? v.asText().equalsIgnoreCase(want) : v.asText().equals(want);
    }

    /** The requested sort keys and directions, then the id, so that markers have a total order. */
    private Comparator<JsonNode> order() {
        List<String> keys = params.getOrDefault("sort_key", List.of());
        List<String> dirs = params.getOrDefault("sort_dir", List.of());
        if (!dirs.isEmpty() && dirs.size() != keys.size()) {
            throw NeutronErrors.badRequest("The number of sort_keys and sort_dirs must be same");
        }
        Comparator<JsonNode> c = (a, b) -> 0;
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (!attributes.contains(key)) {
                throw NeutronErrors.badRequest("[" + key + "] is invalid attribute for sort_keys");
            }
            String dir = dirs.isEmpty() ? "asc" : dirs.get(i).toLowerCase(Locale.ROOT);
            if (!dir.equals("asc") && !dir.equals("desc")) {
                throw NeutronErrors.badRequest("sort_dir must be 'asc' or 'desc', not '" + dirs.get(i) + "'");
            }
            Comparator<JsonNode> one = Comparator.comparing((JsonNode n) -> n.path(key), NeutronQuery::compareValues);
            c = c.thenComparing(dir.equals("asc") ? one : one.reversed());
        }
        return c.thenComparing(n -> n.path("id").asText());
    }

    private static int compareValues(JsonNode a, JsonNode b) {
        if (a.isNull() || b.isNull()) {
            return Boolean.compare(!a.isNull(), !b.isNull());
        }
        if (a.isNumber() && b.isNumber()) {
            return Long.compare(a.asLong(), b.asLong());
        }
        return a.asText().compareTo(b.asText());
    }

    private int limit() {
        String l = first("limit");
        if (l == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(l);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw NeutronErrors.badRequest("Limit must be an integer 0 or greater and not '" + l + "'");
    }

    private String first(String k) {
        List<String> v = params.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The same request for the page after (or before) the given item. */
    private String link(String markerId, boolean previous) {
        Map<String, List<String>> p = new LinkedHashMap<>(params);
        p.remove("marker");
        p.remove("page_reverse");
        if (markerId != null) {
            p.put("marker", List.of(markerId));
        }
        if (previous) {
            p.put("page_reverse", List.of("True"));
        }
        StringBuilder q = new StringBuilder();
        p.forEach((k, vs) -> vs.forEach(v -> q.append(q.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return url + "?" + q;
    }
}
