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
        project = RawApi.post(api, "v1/projects", Map.of("name", "demo")).path("id").asText();
        RawApi.post(api, "v1/hosts", Map.of("name", "hv01"));
    }

    @AfterEach
    void down() {
        server.close();
    }

    private CliRun cli(String... args) {
        return CliRun.against(url, token, args);
    }

    @Test
    void theDatabaseExampleFromTheTerminal() throws Exception {
        assertThat(cli("group", "create", "dbclnts", "--id", "sg-dbclnts", "--project", "demo").exit()).isZero();
        CliRun created = cli("group", "create", "dbsrv", "--id", "sg-dbsrv", "--project", "demo", "--rule", "tcp:3306,3306,sg-dbclnts", "-q");
        assertThat(created.out().strip()).isEqualTo("sg-dbsrv");
        CliRun table = cli("group", "list");
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("PROJECT").contains("RULES");
        assertThat(table.out()).contains("dbsrv").contains("dbclnts").doesNotContain("sg-dbsrv").doesNotContain(project);
        CliRun wide = cli("group", "list", "-o", "wide");
        assertThat(wide.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("NAME").contains("RULES");
        assertThat(wide.out()).contains("sg-dbsrv").contains("demo (" + project + ")");
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
        assertThat(before.exit()).as("explain exits 1 when the packet is dropped").isEqualTo(1);
        assertThat(cli("vnic", "set-groups", "vif-app1", "dbclnts").out()).isEqualTo("vnic vif-app1 groups: dbclnts\n");
        CliRun after = cli("explain", "--from", "vif-app1", "--to", "vif-db1", "--proto", "tcp", "--port", "3306");
        assertThat(after.out()).startsWith("ALLOW (rule) by group dbsrv, rule sgr-");
        assertThat(after.exit()).as("explain exits 0 when the packet passes").isZero();
        assertThat(cli("explain", "--from", "vif-app1", "--to", "vif-db1", "--proto", "tcp", "--port", "3306", "--state", "established").out())
                .startsWith("ALLOW (established)");
        assertThat(cli("explain", "--from", "vif-app1", "--to", "vif-db1", "--state", "sideways").err()).contains("state").contains("got 'sideways'");
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
        CliRun badRule = cli("group", "create", "x", "--project", "demo", "--rule", "tcp:22,22,ip6:2001:db8::1/32");
        assertThat(badRule.err()).contains("did you mean 2001:db8::/32?");
        CliRun badToken = CliRun.of("group", "list", "--server", url, "--token", "nope");
        assertThat(badToken.exit()).isEqualTo(1);
        assertThat(badToken.err()).contains("the token is not valid");
        CliRun serverDown = CliRun.of("group", "list", "--server", "http://127.0.0.1:9", "--token", "x");
        assertThat(serverDown.err()).contains("cannot reach the Stockade server");
        assertThat(CliRun.of("group", "create").exit()).isEqualTo(2);
        assertThat(CliRun.of("group", "list", "-o", "xml").exit()).isEqualTo(2);
    }

    @Test
    void rulesIpSetsInstancesProjectsNetworksWatchAndContexts() throws Exception {
        assertThat(cli("group", "create", "web", "--project", "demo", "--id", "sg-web").exit()).isZero();
        assertThat(cli("group", "create", "lb", "--project", "demo").exit()).isZero();
        assertThat(cli("ipset", "create", "office", "--project", "demo", "198.51.100.0/24").exit()).isZero();
        CliRun bulk = cli("ipset", "add", "office", "198.51.100.0/24", "203.0.113.7", "2001:db8::1");
        assertThat(bulk.exit()).isEqualTo(1);
        assertThat(bulk.out()).contains("added      203.0.113.7/32").contains("duplicate  198.51.100.0/24")
                .contains("invalid    2001:db8::1: is IPv6 but the ip set is IPv4");
        assertThat(cli("rule", "add", "web", "--proto", "tcp", "--port", "443", "--from", "0.0.0.0/0").out()).contains("tcp:443,443,ip4:0.0.0.0");
        assertThat(cli("rule", "add", "web", "--proto", "tcp", "--port", "8000-8080", "--from-group", "lb").out()).contains("tcp:8000,8080,sg-");
        assertThat(cli("rule", "add", "web", "--proto", "icmp", "--icmp-type", "8", "--from-ipset", "office").out()).contains("icmp:8,-1,ip4:ips-");
        assertThat(cli("rule", "add", "web", "--egress", "--ethertype", "IPv6", "--proto", "any", "--from", "::/0").out()).contains("egress:any:-1,-1,ip6:::/0");
        assertThat(cli("rule", "add", "web", "udp:53,53,ip4:192.0.2.53").exit()).isZero();
        CliRun listed = cli("rule", "list", "web");
        assertThat(listed.out().lines().count()).isEqualTo(6);
        String ruleId = listed.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(cli("rule", "remove", "web", ruleId).exit()).isZero();
        assertThat(cli("rule", "list", "web").out().lines().count()).isEqualTo(5);
        assertThat(cli("ipset", "show", "office").out()).contains("USED BY:       web");
        assertThat(cli("ipset", "show", "office", "-o", "wide").out()).contains("web (sg-web)");
        assertThat(cli("ipset", "delete", "office").err()).contains("is used by rules of groups: sg-web");

        assertThat(cli("project", "create", "acme").out()).contains("acme");
        assertThat(cli("project", "set", "acme", "--smtp-allowed", "true").out()).startsWith("project acme changed: smtpAllowed=true (p-");
        assertThat(cli("network", "create", "prod", "--subnet", "192.0.2.0/24", "--gateway", "192.0.2.1", "--dns", "192.0.2.2").out()).startsWith("network prod created (net-");
        assertThat(cli("network", "list", "-o", "yaml").out()).contains("192.0.2.1");
        assertThat(cli("instance", "create", "vm1", "--project", "demo").exit()).isZero();
        cli("vnic", "create", "--instance", "vm1", "--mac", "52:54:00:00:00:07", "--address", "192.0.2.7");
        cli("vnic", "create", "--instance", "vm1", "--mac", "52:54:00:00:00:08", "--address", "192.0.2.8");
        CliRun set = cli("instance", "set-groups", "vm1", "web", "lb", "-o", "json");
        assertThat(new ObjectMapper().readTree(set.out()).path("vnics").findValues("securityGroups")).hasSize(2)
                .allSatisfy(g -> assertThat(g.toString()).contains("sg-web"));
        CliRun watched = cli("watch", "--since", "0", "--count", "3");
        assertThat(watched.out().lines().count()).isEqualTo(3);
        assertThat(watched.out()).contains("create project demo");

        Path config = dir.resolve("config.json");
        System.setProperty("stockade.config", config.toString());
        try {
            assertThat(CliRun.of("context", "add", "lab", "--server", url, "--token", token).exit()).isZero();
            assertThat(CliRun.of("context", "add", "other", "--server", "http://127.0.0.1:9").exit()).isZero();
            assertThat(CliRun.of("context", "list").out()).contains("* lab").contains("  other");
            assertThat(CliRun.of("group", "show", "web", "-q").out().strip()).isEqualTo("sg-web");
            assertThat(CliRun.of("context", "use", "other").exit()).isZero();
            assertThat(CliRun.of("group", "list").err()).contains("cannot reach the Stockade server at http://127.0.0.1:9");
            assertThat(CliRun.of("context", "use", "nowhere").err()).contains("no context 'nowhere'");
            assertThat(java.nio.file.Files.getPosixFilePermissions(config)).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        } finally {
            System.clearProperty("stockade.config");
        }
    }

    @Test
    void everyVerbsHelpHasAnExample() {
        List<String> missing = new ArrayList<>();
        walk(Main.commandLine(), missing);
        assertThat(missing).isEmpty();
    }

    private static void walk(picocli.CommandLine cl, List<String> missing) {
        if (cl.getSubcommands().isEmpty() || cl.getSubcommands().keySet().equals(java.util.Set.of("help"))) {
            if (!cl.getCommandName().equals("help") && !cl.getUsageMessage().contains("Example")) {
                missing.add(cl.getCommandSpec().qualifiedName());
            }
            return;
        }
        cl.getSubcommands().values().forEach(sub -> walk(sub, missing));
    }

    @Test
    void attachAndDetachOneGroup() {
        cli("group", "create", "web", "--project", "demo", "--id", "sg-web");
        cli("group", "create", "db", "--project", "demo", "--id", "sg-db");
        cli("vnic", "create", "--id", "vif-x", "--project", "demo", "--mac", "52:54:00:00:00:09", "--group", "web");
        assertThat(cli("vnic", "attach", "vif-x", "db").out()).isEqualTo("vnic vif-x groups: web,db\n");
        assertThat(cli("vnic", "attach", "vif-x", "db").err()).contains("already has group sg-db");
        assertThat(cli("vnic", "detach", "vif-x", "web", "-o", "json").out()).contains("sg-db").doesNotContain("sg-web");
        assertThat(cli("vnic", "detach", "vif-x", "web").exit()).isEqualTo(1);
    }

    @Test
    void completionAndHelpOnEveryVerb() {
        CliRun bash = CliRun.of("completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("group").contains("explain");
        for (String[] verb : List.of(new String[] {"group", "create"}, new String[] {"group", "rules", "apply"}, new String[] {"vnic", "set-groups"},
                new String[] {"explain"}, new String[] {"audit"}, new String[] {"host", "ruleset"}, new String[] {"lab"}, new String[] {"server"},
                new String[] {"rule", "add"}, new String[] {"ipset", "add"}, new String[] {"instance", "set-groups"}, new String[] {"project", "create"},
                new String[] {"network", "create"}, new String[] {"watch"}, new String[] {"context", "use"}, new String[] {"group", "rules", "edit"})) {
            List<String> args = new ArrayList<>(List.of(verb));
            args.add("--help");
            CliRun help = CliRun.of(args.toArray(String[]::new));
            assertThat(help.exit()).as(String.join(" ", verb)).isZero();
            assertThat(help.out()).as(String.join(" ", verb)).contains("Usage: stockade " + String.join(" ", verb));
        }
    }
}
