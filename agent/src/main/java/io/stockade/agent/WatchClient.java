package io.stockade.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.wire.WatchHub;
import io.stockade.wire.WorldJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The agent's side of {@code /v1/watch}: long-polls one controller at a time and moves to the
 * next one in the list when a controller cannot be reached.
 */
public final class WatchClient {
    /** A controller answered with an error (not a connection problem). */
    public static final class ControllerError extends IOException {
        public ControllerError(String message) {
            super(message);
        }
    }

    private final List<URI> servers;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final WorldJson json = new WorldJson(mapper);
    private final Duration wait;
    /** The controller in use; the status reports' thread reads it too. */
    private volatile int current;

    public WatchClient(List<URI> servers, String token, Duration wait) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one controller URL is needed");
        }
        this.servers = List.copyOf(servers);
        this.token = token;
        this.wait = wait;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    public URI server() {
        return servers.get(current);
    }

    /** Moves to the next controller of the list (after a connection failure). */
    public void failover() {
        current = (current + 1) % servers.size();
    }

    /** Registers the host (creating it on first start) and returns its id. */
    public String register(String name, String bridge, List<String> uplinks) throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("bridge", bridge);
        uplinks.forEach(u -> body.withArray("uplinks").add(u));
        JsonNode r = send("PUT", "/v1/hosts/" + enc(name) + "/agent", body);
        return r.path("id").asText();
    }

    /** Tells the controller what this host's kernel holds now. */
    public void report(String hostId, long appliedRevision, String error) throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("appliedRevision", appliedRevision);
        if (error == null) {
            body.putNull("error");
        } else {
            body.put("error", error);
        }
        send("PUT", "/v1/hosts/" + enc(hostId) + "/status", body);
    }

    /** Sends the host's per-vnic counters and recent drop lines. */
    public void reportStats(String hostId, JsonNode stats) throws IOException, InterruptedException {
        send("PUT", "/v1/hosts/" + enc(hostId) + "/stats", stats);
    }

    /**
     * The next update after {@code since}, or empty when nothing changed within the wait (whole
     * seconds on the wire, at least one: a wait under a second sent as 0 made the server answer at
     * once, and an agent with a sub-second drift check asked again and again without pause).
     */
    public Optional<WatchHub.Update> next(String hostId, long since) throws IOException, InterruptedException {
        String path = "/v1/watch?host=" + enc(hostId) + "&since=" + since + "&wait=" + Math.max(1, (wait.toMillis() + 999) / 1000);
        HttpRequest req = request(path).timeout(wait.plusSeconds(10)).GET().build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() == 204) {
            return Optional.empty();
        }
        JsonNode n = check(resp);
        long revision = n.path("revision").asLong();
        if (n.path("full").asBoolean()) {
            return Optional.of(new WatchHub.Update(hostId, revision, json.read(n.path("world")), null));
        }
        return Optional.of(new WatchHub.Update(hostId, revision, null, json.readDiff(n.path("diff"))));
    }

    private JsonNode send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest req = request(path).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build();
        return check(http.send(req, HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server().resolve(path)).header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private JsonNode check(HttpResponse<String> resp) throws IOException {
        if (resp.statusCode() / 100 != 2) {
            String message = resp.body();
            try {
                message = mapper.readTree(resp.body()).path("error").path("message").asText(resp.body());
            } catch (IOException ignored) {
                // not JSON: keep the body as it is
            }
            throw new ControllerError(resp.request().uri() + ": HTTP " + resp.statusCode() + ": " + message);
        }
        return resp.body().isEmpty() ? mapper.createObjectNode() : mapper.readTree(resp.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
