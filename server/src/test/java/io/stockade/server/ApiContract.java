package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /openapi.json} as a judge of answers: each answer's status must be documented for its
 * operation (a success status exactly, an error by the default response) and its JSON body must
 * satisfy the schema documented there (JSON Schema 2020-12). {@link TestServer} checks every
 * answer the test suites see with it, so a suite that drives the API checks the document too.
 */
public final class ApiContract {
    private final JsonNode doc;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public ApiContract(JsonNode doc) {
        this.doc = doc;
    }

    public JsonNode document() {
        return doc;
    }

    /** The schema of a component, with the document's other components to refer to. */
    public JsonSchema schema(String ref) {
        return schemas.computeIfAbsent(ref, r -> {
            ObjectNode root = doc.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema").put("$ref", r);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        });
    }

    /** The documented path template a request path (query left out) is an instance of, or null when the document has none. */
    public String template(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (doc.path("paths").has(bare)) {
            return bare;
        }
        for (Iterator<String> it = doc.path("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            if (t.contains("{") && bare.matches(t.replaceAll("\\{[^}]+}", "[^/]+").replace(".", "\\."))) {
                return t;
            }
        }
        return null;
    }

    /**
     * Checks one answer to {@code method path}; throws an AssertionError naming the mismatch.
     * Returns the schema reference it was checked against, or null when the answer has no body
     * to check (no documented path, a body that is not JSON, a success without content).
     */
    public String check(String method, String path, int status, String contentType, JsonNode body, String text) {
        String template = template(path);
        if (template == null) {
            return null;
        }
        JsonNode responses = doc.path("paths").path(template).path(method.toLowerCase()).path("responses");
        if (!responses.isObject()) {
            if (status == 404 || status == 405) {
                return null; // a method the path does not have: the router's answer, not an operation's
            }
            throw new AssertionError(method + " " + template + " is not documented, but answered " + status + ": " + text);
        }
        String code = Integer.toString(status);
        if (status < 300 && !responses.has(code)) {
            throw new AssertionError(method + " " + template + " answered " + status + ", not a documented status " + responses.properties() + ": " + text);
        }
        JsonNode documented = responses.has(code) ? responses.get(code) : responses.get("default");
        if (documented == null) {
            throw new AssertionError(method + " " + template + " answered " + status + ", and documents no error answer: " + text);
        }
        JsonNode content = documented.path("content");
        String media = contentType == null ? null : contentType.split(";")[0].strip();
        if (media == null || !content.isObject()) {
            if (content.isObject() && !text.isEmpty()) {
                throw new AssertionError(method + " " + template + " " + status + " documents " + content.properties() + " but sent no type: " + text);
            }
            return null;
        }
        String ref = content.path(media).path("schema").path("$ref").asText(null);
        if (ref == null) {
            throw new AssertionError(method + " " + template + " " + status + " sent " + media + ", documented are " + content.properties() + ": " + text);
        }
        if (!media.equals("application/json")) {
            return null;
        }
        Set<ValidationMessage> errors = schema(ref).validate(body);
        if (!errors.isEmpty()) {
            throw new AssertionError(method + " " + template + " " + status + " does not satisfy " + ref + ": " + errors + "\n" + text);
        }
        return ref;
    }
}
