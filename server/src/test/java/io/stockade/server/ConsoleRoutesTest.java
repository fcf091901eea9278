package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the web console needs from the server: its files from the jar, whoami, the events long poll, groups created from rule text. */
class ConsoleRoutesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    TestServer s;
    String admin;

    @BeforeEach
    void start() throws Exception {
        s = new TestServer("sqlite", Policy.wakame());
        admin = s.adminToken;
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private HttpResponse<String> raw(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.url().resolve(path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void browsersGetTheConsoleAtTheRootAndApiClientsDoNot() throws Exception {
        HttpResponse<String> page = raw("/", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<title>Stockade console</title>").contains("/console/app.js");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'").contains("frame-ancestors 'none'");

        HttpResponse<String> api = raw("/", "application/json");
        assertThat(api.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(api.body()).doesNotContain("<html");

        HttpResponse<String> js = raw("/console/pages/graph.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(js.body()).contains("export async function graphPage");
        assertThat(raw("/console/style.css", null).headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(raw("/console/nothing.js", null).statusCode()).isEqualTo(404);
        assertThat(raw("/console/..%2Fapp.js", null).statusCode()).isEqualTo(404);
        assertThat(raw("/console/Routes.class", null).statusCode()).isEqualTo(404);
    }

    @Test
    void whoamiNamesTheRoleAndProject() {
        String[] p = s.project("shop");
        TestServer.Response me = s.get(p[1], "/v1/whoami");
        assertThat(me.json().path("role").asText()).isEqualTo("member");
        assertThat(me.json().path("project").asText()).isEqualTo(p[0]);
        assertThat(me.json().path("projectName").asText()).isEqualTo("shop");
        assertThat(me.json().path("profile").asText()).isEqualTo("wakame");
        TestServer.Response a = s.get(admin, "/v1/whoami");
        assertThat(a.json().path("role").asText()).isEqualTo("admin");
        assertThat(a.json().path("project").isNull()).isTrue();
        assertThat(a.json().path("revision").asLong()).isEqualTo(1);
        assertThat(s.get(null, "/v1/whoami").status()).isEqualTo(401);
        assertThat(s.get(null, "/openapi.json").json().path("paths").has("/v1/events")).isTrue();
    }

    @Test
    void eventsReturnWhenTheRevisionMovesPastSince() throws Exception {
        s.project("first");
        long rev = s.get(admin, "/v1/whoami").json().path("revision").asLong();
        TestServer.Response now = s.get(admin, "/v1/events?since=" + (rev - 1) + "&wait=30");
        assertThat(now.json().path("revision").asLong()).isEqualTo(rev);
        assertThat(now.json().path("changed").asBoolean()).isTrue();

        TestServer.Response quiet = s.get(admin, "/v1/events?since=" + rev + "&wait=0");
        assertThat(quiet.status()).isEqualTo(200);
        assertThat(quiet.json().path("changed").asBoolean()).isFalse();
        assertThat(quiet.json().path("revision").asLong()).isEqualTo(rev);

        CompletableFuture<TestServer.Response> waiting = CompletableFuture.supplyAsync(() -> s.get(admin, "/v1/events?since=" + rev + "&wait=60"));
        assertThat(s.post(admin, "/v1/projects", "{\"name\":\"later\"}").status()).isEqualTo(201);
        TestServer.Response woke = waiting.get();
        assertThat(woke.json().path("changed").asBoolean()).isTrue();
        assertThat(woke.json().path("revision").asLong()).isEqualTo(rev + 1);

        assertThat(s.get(admin, "/v1/events?since=x").json().path("error").path("field").asText()).isEqualTo("since");
        assertThat(s.get(admin, "/v1/events?since=1&wait=61").json().path("error").path("field").asText()).isEqualTo("wait");
        assertThat(s.get(null, "/v1/events?since=0").status()).isEqualTo(401);
    }

    @Test
    void eventsOnOneControllerWakeForAWriteThroughAnother() throws Exception {
        String db = io.stockade.store.TestPostgres.newSchema("events");
        ServerConfig base = ServerConfig.sqlite(java.nio.file.Files.createTempDirectory("ev-a"), 0).withPolicy(Policy.wakame()).withDatabase(db);
        try (StockadeServer a = StockadeServer.start(base);
             StockadeServer b = StockadeServer.start(new ServerConfig(base.bind(), 0, java.nio.file.Files.createTempDirectory("ev-b"), db, null, null,
                     base.policy(), base.maxBodyBytes()))) {
            String token = java.nio.file.Files.readString(a.adminTokenFile()).strip();
            long rev = b.controller().world().revision();
            CompletableFuture<HttpResponse<String>> waiting = HTTP.sendAsync(HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + b.port() + "/v1/events?since=" + rev + "&wait=60")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> made = HTTP.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + a.port() + "/v1/projects"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"elsewhere\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(made.statusCode()).isEqualTo(201);
            com.fasterxml.jackson.databind.JsonNode woke = new com.fasterxml.jackson.databind.ObjectMapper().readTree(waiting.get().body());
            assertThat(woke.path("changed").asBoolean()).isTrue();
            assertThat(woke.path("revision").asLong()).isGreaterThan(rev);
        }
    }

    @Test
    void ruleTextIsCheckedWithoutSavingEveryErrorWithItsPosition() {
        String[] p = s.project("shop");
        assertThat(s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-dbclnts\",\"name\":\"dbclnts\"}").status()).isEqualTo(201);
        long before = s.get(admin, "/healthz").json().path("revision").asLong();
        TestServer.Response ok = s.post(p[1], "/v1/rule-text/check", "{\"text\":\"tcp: 22, 22, ip4:0.0.0.0\\ntcp:3306,3306,sg-dbclnts # db\\n\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("valid").asBoolean()).isTrue();
        assertThat(ok.json().path("rules").get(0).asText()).isEqualTo("tcp:22,22,ip4:0.0.0.0");
        assertThat(ok.json().path("rules").get(1).asText()).isEqualTo("tcp:3306,3306,sg-dbclnts # db");

        TestServer.Response bad = s.post(p[1], "/v1/rule-text/check", "{\"text\":\"udp:53,53,ip4:300.0.0.1\\n# ok\\ntcp:1,2,sg-nosuch\\n\"}");
        assertThat(bad.json().path("valid").asBoolean()).isFalse();
        assertThat(bad.json().path("errors")).hasSize(2);
        assertThat(bad.json().path("errors").get(0).path("line").asInt()).isEqualTo(1);
        assertThat(bad.json().path("errors").get(0).path("column").asInt()).isEqualTo(15);
        assertThat(bad.json().path("errors").get(1).path("line").asInt()).isEqualTo(3);
        assertThat(bad.json().path("errors").get(1).path("message").asText()).contains("sg-nosuch");

        s.project("other");
        TestServer.Response other = s.post(admin, "/v1/rule-text/check", "{\"text\":\"tcp:1,1,sg-dbclnts\",\"project\":\"other\"}");
        assertThat(other.json().path("valid").asBoolean()).as("another project's group is not a valid source").isFalse();
        assertThat(s.post(admin, "/v1/rule-text/check", "{\"text\":\"\"}").json().path("error").path("field").asText()).isEqualTo("project");
        assertThat(s.get(admin, "/healthz").json().path("revision").asLong()).isEqualTo(before + 1);
    }

    @Test
    void ruleTextCheckWarnsWhereWakameReadsALineOtherwiseThanItShows() {
        String[] p = s.project("legacy");
        TestServer.Response r = s.post(p[1], "/v1/rule-text/check", "{\"text\":\"tcp:22,22,ip4:0.0.0.0/24\\nicmp:3,16,ip4:192.0.2.1/24\\n\"}");
        assertThat(r.json().path("valid").asBoolean()).isTrue();
        assertThat(r.json().path("rules").get(0).asText()).isEqualTo("tcp:22,22,ip4:0.0.0.0");
        assertThat(r.json().path("rules").get(1).asText()).isEqualTo("icmp:3,16,ip4:192.0.2.0/24");
        assertThat(r.json().path("warnings").findValuesAsText("line")).containsExactly("1", "2");
        assertThat(r.json().path("warnings").get(1).path("column").asInt()).isEqualTo(15);
        TestServer.Response wakame = s.post(p[1], "/v1/rule-text/check", "{\"text\":\"icmp:3,16,ip4:192.0.2.1\",\"dialect\":\"wakame\"}");
        assertThat(wakame.json().path("valid").asBoolean()).isFalse();
        assertThat(wakame.json().path("errors").get(0).path("message").asText()).contains("Wakame-vdc accepts -1 and 0..15");
        TestServer.Response bad = s.post(p[1], "/v1/rule-text/check", "{\"text\":\"\",\"dialect\":\"cisco\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("field").asText()).isEqualTo("dialect");
    }

    @Test
    void aGroupCreatedFromRuleTextIsAtomicAndErrorsCarryLineAndColumn() {
        String[] p = s.project("shop");
        assertThat(s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-dbclnts\",\"name\":\"dbclnts\"}").status()).isEqualTo(201);
        long before = s.get(admin, "/healthz").json().path("revision").asLong();
        TestServer.Response bad = s.post(p[1], "/v1/security-groups",
                "{\"name\":\"dbsrv\",\"rulesText\":\"tcp:3306,3306,sg-dbclnts\\n# fine\\nudp:53,53,ip4:300.0.0.1\\n\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("error").path("field").asText()).isEqualTo("rulesText");
        assertThat(bad.json().path("error").path("line").asInt()).isEqualTo(3);
        assertThat(bad.json().path("error").path("column").asInt()).isEqualTo(15);
        assertThat(s.get(admin, "/healthz").json().path("revision").asLong()).isEqualTo(before);

        TestServer.Response both = s.post(p[1], "/v1/security-groups", "{\"name\":\"x\",\"rules\":[],\"rulesText\":\"\"}");
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.json().path("error").path("field").asText()).isEqualTo("rulesText");

        TestServer.Response ok = s.post(p[1], "/v1/security-groups",
                "{\"name\":\"dbsrv\",\"rulesText\":\"tcp:3306,3306,sg-dbclnts # mysql\\ntcp:22,22,ip4:0.0.0.0\\n\"}");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().path("rules")).hasSize(2);
        assertThat(ok.json().path("rules").get(0).path("remoteGroup").asText()).isEqualTo("sg-dbclnts");
        assertThat(ok.json().path("rules").get(0).path("description").asText()).isEqualTo("mysql");
    }
}
