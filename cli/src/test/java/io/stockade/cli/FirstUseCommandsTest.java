package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a new operator meets first, against a real server: names, safe rules, hosts, tokens, watch, audit, explain, help. */
class FirstUseCommandsTest {
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
        project = cli("project", "create", "demo", "-q").out().strip();
    }

    @AfterEach
    void down() {
        server.close();
    }

    private CliRun cli(String... args) {
        return CliRun.against(url, token, args);
    }

    @Test
    void theStoreIsOwnerOnly() throws Exception {
        cli("group", "create", "web", "--project", "demo");
        for (String f : List.of("stockade.db", "stockade.db-wal", "stockade.db-shm")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(f))).as(f).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void hostsAreMadeListedShownAndDeletedByName() throws Exception {
        CliRun created = cli("host", "create", "hv01", "--uplink", "eth1");
        assertThat(created.exit()).isZero();
        assertThat(created.out()).startsWith("host hv01 created (h");
        String id = cli("host", "show", "hv01", "-q").out().strip();
        assertThat(cli("host", "list", "-q").out()).isEqualTo(id + "\n");
        assertThat(cli("host", "list").out()).startsWith("NAME").contains("hv01").contains("never seen").doesNotContain(id);
        assertThat(cli("host", "list", "-o", "wide").out()).startsWith("ID").contains(id);
        JsonNode json = new ObjectMapper().readTree(cli("host", "list", "-o", "json").out());
        assertThat(json.get(0).path("uplinks").get(0).asText()).isEqualTo("eth1");
        assertThat(cli("host", "list", "-o", "yaml").out()).contains("name: \"hv01\"");
        assertThat(cli("vnic", "create", "--id", "vif-a", "--project", "demo", "--host", "hv01", "--device", "tap0", "--mac", "52:54:00:00:00:01",
                "--address", "192.0.2.10").out()).isEqualTo("vnic vif-a created\n");
        assertThat(cli("vnic", "list", "--host", "hv01").out()).contains("vif-a").contains("hv01").contains("demo");
        assertThat(cli("host", "delete", "hv01").err()).contains("vnic");
        assertThat(cli("vnic", "delete", "vif-a").out()).isEqualTo("vnic vif-a deleted\n");
        assertThat(cli("host", "delete", "hv01").out()).isEqualTo("host hv01 deleted\n");
        assertThat(cli("host", "show", "hv01").err()).contains("no host 'hv01'");
        CliRun bare = CliRun.of("host");
        assertThat(bare.exit()).isEqualTo(2);
        assertThat(bare.err()).contains("missing subcommand (list, show, create, delete, ruleset)");
    }

    @Test
    void namesAreTakenEverywhereAndShownInsteadOfIds() throws Exception {
        cli("group", "create", "clients", "--project", "demo");
        cli("group", "create", "srv", "--project", "demo", "--rule", "tcp:3306,3306,sg-clients");
        cli("project", "create", "other");
        cli("group", "create", "elsewhere", "--project", "other");
        assertThat(cli("group", "list", "--project", "demo", "-q").out().lines()).hasSize(2);
        assertThat(cli("group", "list", "--project", project, "-q").out().lines()).hasSize(2);
        CliRun show = cli("group", "show", "srv");
        assertThat(show.out()).contains("PROJECT:       demo").contains("tcp:3306,3306,sg-clients");
        String clientsId = cli("group", "show", "clients", "-q").out().strip();
        assertThat(cli("group", "rules", "show", "srv").out()).as("the server's rule text names the group").isEqualTo("tcp:3306,3306,sg-clients\n");
        assertThat(cli("rule", "list", "srv").out()).contains("tcp:3306,3306,sg-clients");
        String uuid = io.stockade.server.neutron.NeutronIds.uuid(clientsId);
        assertThat(cli("group", "show", uuid, "-q").out()).as("a group's Neutron UUID names it too").isEqualTo(clientsId + "\n");
        assertThat(cli("rule", "add", "srv", "--proto", "tcp", "--port", "5432", "--from-group", uuid.toUpperCase()).out()).contains("tcp:5432,5432,sg-clients");
        assertThat(cli("group", "show", "00000000-0000-0000-0000-000000000000").err()).contains("no security group '00000000-0000-0000-0000-000000000000'");
        String elsewhere = cli("group", "show", "elsewhere", "-q").out().strip();
        String member = cli("token", "create", "--role", "member", "--project", "demo", "-q").out().strip();
        CliRun hidden = CliRun.of("group", "show", io.stockade.server.neutron.NeutronIds.uuid(elsewhere), "--server", url, "--token", member);
        assertThat(hidden.err()).as("another project's group stays unknown by its UUID").contains("no security group '").doesNotContain(elsewhere);

        cli("instance", "create", "vm1", "--project", "demo");
        cli("instance", "create", "vm2", "--project", "demo");
        cli("vnic", "create", "--id", "vif-b", "--instance", "vm1", "--mac", "52:54:00:00:00:02", "--address", "192.0.2.11", "--group", "srv");
        assertThat(cli("instance", "list").out()).contains("vm1").contains("vif-b").contains("srv");
        CliRun moved = cli("vnic", "set", "vif-b", "--instance", "vm2");
        assertThat(moved.out()).isEqualTo("vnic vif-b changed: instance=vm2\n");
        assertThat(cli("vnic", "show", "vif-b").out()).contains("INSTANCE:      vm2");
        assertThat(cli("vnic", "list", "--instance", "vm2", "-q").out()).isEqualTo("vif-b\n");
        assertThat(cli("vnic", "list", "--instance", "vm1", "-q").out()).isEmpty();
        assertThat(cli("vnic", "list", "--group", "srv", "--address", "192.0.2.11", "-q").out()).isEqualTo("vif-b\n");
        assertThat(cli("vnic", "list", "--address", "192.0.2.99", "-q").out()).isEmpty();
        CliRun foreign = cli("vnic", "set", "vif-b", "--instance", "nowhere");
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.err()).isEqualTo("stockade: no instance 'nowhere'\n");
        assertThat(cli("vnic", "set", "vif-b").err()).contains("nothing to change");
    }

    @Test
    void aRuleNeedsASourceAndErrorsNameTheFlags() {
        cli("group", "create", "db", "--project", "demo");
        CliRun open = cli("rule", "add", "db", "--proto", "tcp", "--port", "3306");
        assertThat(open.exit()).isEqualTo(2);
        assertThat(open.err()).contains("a rule needs a source: --from CIDR (--from any for the whole Internet), --from-group GROUP or --from-ipset IPSET");
        assertThat(cli("group", "show", "db", "-o", "json").out()).contains("\"rules\" : [ ]");
        assertThat(cli("rule", "add", "db", "--proto", "tcp", "--port", "22", "--from", "any").out()).startsWith("rule tcp:22,22,ip4:0.0.0.0 added to db (sgr-");
        assertThat(cli("rule", "add", "db", "--proto", "tcp", "--port", "22", "--from", "any", "--ethertype", "IPv6").out()).contains("tcp:22,22,ip6:::/0");
        CliRun both = cli("rule", "add", "db", "tcp:80,80,ip4:0.0.0.0", "--port", "443");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("either as RULE-TEXT or with flags, not both (got --port");
        CliRun badPort = cli("rule", "add", "db", "--proto", "tcp", "--port", "ssh", "--from", "any");
        assertThat(badPort.err()).contains("--port: expected a port or a range FROM-TO");
        CliRun badFrom = cli("rule", "add", "db", "--proto", "tcp", "--port", "22", "--from", "10.0.0.1/8");
        assertThat(badFrom.exit()).isEqualTo(1);
        assertThat(badFrom.err()).startsWith("stockade: --from: ").contains("did you mean 10.0.0.0/8?");
        CliRun badIcmp = cli("rule", "add", "db", "--proto", "icmp", "--icmp-code", "3", "--from", "any");
        assertThat(badIcmp.err()).startsWith("stockade: --icmp-code: ");
        CliRun badAddress = cli("vnic", "create", "--project", "demo", "--mac", "52:54:00:00:00:03", "--address", "192.0.2.300");
        assertThat(badAddress.err()).startsWith("stockade: --address");
        assertThat(cli("group", "show", "db", "-o", "json").out()).doesNotContain("icmp");
    }

    @Test
    void explainWatchAndAuditForScripts() throws Exception {
        cli("group", "create", "web", "--project", "demo", "--rule", "tcp:80,80,ip4:198.51.100.0/24", "--rule", "icmp:8,-1,ip4:0.0.0.0");
        cli("host", "create", "hv01");
        cli("vnic", "create", "--id", "vif-w", "--project", "demo", "--host", "hv01", "--device", "tap0", "--mac", "52:54:00:00:00:04",
                "--address", "192.0.2.20", "--group", "web");
        CliRun allowed = cli("explain", "--from", "198.51.100.7", "--to", "192.0.2.20", "--proto", "tcp", "--port", "80");
        assertThat(allowed.exit()).as(allowed.err() + allowed.out()).isZero();
        assertThat(allowed.out()).startsWith("ALLOW (rule) by group web");
        CliRun dropped = cli("explain", "--from", "203.0.113.7", "--to", "vif-w", "--proto", "tcp", "--port", "80");
        assertThat(dropped.exit()).isEqualTo(1);
        assertThat(dropped.out()).startsWith("DROP");
        assertThat(cli("explain", "--from", "203.0.113.7", "--to", "vif-w", "--proto", "icmp", "--icmp-type", "8").exit()).isZero();
        assertThat(cli("explain", "--from", "203.0.113.7", "--to", "vif-w", "--proto", "icmp", "--icmp-type", "13").exit()).isEqualTo(1);
        CliRun notAnIp = cli("explain", "--from", "not-an-ip", "--to", "vif-w");
        assertThat(notAnIp.exit()).isEqualTo(1);
        assertThat(notAnIp.err()).isEqualTo("stockade: --from: no vnic, group or IP address 'not-an-ip'\n");
        assertThat(cli("explain", "--from", "203.0.113.7", "--to", "192.0.2.99").err()).isEqualTo("stockade: --to: no vnic has the address 192.0.2.99\n");

        for (int i = 0; i < 8; i++) {
            cli("group", "create", "g" + i, "--project", "demo");
        }
        CliRun last = cli("audit", "--limit", "5");
        assertThat(last.out().lines().skip(1).toList()).hasSize(5).allSatisfy(l -> assertThat(l).contains("group"))
                .last().asString().contains("g7");
        List<Long> revisions = cli("audit", "--limit", "3", "-q").out().lines().map(Long::parseLong).toList();
        assertThat(revisions).hasSize(3).isSorted();
        assertThat(cli("audit", "--since", "0", "--limit", "1").out()).contains("create project demo");

        CompletableFuture<CliRun> watching = CompletableFuture.supplyAsync(() -> cli("watch", "--count", "2", "-o", "json"));
        CompletableFuture<CliRun> quiet = CompletableFuture.supplyAsync(() -> cli("watch", "--count", "2", "-q"));
        long before = revisions.get(2);
        for (int i = 0; i < 200 && !(watching.isDone() && quiet.isDone()); i++) {
            cli("group", "create", "w" + i, "--project", "demo");
        }
        CliRun json = watching.get();
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"action\" : \"create\"").contains("\"kind\" : \"group\"");
        assertThat(quiet.get().out().lines().toList()).hasSize(2).allSatisfy(l -> assertThat(Long.parseLong(l)).isGreaterThan(before));
    }

    @Test
    void tokensAndContexts() throws Exception {
        cli("host", "create", "hv01");
        CliRun member = cli("token", "create", "--role", "member", "--project", "demo", "--description", "ci");
        assertThat(member.exit()).isZero();
        String secret = member.out().strip();
        assertThat(secret).startsWith("stk_");
        assertThat(member.err()).contains("member token created for project demo; its secret is shown only this once");
        assertThat(CliRun.of("group", "list", "--server", url, "--token", secret).exit()).isZero();
        assertThat(cli("token", "create", "--role", "host").err()).contains("--host: a host token needs the host");
        assertThat(cli("token", "create", "--role", "host", "--host", "hv99").err()).contains("no host 'hv99'");
        assertThat(cli("token", "create", "--role", "host", "--host", "hv01", "-q").out()).startsWith("stk_");
        CliRun list = cli("token", "list");
        assertThat(list.out()).contains("member").contains("demo").contains("ci").contains("hv01").doesNotContain(secret);
        String id = list.out().lines().filter(l -> l.contains(" ci")).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(cli("token", "revoke", id).out()).isEqualTo("token " + id + " revoked\n");
        assertThat(CliRun.of("group", "list", "--server", url, "--token", secret).err()).contains("the token is not valid");

        CliRun missingFile = CliRun.of("group", "list", "--server", url, "--token-file", "/nonexistent");
        assertThat(missingFile.exit()).isEqualTo(1);
        assertThat(missingFile.err()).isEqualTo("stockade: --token-file /nonexistent: no such file\n");

        Path config = dir.resolve("config.json");
        System.setProperty("stockade.config", config.toString());
        try {
            CliRun noScheme = CliRun.of("context", "add", "prod", "--server", "ctl.example:8750");
            assertThat(noScheme.exit()).isEqualTo(2);
            assertThat(noScheme.err()).contains("--server: expected a URL starting with http:// or https://, got 'ctl.example:8750'");
            assertThat(Files.exists(config)).isFalse();
            assertThat(CliRun.of("context", "add", "lab", "--server", url, "--token", token).out()).isEqualTo("context lab added (current)\n");
            assertThat(CliRun.of("group", "list", "-q").exit()).isZero();
            assertThat(CliRun.of("context", "remove", "lab").out()).isEqualTo("context lab removed\n");
            assertThat(CliRun.of("context", "list").out()).isEmpty();
            assertThat(CliRun.of("context", "remove", "lab").err()).contains("no context 'lab'");
        } finally {
            System.clearProperty("stockade.config");
        }
    }

    @Test
    void everyOptionAndParameterIsDescribedAndHelpFitsItsWidth() {
        List<String> undescribed = new ArrayList<>();
        List<String> tooWide = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        walk(Main.commandLine(), undescribed, tooWide, broken);
        assertThat(undescribed).isEmpty();
        assertThat(tooWide).isEmpty();
        assertThat(broken).isEmpty();
    }

    private static void walk(CommandLine cl, List<String> undescribed, List<String> tooWide, List<String> broken) {
        String name = cl.getCommandSpec().qualifiedName();
        cl.getCommandSpec().options().stream().filter(o -> String.join("", o.description()).isBlank())
                .forEach(o -> undescribed.add(name + " " + o.longestName()));
        cl.getCommandSpec().positionalParameters().stream().filter(p -> String.join("", p.description()).isBlank())
                .forEach(p -> undescribed.add(name + " " + p.paramLabel()));
        for (String line : cl.getCommandSpec().usageMessage().description()) {
            if (line.length() > Main.HELP_WIDTH - 2) {
                tooWide.add(name + ": " + line);
            }
        }
        CliRun help = CliRun.of((name.replaceFirst("^stockade ?", "") + " --help").strip().split(" "));
        if (help.exit() != 0 || help.out().contains("http://127.\n")) {
            broken.add(name + ": " + help.err() + help.out());
        }
        cl.getSubcommands().values().stream().filter(sub -> !sub.getCommandName().equals("help")).forEach(sub -> walk(sub, undescribed, tooWide, broken));
    }

    @Test
    void completionOffersObjectNamesFromTheServer() {
        cli("group", "create", "web", "--project", "demo");
        cli("host", "create", "hv01");
        CliRun groups = cli("completion", "names", "security-groups");
        assertThat(groups.exit()).as(groups.err()).isZero();
        assertThat(groups.out().lines().toList()).contains("web");
        assertThat(cli("completion", "names", "hosts").out().lines().toList()).contains("hv01");
        assertThat(CliRun.of("completion", "bash").out()).contains("completion names \"$kind\"").contains("complete -F _stockade_names");
    }
}
