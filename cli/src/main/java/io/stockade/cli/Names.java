package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of objects the server shows by id (a group's project, a vnic's host and groups…),
 * fetched once per kind when a table needs them. In the wide table an object is "name (id)".
 */
final class Names {
    static final Names NONE = new Names(null, true);

    private final Api api;
    private final boolean withIds;
    private final Map<String, Map<String, String>> byKind = new HashMap<>();

    Names(Api api, boolean withIds) {
        this.api = api;
        this.withIds = withIds;
    }

    /** An id (or an array of ids) of objects of a kind ({@code projects}, {@code hosts}, {@code security-groups}…) as people read it. */
    String show(String kind, JsonNode ids) {
        if (ids.isArray()) {
            List<String> parts = new ArrayList<>();
            ids.forEach(i -> parts.add(show(kind, i.asText())));
            return String.join(",", parts);
        }
        return ids.isMissingNode() || ids.isNull() ? "" : show(kind, ids.asText());
    }

    String show(String kind, String id) {
        String name = name(kind, id);
        if (name == null || name.equals(id)) {
            return id;
        }
        return withIds ? name + " (" + id + ")" : name;
    }

    /**
     * Rule text with its groups and ip sets named ({@code sg-dbclnts} for the group named dbclnts)
     * where the name is unambiguous, so the text still parses to the same rule.
     */
    String ruleText(String text) {
        return REFERENCE.matcher(text).replaceAll(m -> {
            String prefix = m.group(1);
            String kind = prefix.equals("sg-") ? "security-groups" : "ip-sets";
            String id = m.group();
            String name = name(kind, id);
            if (name == null || withIds || id.equals(prefix + name)) {
                return java.util.regex.Matcher.quoteReplacement(id);
            }
            Map<String, String> all = byKind.get(kind);
            boolean unique = all.values().stream().filter(name::equals).count() == 1 && !all.containsKey(prefix + name);
            return java.util.regex.Matcher.quoteReplacement(unique ? prefix + name : id);
        });
    }

    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile("(?<![\\w-])(sg-|ips-)[A-Za-z0-9_.-]+");

    /** The name of an object, or null when it has none or the caller may not list its kind. */
    String name(String kind, String id) {
        if (api == null || id.isEmpty()) {
            return null;
        }
        return byKind.computeIfAbsent(kind, this::load).get(id);
    }

    private Map<String, String> load(String kind) {
        Map<String, String> names = new HashMap<>();
        try {
            for (JsonNode o : api.get("v1/" + kind + "?limit=1000").path("items")) {
                if (!o.path("name").asText("").isEmpty()) {
                    names.put(o.path("id").asText(), o.path("name").asText());
                }
            }
        } catch (Api.Error e) {
            return Map.of();
        }
        return names;
    }
}
