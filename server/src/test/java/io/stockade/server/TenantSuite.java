package io.stockade.server;

import static io.stockade.server.ApiSuite.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants cannot see or hurt each other (issue 21), over real HTTP, once on SQLite and once on
 * PostgreSQL. Each test names the finding of the review it pins.
 */
abstract class TenantSuite {
    TestServer s;
    String admin;

    abstract String engine();

    @BeforeEach
    void start() throws Exception {
        s = new TestServer(engine(), Policy.wakame());
        admin = s.adminToken;
    }

    @AfterEach
    void stop() {
        s.close();
    }

    String token(String body) {
        TestServer.Response r = s.post(admin, "/v1/tokens", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("token").asText();
    }

    /** Finding 2 and 6: a host's token reads its own ruleset only, and no audit log; a member reads no ruleset. */
    @Test
    void aHostTokenReachesItsOwnHostOnly() {
        String[] p = s.project("web");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv1\"}");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv2\"}");
        s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"host\":\"hv1\",\"device\":\"tap1\",\"mac\":\"52:54:00:00:00:01\",\"addresses\":[\"192.0.2.10\"]}");
        String hv2 = token("{\"role\":\"host\",\"host\":\"hv2\"}");
        assertThat(s.get(hv2, "/v1/hosts/hv2/ruleset").status()).isEqualTo(200);
        expectError(s.get(hv2, "/v1/hosts/hv1/ruleset"), 403, null, "own host");
        expectError(s.get(p[1], "/v1/hosts/hv1/ruleset"), 403, null, "member token may not");
        expectError(s.get(hv2, "/v1/audit"), 403, null, "host token may not");
        expectError(s.get(hv2, "/v1/watch?host=hv1&wait=0"), 403, null, "");
        expectError(s.get(hv2, "/v1/hosts/hv1/stats"), 403, null, "");
        assertThat(s.get(admin, "/v1/hosts/hv1/ruleset").text()).contains("52:54:00:00:00:01");
        assertThat(s.get(token("{\"role\":\"auditor\"}"), "/v1/hosts/hv1/ruleset").status()).isEqualTo(200);
    }

    /** Finding 7: failures from one address (a load balancer) never lock out a valid token. */
    @Test
    void badTokensFromOneAddressNeverLockOutAValidOne() {
        String[] p = s.project("lb");
        int last = 0;
        for (int i = 0; i < Auth.MAX_FAILURES + 5; i++) {
            last = s.get("stk_guess" + i, "/v1/security-groups").status();
        }
        assertThat(last).isEqualTo(429);
        assertThat(s.get(p[1], "/v1/security-groups").status()).isEqualTo(200);
        assertThat(s.get(admin, "/v1/projects").status()).isEqualTo(200);
    }

    /** Finding 5: deleting a project revokes its tokens, and its id is never given to another project. */
    @Test
    void aDeletedProjectsTokensAreRefusedAndItsIdIsNotReused() {
        String id = s.post(admin, "/v1/projects", "{\"id\":\"p-gone0001\",\"name\":\"gone\"}").json().path("id").asText();
        String member = token("{\"role\":\"member\",\"project\":\"" + id + "\"}");
        assertThat(s.get(member, "/v1/security-groups").status()).isEqualTo(200);
        assertThat(s.delete(admin, "/v1/projects/" + id).status()).isEqualTo(204);
        expectError(s.get(member, "/v1/security-groups"), 401, null, "not valid");
        expectError(s.post(member, "/v1/security-groups", "{\"name\":\"ghost\"}"), 401, null, "not valid");
        expectError(s.post(admin, "/v1/projects", "{\"id\":\"p-gone0001\",\"name\":\"gone\"}"), 409, "id", "never reused");
        assertThat(s.get(admin, "/v1/tokens").json().path("items").findValuesAsText("project")).doesNotContain(id);
    }
}
