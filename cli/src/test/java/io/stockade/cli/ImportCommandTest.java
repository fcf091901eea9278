package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stockade export} from one real server and {@code stockade import} into another, and an import's error as the CLI shows it. */
class ImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void aWorldExportedFromOneServerImportsIntoAnother() throws Exception {
        try (StockadeServer from = StockadeServer.start(ServerConfig.sqlite(dir.resolve("a"), 0));
                StockadeServer to = StockadeServer.start(ServerConfig.sqlite(dir.resolve("b"), 0))) {
            String[] a = connection(from);
            Api api = new Api(java.net.URI.create(a[0] + "/"), a[1]);
            RawApi.post(api, "v1/projects", Map.of("name", "demo"));
            RawApi.post(api, "v1/hosts", Map.of("name", "hv01"));
            RawApi.post(api, "v1/security-groups", Map.of("name", "web", "project", "demo", "rulesText", "tcp:80,80,ip4:0.0.0.0\n"));
            RawApi.post(api, "v1/vnics", Map.of("project", "demo", "host", "hv01", "device", "tap1", "mac", "52:54:00:00:00:01", "securityGroups", java.util.List.of("web")));
            CliRun export = CliRun.of("export", "--server", a[0], "--token", a[1]);
            assertThat(export.exit()).as(export.err()).isZero();
            Path file = dir.resolve("world.json");
            Files.writeString(file, export.out());

            String[] b = connection(to);
            CliRun imported = CliRun.of("import", file.toString(), "--server", b[0], "--token", b[1]);
            assertThat(imported.exit()).as(imported.err()).isZero();
            assertThat(imported.out().strip()).matches("imported 1 projects, 1 hosts, 1 groups, 1 vnics at revision \\d+");
            var again = new ObjectMapper().readTree(CliRun.of("export", "--server", b[0], "--token", b[1]).out());
            var before = new ObjectMapper().readTree(export.out());
            assertThat(again.path("vnics")).isEqualTo(before.path("vnics"));
            assertThat(again.path("groups")).isEqualTo(before.path("groups"));

            CliRun twice = CliRun.of("import", file.toString(), "--server", b[0], "--token", b[1]);
            assertThat(twice.exit()).isEqualTo(1);
            assertThat(twice.err()).contains("projects[0].id").contains("exists");
            CliRun missing = CliRun.of("import", dir.resolve("nosuch.json").toString(), "--server", b[0], "--token", b[1]);
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).contains("no such file");
        }
    }

    private static String[] connection(StockadeServer s) throws java.io.IOException {
        return new String[] {"http://127.0.0.1:" + s.port(), Files.readString(s.adminTokenFile()).strip()};
    }
}
