package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import io.stockade.store.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Two controllers on one PostgreSQL: what goes through one is seen by the other and its watchers; no write is lost. */
class MultiControllerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> call(StockadeServer s, String token, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoControllersShareOneWorld() throws Exception {
        String db = TestPostgres.newSchema("multi");
        ServerConfig base = ServerConfig.sqlite(Files.createTempDirectory("ctl-a"), 0).withPolicy(Policy.wakame()).withDatabase(db);
        try (StockadeServer a = StockadeServer.start(base);
             StockadeServer b = StockadeServer.start(new ServerConfig(base.bind(), 0, Files.createTempDirectory("ctl-b"), db, null, null, base.policy(), base.maxBodyBytes()))) {
            String token = Files.readString(a.adminTokenFile()).strip();

            call(a, token, "POST", "/v1/projects", "{\"id\":\"p-shared\",\"name\":\"shared\"}");
            assertThat(call(a, token, "POST", "/v1/hosts", "{\"name\":\"hv1\"}").statusCode()).isEqualTo(201);
            call(a, token, "POST", "/v1/security-groups", "{\"id\":\"sg-dbclnts\",\"name\":\"dbclnts\",\"project\":\"p-shared\"}");
            call(a, token, "POST", "/v1/security-groups", "{\"id\":\"sg-dbsrv\",\"name\":\"dbsrv\",\"project\":\"p-shared\",\"rules\":[{\"text\":\"tcp:3306,3306,sg-dbclnts\"}]}");
            call(a, token, "POST", "/v1/vnics", "{\"id\":\"vif-db1\",\"project\":\"p-shared\",\"host\":\"hv1\",\"device\":\"tap1\",\"mac\":\"52:54:00:00:00:01\",\"addresses\":[\"192.0.2.10\"],\"securityGroups\":[\"sg-dbsrv\"]}");
            // B sees A's objects (its token table too).
            String tokenB = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    call(a, token, "POST", "/v1/tokens", "{\"role\":\"member\",\"project\":\"p-shared\"}").body()).path("token").asText();
            // B learns of A's writes through NOTIFY, a moment later (controllers are eventually consistent with each other).
            int seen = 0;
            for (int i = 0; i < 50 && seen != 200; i++) {
                seen = call(b, tokenB, "GET", "/v1/security-groups/sg-dbsrv", null).statusCode();
                if (seen != 200) {
                    Thread.sleep(100);
                }
            }
            assertThat(seen).isEqualTo(200);


            // A watcher on B hears of a change made through A.
            long rev = b.controller().world().revision();
            CompletableFuture<io.stockade.wire.WatchHub.Update> next = b.hub().next(b.controller().world().hosts().values().iterator().next().id(), rev);
            call(a, token, "POST", "/v1/vnics", "{\"id\":\"vif-app1\",\"project\":\"p-shared\",\"mac\":\"52:54:00:00:00:02\",\"addresses\":[\"192.0.2.11\"],\"securityGroups\":[\"sg-dbclnts\"]}");
            io.stockade.wire.WatchHub.Update u = next.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(u.revision()).isGreaterThan(rev);

            // Interleaved writes through both: none is lost, both end with the same rules.
            for (int i = 1; i <= 10; i++) {
                StockadeServer s = i % 2 == 0 ? a : b;
                HttpResponse<String> r = call(s, token, "POST", "/v1/security-groups/sg-dbclnts/rules", "{\"text\":\"tcp:" + i + "," + i + ",ip4:0.0.0.0\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
            b.controller().catchUp();
            a.controller().catchUp();
            assertThat(a.controller().world().groups().get("sg-dbclnts").rules()).hasSize(10);
            assertThat(b.controller().world().groups().get("sg-dbclnts").rules()).hasSize(10);
            assertThat(a.controller().world().revision()).isEqualTo(b.controller().world().revision());
        }
    }
}
