package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.policy.Policy;
import io.stockade.store.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real server on a free port (SQLite in a temp dir, or a fresh PostgreSQL schema) and an HTTP
 * client for it that checks every answer against {@code /openapi.json} ({@link ApiContract}).
 */
public final class TestServer implements AutoCloseable {
    /** An HTTP answer: status, JSON body (an empty object when there is none), text and headers. */
    public record Response(int status, JsonNode json, String text, java.net.http.HttpHeaders headers) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static volatile ApiContract contract;

    private final ServerConfig config;
    private final String engine;
    private StockadeServer server;
    public final String adminToken;

    public TestServer(String engine, Policy policy) throws IOException {
        Path dir = Files.createTempDirectory("stockade-test");
        ServerConfig c = ServerConfig.sqlite(dir, 0).withPolicy(policy);
        if (engine.equals("postgres")) {
            c = c.withDatabase(TestPostgres.newSchema("api"));
        }
        this.config = c;
        this.engine = engine;
        this.server = StockadeServer.start(config);
        this.adminToken = Files.readString(server.adminTokenFile()).strip();
    }

    /** "sqlite" or "postgres". */
    public String engine() {
        return engine;
    }

    public StockadeServer server() {
        return server;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Stops the server and starts it again on the same data, on a new free port. */
    public void restart() {
        server.close();
        server = StockadeServer.start(config);
    }

    public Response call(String token, String method, String path, String body, String contentType) {
        List<String> headers = new ArrayList<>();
        if (token != null) {
            headers.addAll(List.of("Authorization", "Bearer " + token));
        }
        if (body != null) {
            headers.addAll(List.of("Content-Type", contentType));
        }
        if ("text/plain".equals(contentType) && method.equals("GET")) {
            headers.addAll(List.of("Accept", "text/plain"));
        }
        return send(method, path, body, headers.toArray(String[]::new));
    }

    /** Any request, with headers given as name, value, name, value... */
    public Response send(String method, String path, String body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(url().resolve(path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = MAPPER.createObjectNode();
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("application/json") && !r.body().isEmpty()) {
                json = MAPPER.readTree(r.body());
            }
            contract().check(method, path, r.statusCode(), type.isEmpty() ? null : type, json, r.body());
            return new Response(r.statusCode(), json, r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The document every answer is checked against ({@link ApiContract}), read once from the first
     * server (it is the same for every server: examples aside, it is made from the routes and the views).
     */
    public ApiContract contract() {
        ApiContract c = contract;
        if (c == null) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url().resolve("/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
                c = new ApiContract(MAPPER.readTree(r.body()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            contract = c;
        }
        return c;
    }

    public Response get(String token, String path) {
        return call(token, "GET", path, null, null);
    }

    public Response post(String token, String path, String json) {
        return call(token, "POST", path, json, "application/json");
    }

    public Response put(String token, String path, String json) {
        return call(token, "PUT", path, json, "application/json");
    }

    public Response delete(String token, String path) {
        return call(token, "DELETE", path, null, null);
    }

    /** Creates a project and a member token for it; returns [projectId, token]. */
    public String[] project(String name) {
        String id = post(adminToken, "/v1/projects", "{\"name\":\"" + name + "\"}").json().path("id").asText();
        String token = post(adminToken, "/v1/tokens", "{\"role\":\"member\",\"project\":\"" + id + "\"}").json().path("token").asText();
        return new String[] {id, token};
    }

    @Override
    public void close() {
        server.close();
    }
}
