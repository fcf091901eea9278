package io.stockade.server.neutron;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.policy.Policy;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import io.stockade.store.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Two controllers on one PostgreSQL through the Neutron facade: the same UUIDs, rules and tags on both. */
class NeutronMultiControllerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode call(StockadeServer s, String token, String method, String path, String body, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).header("X-Auth-Token", token)
                .header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(status);
        return r.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(r.body());
    }

    @Test
    void bothControllersShowOneNeutronWorld() throws Exception {
        String db = TestPostgres.newSchema("neutronmulti");
        ServerConfig base = ServerConfig.sqlite(Files.createTempDirectory("ctl-a"), 0).withPolicy(Policy.profile(Policy.OPENSTACK)).withDatabase(db);
        try (StockadeServer a = StockadeServer.start(base);
             StockadeServer b = StockadeServer.start(new ServerConfig(base.bind(), 0, Files.createTempDirectory("ctl-b"), db, null, null, base.policy(), base.maxBodyBytes()))) {
            String admin = Files.readString(a.adminTokenFile()).strip();
            HttpResponse<String> p = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + "/v1/projects"))
                    .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"admin\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(p.statusCode()).isEqualTo(201);

            String web = call(a, admin, "POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"web\"}}", 201).path("security_group").path("id").asText();
            call(a, admin, "PUT", "/v2.0/security-groups/" + web + "/tags", "{\"tags\":[\"prod\"]}", 200);
            b.controller().catchUp();
            JsonNode onB = call(b, admin, "GET", "/v2.0/security-groups/" + web, null, 200).path("security_group");
            assertThat(onB.path("tags").toString()).isEqualTo("[\"prod\"]");
            assertThat(onB.path("project_id").asText()).isEqualTo(MAPPER.readTree(p.body()).path("id").asText());

            String rule = call(b, admin, "POST", "/v2.0/security-group-rules", "{\"security_group_rule\":{\"security_group_id\":\"" + web
                    + "\",\"direction\":\"ingress\",\"protocol\":\"tcp\",\"port_range_min\":80,\"port_range_max\":80}}", 201).path("security_group_rule").path("id").asText();
            a.controller().catchUp();
            assertThat(call(a, admin, "GET", "/v2.0/security-group-rules/" + rule, null, 200).path("security_group_rule").path("port_range_min").asInt()).isEqualTo(80);
            assertThat(call(a, admin, "GET", "/v2.0/security-groups?tags=prod", null, 200).path("security_groups").findValuesAsText("name")).containsExactly("web");

            // Deleting the group on A takes its tags with it, on B as well.
            String sg = a.controller().world().groups().values().stream().filter(g -> g.name().equals("web")).findFirst().orElseThrow().id();
            assertThat(b.controller().tags(sg)).containsExactly("prod");
            call(a, admin, "DELETE", "/v2.0/security-groups/" + web, null, 204);
            b.controller().catchUp();
            call(b, admin, "GET", "/v2.0/security-groups/" + web, null, 404);
            assertThat(b.controller().tags(sg)).isEmpty();
            assertThat(a.controller().store().loadAll().stream().filter(o -> o.kind().equals("tags")).toList()).isEmpty();
        }
    }
}
