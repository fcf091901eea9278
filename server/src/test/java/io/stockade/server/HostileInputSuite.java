package io.stockade.server;

import static io.stockade.server.ApiSuite.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Findings 10 and 12 of issue 21: one set of input limits for both stores (a 422 naming the
 * field, never the database's 503), bodies that are empty or carry trailing JSON are 400s, and
 * explain answers 4xx on bad input. Run on SQLite and on PostgreSQL.
 */
abstract class HostileInputSuite extends OnEachStore {
    String member;
    long before;

    @BeforeEach
    void seed() throws Exception {
        String[] p = s.project("hostile");
        member = p[1];
        s.post(member, "/v1/security-groups", "{\"id\":\"sg-web\",\"name\":\"web\"}");
        // Placed by the admin: a vnic without a network holds addresses only so.
        s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"id\":\"vif-web1\",\"mac\":\"52:54:00:00:00:01\",\"addresses\":[\"192.0.2.10\"],\"securityGroups\":[\"web\"]}");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv1\"}");
        before = revision();
    }

    long revision() {
        return s.get(admin, "/healthz").json().path("revision").asLong();
    }

    @Test
    void theSameLimitsOnEveryStore() {
        expectError(s.post(member, "/v1/vnics", "{\"name\":\"a\\u0000b\",\"mac\":\"52:54:00:00:00:02\"}"), 422, "name", "NUL");
        expectError(s.post(member, "/v1/security-groups", "{\"name\":\"x\",\"description\":\"a\\u0000b\"}"), 422, "description", "NUL");
        expectError(s.post(member, "/v1/security-groups", "{\"name\":\"" + "n".repeat(256) + "\"}"), 422, "name", "at most 255");
        expectError(s.post(member, "/v1/vnics", "{\"name\":\"" + "n".repeat(256) + "\",\"mac\":\"52:54:00:00:00:02\"}"), 422, "name", "at most 255");
        expectError(s.post(member, "/v1/security-groups", "{\"name\":\"tab\\there\"}"), 422, "name", "control characters");
        expectError(s.post(admin, "/v1/tokens", "{\"role\":\"admin\",\"description\":\"" + "d".repeat(256) + "\"}"), 422, "description", "at most 255");
        expectError(s.call(admin, "PUT", "/v1/hosts/hv1/status", "{\"appliedRevision\":1,\"error\":\"nul\\u0000\"}", "application/json"), 422, "error", "NUL");
        expectError(s.get(admin, "/v1/audit?object=x%00y"), 400, "object", "control characters");
        assertThat(revision()).isEqualTo(before);
    }

    @Test
    void malformedCharsetsAreBadRequests() {
        for (String charset : List.of("bogus", "@@", "utf-8\"")) {
            TestServer.Response r = s.send("POST", "/v1/security-groups", "{\"name\":\"cs\"}", "Authorization", "Bearer " + member,
                    "Content-Type", "application/json; charset=" + charset);
            assertThat(r.status()).as(charset + ": " + r.text()).isEqualTo(400);
        }
        assertThat(revision()).isEqualTo(before);
    }

    @Test
    void emptyAndTrailingBodiesAreBadRequests() {
        String rules = "/v1/security-groups/sg-web/rules";
        expectError(s.call(member, "POST", rules, "", "application/json"), 400, null, "needs a JSON object");
        expectError(s.post(member, rules, "{}"), 422, "rule", "would allow everything");
        expectError(s.post(member, rules, "{\"protocol\":\"tcp\",\"portRangeMin\":22,\"portRangeMax\":22} {\"x\":1}"), 400, null, "malformed JSON");
        expectError(s.post(member, rules, "{\"protocol\":\"tcp\",\"portRangeMin\":22,\"portRangeMax\":22}]"), 400, null, "malformed JSON");
        TestServer.Response neutron = s.send("POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"n\"}} trailing", "X-Auth-Token", member,
                "Content-Type", "application/json");
        assertThat(neutron.status()).as(neutron.text()).isEqualTo(400);
        assertThat(s.get(member, "/v1/security-groups/sg-web").json().path("rules")).isEmpty();
        assertThat(revision()).isEqualTo(before);
    }

    @Test
    void explainAnswersBadInputWith4xx() {
        expectError(s.get(member, "/v1/explain?from=vif-nothere&to=vif-web1"), 404, null, "no vnic 'vif-nothere'");
        expectError(s.get(member, "/v1/explain?from=192.0.2.99&to=vif-nothere"), 404, null, "no vnic");
        expectError(s.get(member, "/v1/explain?from=999.1.2.3&to=vif-web1"), 422, "from", "");
        expectError(s.get(member, "/v1/explain?from=192.0.2.99&to=vif-web1&proto=bogus"), 422, "proto", "");
        expectError(s.get(member, "/v1/explain?from=192.0.2.99&to=vif-web1&proto=tcp&port=x"), 400, "port", "whole number");
        expectError(s.get(member, "/v1/explain?from=" + "1".repeat(3000) + "&to=vif-web1"), 400, "from", "at most");
        expectError(s.get(member, "/v1/explain?from=" + "1".repeat(1000) + "&to=vif-web1"), 422, "from", "");
        assertThat(s.get(member, "/v1/explain?from=192.0.2.99&to=vif-web1&proto=tcp&port=22").status()).isEqualTo(200);
    }

    /** Concurrent first reports of a new host were a primary-key collision (503). */
    @Test
    void concurrentFirstStatusReportsOfAHost() {
        for (int round = 0; round < 5; round++) {
            String host = "hv-race" + round;
            s.post(admin, "/v1/hosts", "{\"name\":\"" + host + "\"}");
            List<CompletableFuture<TestServer.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int rev = i;
                calls.add(CompletableFuture.supplyAsync(() -> s.call(admin, "PUT", "/v1/hosts/" + host + "/status",
                        "{\"appliedRevision\":" + rev + "}", "application/json")));
            }
            calls.forEach(c -> assertThat(c.join().status()).as(c.join().text()).isEqualTo(204));
        }
    }
}
