package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.stockade.core.model.Names;
import java.nio.charset.Charset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One set of input limits for every store, checked in the API before anything reaches the model
 * or the database: no NUL character in any string (PostgreSQL cannot store one; SQLite can, so
 * the limit is the API's, not a store's), names and other identifiers of at most
 * {@link Names#MAX_NAME} characters without control characters, and a request's charset must be
 * one Java knows. Each refusal names the field.
 */
public final class InputLimits {
    /** The longest query parameter value taken. */
    static final int MAX_QUERY = 1024;

    /** Fields that are names or identifiers wherever they appear in a body. */
    private static final Set<String> NAMES = Set.of("name", "id", "project", "host", "device", "instance", "network", "role", "bridge");

    private InputLimits() {}

    /** Every string of a JSON body (keys too), with {@code prefix} before the field names in errors. */
    public static void check(JsonNode n, String prefix) {
        if (n.isTextual()) {
            text(n.asText(), prefix.isEmpty() ? null : prefix, false);
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                check(n.get(i), prefix + "[" + i + "]");
            }
        } else if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String field = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
                text(f.getKey(), field, true);
                if (NAMES.contains(f.getKey()) && f.getValue().isTextual()) {
                    text(f.getValue().asText(), field, true);
                } else {
                    check(f.getValue(), field);
                }
            }
        }
    }

    /** A string: never a NUL; a name: also at most MAX_NAME characters and no control characters. */
    static void text(String s, String field, boolean name) {
        if (s.indexOf('\0') >= 0) {
            throw ApiException.invalid(field, "must not contain a NUL character");
        }
        if (name && s.length() > Names.MAX_NAME) {
            throw ApiException.invalid(field, "must be at most " + Names.MAX_NAME + " characters, got " + s.length());
        }
        if (name && s.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field, "must not contain control characters");
        }
    }

    /** The request's charset (if it names one) is known, and no query parameter holds a control character or is longer than MAX_QUERY. */
    static void request(Context ctx) {
        String charset = ctx.characterEncoding();
        if (charset != null) {
            try {
                Charset.forName(charset);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Content-Type", "unknown or malformed charset in Content-Type");
            }
        }
        for (Map.Entry<String, List<String>> q : ctx.queryParamMap().entrySet()) {
            for (String v : q.getValue()) {
                if (v.length() > MAX_QUERY) {
                    throw ApiException.badRequest(q.getKey(), "must be at most " + MAX_QUERY + " characters, got " + v.length());
                }
                if (v.chars().anyMatch(Character::isISOControl)) {
                    throw ApiException.badRequest(q.getKey(), "must not contain control characters");
                }
            }
        }
    }
}
