package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.server.V1Request;
import io.stockade.server.command.Command;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the /v1 API: JSON in, JSON out, API errors as exceptions carrying the server's message and field. */
final class Api {
    /** An error answer of the API, shown to users as it is. */
    static final class Error extends RuntimeException {
        final int status;
        final String field;

        Error(int status, String message, String field) {
            super(message);
            this.status = status;
            this.field = field;
        }
    }

    final ObjectMapper mapper = new ObjectMapper();
    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Sends a command as the {@code /v1} request that carries it: {@link V1Request}, the writer the server's readers are tested against. */
    JsonNode send(Command command) {
        V1Request r = V1Request.of(command);
        return send(r.method(), r.path().substring(1), r.body(), r.contentType());
    }

    JsonNode get(String path) {
        return send("GET", path, null, "application/json");
    }

    String getText(String path) {
        return raw("GET", path, null, "application/json", "text/plain").body();
    }

    /** A request as written (a String body as is, any other as JSON), its JSON answer; an error answer is thrown as {@link Error}. */
    JsonNode send(String method, String path, Object body, String contentType) {
        HttpResponse<String> r = raw(method, path, body, contentType, "application/json");
        try {
            return r.body().isEmpty() ? mapper.createObjectNode() : mapper.readTree(r.body());
        } catch (IOException e) {
            throw new Error(r.statusCode(), "the server answered with something that is not JSON: " + r.body(), null);
        }
    }

    /** POSTs a file's content as JSON, waiting up to {@code timeout} for the answer (an import of a world takes a while). */
    JsonNode postFile(String path, java.nio.file.Path file, Duration timeout) throws IOException {
        HttpResponse<String> r = raw("POST", path, HttpRequest.BodyPublishers.ofFile(file), "application/json", "application/json", timeout);
        return r.body().isEmpty() ? mapper.createObjectNode() : mapper.readTree(r.body());
    }

    private HttpResponse<String> raw(String method, String path, Object body, String contentType, String accept) {
        String payload;
        try {
            payload = body == null ? null : body instanceof String s ? s : mapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new Error(0, "cannot write the request: " + e.getMessage(), null);
        }
        return raw(method, path, payload == null ? null : HttpRequest.BodyPublishers.ofString(payload), contentType, accept, Duration.ofSeconds(30));
    }

    private HttpResponse<String> raw(String method, String path, HttpRequest.BodyPublisher body, String contentType, String accept, Duration timeout) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .header("Accept", accept).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
            if (body != null) {
                b.header("Content-Type", contentType);
            }
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                JsonNode err = null;
                try {
                    err = mapper.readTree(r.body()).path("error");
                } catch (IOException ignored) {
                    // not JSON; use the status alone
                }
                String message = err != null && err.has("message") ? err.path("message").asText() : "HTTP " + r.statusCode();
                String field = err != null && err.hasNonNull("field") ? err.path("field").asText() : null;
                throw new Error(r.statusCode(), message, field);
            }
            return r;
        } catch (IOException e) {
            throw new Error(0, "cannot reach the Stockade server at " + base + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Error(0, "interrupted", null);
        }
    }
}
