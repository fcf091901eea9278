package io.stockade.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** {@code /openapi.json}, made from the route table so it lists every endpoint there is. */
final class OpenApi {
    private OpenApi() {}

    static ObjectNode document(ObjectMapper mapper, List<String[]> routes) {
        ObjectNode doc = mapper.createObjectNode().put("openapi", "3.0.3");
        doc.putObject("info").put("title", "Stockade API").put("version", "1");
        ObjectNode schemes = doc.putObject("components").putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
        schemes.putObject("token").put("type", "apiKey").put("in", "header").put("name", "X-Auth-Token");
        doc.putArray("security").addObject().putArray("bearer");
        ObjectNode paths = doc.putObject("paths");
        for (String[] r : routes) {
            ObjectNode path = paths.has(r[1]) ? (ObjectNode) paths.get(r[1]) : paths.putObject(r[1]);
            ObjectNode op = path.putObject(r[0].toLowerCase());
            op.put("summary", r[2]);
            for (String part : r[1].split("/")) {
                if (part.startsWith("{")) {
                    op.withArray("parameters").addObject().put("name", part.substring(1, part.length() - 1)).put("in", "path").put("required", true)
                            .putObject("schema").put("type", "string");
                }
            }
            ObjectNode responses = op.putObject("responses");
            responses.putObject(r[0].equals("POST") ? "201" : r[0].equals("DELETE") ? "204" : "200").put("description", "success");
            boolean neutron = r[1].startsWith("/v2.0/") || r[1].startsWith("/projects");
            if (neutron) {
                op.putArray("security").addObject().putArray("token");
            }
            responses.putObject("default").put("description", neutron ? "error: {\"NeutronError\":{\"type\",\"message\",\"detail\"}}"
                    : "error: {\"error\":{\"code\",\"message\",\"field\"}}");
        }
        return doc;
    }
}
