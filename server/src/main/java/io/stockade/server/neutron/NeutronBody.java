package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.server.Body;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Neutron request body: the resource under its singular key ({@code {"security_group": {…}}}),
 * with Neutron's answers to what is wrong with it (malformed JSON, no resource, an attribute
 * that does not exist or may not be written with this method).
 */
final class NeutronBody {
    private NeutronBody() {}

    static JsonNode json(ObjectMapper mapper, String text) {
        if (text == null || text.isBlank()) {
            throw NeutronErrors.badRequest("Resource body required");
        }
        try {
            JsonNode n = mapper.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            io.stockade.server.InputLimits.check(n, "");
            return n;
        } catch (IOException e) {
            throw NeutronErrors.badRequest("Malformed request body");
        }
    }

    /** The resource object, checked against the resource's attributes and those this method may set. */
    static ObjectNode resource(ObjectMapper mapper, String text, String wrapper, Set<String> attributes, Set<String> writable, String method) {
        JsonNode n = json(mapper, text);
        if (!n.isObject() || !n.has(wrapper)) {
            throw NeutronErrors.badRequest("Unable to find '" + wrapper + "' in request body");
        }
        if (n.size() != 1) {
            List<String> extra = new ArrayList<>();
            n.fieldNames().forEachRemaining(f -> extra.add(f));
            extra.remove(wrapper);
            throw NeutronErrors.badRequest("Unrecognized attribute(s) '" + String.join(", ", extra) + "' next to '" + wrapper + "'");
        }
        JsonNode r = n.get(wrapper);
        if (!r.isObject()) {
            throw NeutronErrors.badRequest("'" + wrapper + "' must be a JSON object, got " + r.getNodeType().name().toLowerCase());
        }
        Set<String> unknown = new TreeSet<>();
        Set<String> readOnly = new TreeSet<>();
        r.fieldNames().forEachRemaining(f -> {
            if (!attributes.contains(f)) {
                unknown.add(f);
            } else if (!writable.contains(f)) {
                readOnly.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw NeutronErrors.badRequest("Unrecognized attribute(s) '" + String.join(", ", unknown) + "'");
        }
        if (!readOnly.isEmpty()) {
            throw NeutronErrors.badRequest(method.equals("POST") ? "Attribute '" + readOnly.iterator().next() + "' not allowed in POST"
                    : "Cannot update read-only attribute " + readOnly.iterator().next());
        }
        return (ObjectNode) r;
    }

    /** A Neutron resource's attributes, read by name with the type checks every request gets (a 400 naming the attribute). */
    static Body fields(ObjectNode resource) {
        Set<String> names = new TreeSet<>();
        resource.fieldNames().forEachRemaining(names::add);
        return Body.of(resource, "", names);
    }
}
