package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real server on a free port. */
class HostCommandTest {
    @Test
    void hostListAndRuleset(@TempDir Path dir) throws Exception {
        try (StockadeServer server = StockadeServer.start(ServerConfig.sqlite(dir, 0))) {
            String url = "http://127.0.0.1:" + server.port();
            String token = Files.readString(server.adminTokenFile()).strip();
            Api api = new Api(java.net.URI.create(url + "/"), token);
            String p = RawApi.post(api, "v1/projects", Map.of("name", "p")).path("id").asText();
            RawApi.post(api, "v1/hosts", Map.of("name", "hv01", "uplinks", List.of("eth1")));
            RawApi.post(api, "v1/security-groups", Map.of("id", "sg-web", "name", "web", "project", p, "rules", List.of(Map.of("text", "tcp:80,80,ip4:0.0.0.0"))));
            RawApi.post(api, "v1/vnics", Map.of("project", p, "host", "hv01", "device", "tap1", "mac", "52:54:00:00:00:01", "addresses", List.of("192.0.2.10"),
                    "securityGroups", List.of("sg-web")));
            CliRun list = CliRun.of("host", "list", "--server", url, "--token", token);
            assertThat(list.exit()).isZero();
            assertThat(list.out()).contains("hv01").contains("never seen");
            CliRun ruleset = CliRun.of("host", "ruleset", "hv01", "--server", url, "--token", token);
            assertThat(ruleset.exit()).isZero();
            assertThat(ruleset.out()).contains("add rule inet stockade in_vif_")
                    .contains("add element inet stockade in_sg_web_4px_any { 6 . 80 }", "\"eth1\" : accept");
            CliRun missing = CliRun.of("host", "ruleset", "hv99", "--server", url, "--token", token);
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).contains("no host 'hv99'");
            CliRun badToken = CliRun.of("host", "list", "--server", url, "--token", "nope");
            assertThat(badToken.exit()).isEqualTo(1);
            assertThat(badToken.err()).contains("the token is not valid");
        }
        CliRun down = CliRun.of("host", "list", "--server", "http://127.0.0.1:9", "--token", "x");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach the Stockade server at http://127.0.0.1:9");
    }
}
