package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import java.io.File;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * PostgreSQL goes away and comes back: meanwhile writes get a clear 503 and change nothing; then
 * the controller reconnects by itself and everything written before is there. Needs root and
 * the machine's pg_ctlcluster (CI has both).
 */
@EnabledIf("canRestart")
class PostgresRestartTest {
    static boolean canRestart() {
        return "root".equals(System.getProperty("user.name")) && new File("/etc/postgresql").isDirectory()
                && new File("/usr/bin/pg_ctlcluster").canExecute();
    }

    private static void cluster(String action) throws Exception {
        String version = new File("/etc/postgresql").list()[0];
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("pg_ctlcluster %s: %s", action, out).isZero();
    }

    @Test
    void writesGetA503WhileTheDatabaseIsAwayAndNothingIsLost() throws Exception {
        try (TestServer s = new TestServer("postgres", Policy.wakame())) {
            String[] p = s.project("pg");
            assertThat(s.post(p[1], "/v1/security-groups", "{\"name\":\"before\"}").status()).isEqualTo(201);
            long revision = s.get(s.adminToken, "/healthz").json().path("revision").asLong();
            cluster("stop");
            try {
                TestServer.Response down = s.post(p[1], "/v1/security-groups", "{\"name\":\"during\"}");
                assertThat(down.status()).isEqualTo(503);
                assertThat(down.json().path("error").path("message").asText()).contains("store");
                assertThat(s.get(null, "/healthz").status()).isEqualTo(503);
            } finally {
                cluster("start");
            }
            TestServer.Response after = null;
            for (int i = 0; i < 40; i++) {
                after = s.post(p[1], "/v1/security-groups", "{\"name\":\"after\"}");
                if (after.status() == 201) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(after.status()).as(after.text()).isEqualTo(201);
            assertThat(s.get(s.adminToken, "/healthz").json().path("revision").asLong()).isEqualTo(revision + 1);
            assertThat(s.get(p[1], "/v1/security-groups").json().path("items").findValuesAsText("name")).containsExactlyInAnyOrder("before", "after");
        }
    }

}
