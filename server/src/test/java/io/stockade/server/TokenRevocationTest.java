package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import io.stockade.store.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Finding 1 and 5: a token revoked, or whose project is deleted, through one controller is refused by the other within a second. */
class TokenRevocationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> call(StockadeServer s, String token, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String secret(HttpResponse<String> r) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("token").asText();
    }

    @Test
    void revocationHoldsOnEveryController() throws Exception {
        String db = TestPostgres.newSchema("revoke");
        ServerConfig base = ServerConfig.sqlite(Files.createTempDirectory("ctl-a"), 0).withPolicy(Policy.wakame()).withDatabase(db);
        try (StockadeServer a = StockadeServer.start(base);
             StockadeServer b = StockadeServer.start(new ServerConfig(base.bind(), 0, Files.createTempDirectory("ctl-b"), db, null, null, base.policy(), base.maxBodyBytes()))) {
            String admin = Files.readString(a.adminTokenFile()).strip();
            call(a, admin, "POST", "/v1/projects", "{\"id\":\"p-revoke01\",\"name\":\"revoke\"}");
            call(a, admin, "POST", "/v1/projects", "{\"id\":\"p-revoke02\",\"name\":\"doomed\"}");
            HttpResponse<String> made = call(a, admin, "POST", "/v1/tokens", "{\"role\":\"member\",\"project\":\"p-revoke01\"}");
            String revoked = secret(made);
            String doomed = secret(call(a, admin, "POST", "/v1/tokens", "{\"role\":\"member\",\"project\":\"p-revoke02\"}"));
            String tokenId = call(a, admin, "GET", "/v1/tokens", null).body().replaceAll("(?s).*\"id\":\"(tok-[0-9a-f]+)\",\"role\":\"member\",\"project\":\"p-revoke01\".*", "$1");
            b.controller().catchUp();
            // B has seen (and remembers) both tokens.
            assertThat(call(b, revoked, "GET", "/v1/security-groups", null).statusCode()).isEqualTo(200);
            assertThat(call(b, doomed, "GET", "/v1/security-groups", null).statusCode()).isEqualTo(200);

            assertThat(call(a, admin, "DELETE", "/v1/tokens/" + tokenId, null).statusCode()).isEqualTo(204);
            assertThat(call(a, admin, "DELETE", "/v1/projects/p-revoke02", null).statusCode()).isEqualTo(204);
            assertThat(call(a, revoked, "GET", "/v1/security-groups", null).statusCode()).isEqualTo(401);
            Thread.sleep(1000);
            assertThat(call(b, revoked, "GET", "/v1/security-groups", null).statusCode()).isEqualTo(401);
            assertThat(call(b, doomed, "GET", "/v1/security-groups", null).statusCode()).isEqualTo(401);
            assertThat(call(b, doomed, "POST", "/v1/security-groups", "{\"name\":\"ghost\"}").statusCode()).isEqualTo(401);
        }
    }
}
