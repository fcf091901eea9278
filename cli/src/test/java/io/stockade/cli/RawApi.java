package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Requests written by hand, for tests that set the server up, or probe it, through {@code /v1} as
 * any other client does (the CLI itself sends commands: {@link Api#send(io.stockade.server.command.Command)}).
 */
final class RawApi {
    private RawApi() {}

    static JsonNode post(Api api, String path, Object body) {
        return api.send("POST", path, body, "application/json");
    }

    static JsonNode put(Api api, String path, Object body) {
        return api.send("PUT", path, body, "application/json");
    }

    static JsonNode putText(Api api, String path, String text) {
        return api.send("PUT", path, text, "text/plain");
    }

    static JsonNode patch(Api api, String path, Object body) {
        return api.send("PATCH", path, body, "application/json");
    }

    static JsonNode delete(Api api, String path) {
        return api.send("DELETE", path, null, "application/json");
    }
}
