package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** A JSON request body read field by field: unknown fields and wrong types are 400s naming the field. */
public final class Body {
    private final JsonNode node;
    private final String prefix;

    private Body(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    public static Body parse(ObjectMapper mapper, String text, Set<String> allowed) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest(null, "the request needs a JSON object as its body");
        }
        JsonNode n;
        try {
            // Anything after the object is an error, not ignored.
            n = mapper.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (IOException e) {
            throw ApiException.badRequest(null, "malformed JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        Body b = of(n, "", allowed);
        InputLimits.check(n, "");
        return b;
    }

    public static Body of(JsonNode n, String prefix, Set<String> allowed) {
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest(prefix.isEmpty() ? null : prefix, "expected a JSON object");
        }
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!allowed.contains(f)) {
                throw ApiException.badRequest(prefix + f, "unknown field '" + f + "' (expected one of " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
        return new Body(n, prefix);
    }

    public JsonNode node() {
        return node;
    }

    public boolean has(String f) {
        return node.has(f) && !node.get(f).isNull();
    }

    public String string(String f, boolean required) {
        JsonNode v = node.get(f);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest(prefix + f, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(prefix + f, "must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        return v.asText();
    }

    public Integer integer(String f) {
        JsonNode v = node.get(f);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest(prefix + f, "must be a whole number, got " + v);
        }
        return v.asInt();
    }

    public Boolean bool(String f) {
        JsonNode v = node.get(f);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(prefix + f, "must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    public List<String> strings(String f) {
        JsonNode v = node.get(f);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(prefix + f, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw ApiException.badRequest(prefix + f + "[" + i + "]", "must be a string, got " + v.get(i));
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    public List<JsonNode> objects(String f) {
        JsonNode v = node.get(f);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(prefix + f, "must be a list");
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }
}
