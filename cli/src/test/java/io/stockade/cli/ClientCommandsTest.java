package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client verbs against a real server: output formats, exit codes and error messages. */
class ClientCommandsTest {
    @TempDir
    Path dir;
    StockadeServer server;
    String url;
    String token;
    String project;

    @BeforeEach
    void up() throws Exception {
        server = StockadeServer.start(ServerConfig.sqlite(dir, 0));
        url = "http://127.0.0.1:" + server.port();
        token = Files.readString(server.adminTokenFile()).strip();
        Api api = new Api(java.net.URI.create(url + "/"), token);
        project = api.post("v1/projects", Map.of("name", "demo")).path("id").asText();
        api.post("v1/hosts", Map.of("name", "hv01"));
    }

    @AfterEach
    void down() {
        server.close();
    }

    private CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", url, "--token", token));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void theDatabaseExampleFromTheTerminal() throws Exception {
        assertThat(cli("group", "create", "dbclnts", "--id", "sg-dbclnts", "--project", "demo").exit()).isZero();
        CliRun created = cli("group", "create", "dbsrv", "--id", "sg-dbsrv", "--project", "demo", "--rule", "tcp:3306,3306,sg-dbclnts", "-q");
        assertThat(created.out().strip()).isEqualTo("sg-dbsrv");
        CliRun table = cli("group", "list");
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("NAME").contains("RULES");
        assertThat(table.out()).contains("sg-dbsrv").contains("dbclnts");
        var json = new ObjectMapper().readTree(cli("group", "list", "-o", "json").out());
        List<String> ids = new ArrayList<>();
        json.forEach(g -> ids.add(g.path("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder("sg-dbclnts", "sg-dbsrv");
        assertThat(cli("group", "show", "dbsrv", "-o", "yaml").out()).contains("id: \"sg-dbsrv\"").contains("text: \"tcp:3306,3306,sg-dbclnts\"");
        assertThat(cli("group", "show", "dbsrv").out()).contains("rules:").contains("tcp:3306,3306,sg-dbclnts");

        Path rules = dir.resolve("rules.txt");
        Files.writeString(rules, "tcp:3306,3306,sg-dbclnts\ntcp:22,22,ip4:0.0.0.0\n");
        CliRun dry = cli("group", "rules", "apply", "dbsrv", rules.toString(), "--dry-run");
        assertThat(dry.out()).isEqualTo("+ tcp:22,22,ip4:0.0.0.0\n");
        assertThat(cli("group", "rules", "show", "dbsrv").out()).isEqualTo("tcp:3306,3306,sg-dbclnts\n");
        assertThat(cli("group", "rules", "apply", "dbsrv", rules.toString()).exit()).isZero();
        assertThat(cli("group", "rules", "show", "dbsrv").out()).isEqualTo("tcp:3306,3306,sg-dbclnts\ntcp:22,22,ip4:0.0.0.0\n");

        assertThat(cli("vnic", "create", "--id", "vif-db1", "--project", "demo", "--mac", "52:54:00:00:00:01", "--address", "192.0.2.10", "--group", "dbsrv",
                "--host", "hv01", "--device", "tap1").exit()).isZero();
        assertThat(cli("vnic", "create", "--id", "vif-app1", "--project", "demo", "--mac", "52:54:00:00:00:02", "--address", "192.0.2.11",
                "--host", "hv01", "--device", "tap2").exit()).isZero();
        CliRun before = cli("explain", "--from", "vif-app1", "--to", "vif-db1", "--proto", "tcp", "--port", "3306");
        assertThat(before.out()).startsWith("DROP (isolation)");
        assertThat(cli("vnic", "set-groups", "vif-app1", "dbclnts").out()).contains("sg-dbclnts");
        CliRun after = cli("explain", "--from", "vif-app1", "--to", "vif-db1", "--proto", "tcp", "--port", "3306");
        assertThat(after.out()).startsWith("ALLOW (rule) by group sg-dbsrv");
        assertThat(cli("audit").out()).contains("set groups of vnic vif-app1");
    }

    @Test
    void errorsAreShownAsTheServerSaysThemWithTheField() throws Exception {
        cli("group", "create", "dup", "--project", "demo");
        cli("group", "create", "dup", "--project", "demo");
        CliRun ambiguous = cli("group", "show", "dup");
        assertThat(ambiguous.exit()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("the name 'dup' matches 2 security groups: sg-");
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "tcp:22,22,ip4:0.0.0.0\ntcp:22,99999,ip4:0.0.0.0\n");
        cli("group", "create", "web", "--project", "demo");
        CliRun invalid = cli("group", "rules", "apply", "web", bad.toString());
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("stockade: rules: 2:8: out of range port number 99999");
        CliRun badRule = cli("group", "create", "x", "--project", "demo", "--rule", "tcp:22,22,ip4:10.0.0.1/8");
        assertThat(badRule.err()).contains("did you mean 10.0.0.0/8?");
        CliRun badToken = CliRun.of("group", "list", "--server", url, "--token", "nope");
        assertThat(badToken.exit()).isEqualTo(1);
        assertThat(badToken.err()).contains("the token is not valid");
        CliRun serverDown = CliRun.of("group", "list", "--server", "http://127.0.0.1:9", "--token", "x");
        assertThat(serverDown.err()).contains("cannot reach the Stockade server");
        assertThat(CliRun.of("group", "create").exit()).isEqualTo(2);
        assertThat(CliRun.of("group", "list", "-o", "xml").exit()).isEqualTo(2);
    }

    @Test
    void completionAndHelpOnEveryVerb() {
        CliRun bash = CliRun.of("completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("group").contains("explain");
        for (String[] verb : List.of(new String[] {"group", "create"}, new String[] {"group", "rules", "apply"}, new String[] {"vnic", "set-groups"},
                new String[] {"explain"}, new String[] {"audit"}, new String[] {"host", "ruleset"}, new String[] {"lab"}, new String[] {"server"})) {
            List<String> args = new ArrayList<>(List.of(verb));
            args.add("--help");
            CliRun help = CliRun.of(args.toArray(String[]::new));
            assertThat(help.exit()).as(String.join(" ", verb)).isZero();
            assertThat(help.out()).as(String.join(" ", verb)).contains("Usage: stockade " + String.join(" ", verb));
        }
    }
}
