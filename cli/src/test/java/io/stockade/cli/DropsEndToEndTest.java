package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.agent.netns.Topology;
import io.stockade.agent.stats.Observation;
import io.stockade.compiler.DropLog;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Server + agent + namespaces + real packets: drop logging switched on and off through the CLI,
 * a blocked connection from outside seen in {@code vnic drops} (also with {@code --follow}) and
 * {@code vnic stats}, and the agent's {@code /metrics}.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class DropsEndToEndTest {
    private Path data;
    private StockadeServer server;
    private Topology topo;
    private Api api;
    private String url;
    private String token;
    private AgentCommand.Built agent;
    private Observation observation;
    private Topology.Vm out;

    @BeforeEach
    void up() throws Exception {
        data = Files.createTempDirectory("stockade-drops");
        server = StockadeServer.start(ServerConfig.sqlite(data, 0));
        url = "http://127.0.0.1:" + server.port();
        token = Files.readString(server.adminTokenFile()).strip();
        api = new Api(URI.create(url), token);
        topo = new Topology("dr" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36));
        topo.addHost("hv1");
        Topology.Vm db1 = topo.addVm("db1", "hv1", "tapdb1", "52:54:00:00:03:10", List.of("192.0.2.10/24"));
        Topology.Vm web1 = topo.addVm("web1", "hv1", "tapweb1", "52:54:00:00:03:12", List.of("192.0.2.12/24"));
        out = topo.addOutside("out", "hv1", "uplink0", "02:00:00:00:ff:03", List.of("198.51.100.7/24"));
        // IPv4 only: no router solicitations or MLD reports between the VMs to show up among the drops.
        for (Topology.Vm vm : List.of(db1, web1, out)) {
            topo.exec(vm.namespace(), "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        }
        topo.neighbors(out, List.of(db1, web1));
        topo.onLink(out, "192.0.2.0/24");
        String hostToken = RawApi.post(api, "/v1/tokens", Map.of("role", "host", "host", "hv1")).path("token").asText();
        DropLog log = new DropLog(1000 + ThreadLocalRandom.current().nextInt(60000), 5, 10);
        agent = AgentCommand.assemble(List.of(URI.create(url)), "hv1", hostToken, "br0", List.of("uplink0"), topo.hostNamespace("hv1"),
                Duration.ofMillis(500), log);
        observation = Observation.start(agent.agent(), agent.dataplane(), agent.client(), topo.hostNamespace("hv1"),
                new Observation.Settings(log, Duration.ofMillis(300), new InetSocketAddress("127.0.0.1", 0)));
        Thread t = new Thread(agent.agent(), "agent-hv1");
        t.setDaemon(true);
        t.start();
        String project = RawApi.post(api, "/v1/projects", Map.of("name", "drops")).path("id").asText();
        RawApi.post(api, "/v1/networks", Map.of("name", "net", "subnets", List.of("192.0.2.0/24")));
        RawApi.post(api, "/v1/security-groups", Map.of("id", "sg-dbsrv", "name", "dbsrv", "project", project));
        RawApi.post(api, "/v1/security-groups", Map.of("id", "sg-web", "name", "web", "project", project));
        RawApi.putText(api, "/v1/security-groups/sg-dbsrv/rules", "tcp:22,22,ip4:0.0.0.0\n");
        for (int i = 0; i < 100 && api.get("/v1/hosts").path("total").asInt() < 1; i++) {
            Thread.sleep(50);
        }
        for (Topology.Vm vm : List.of(db1, web1)) {
            RawApi.post(api, "/v1/vnics", Map.of("id", "vif-" + vm.name(), "project", project, "host", "hv1", "device", vm.tap(), "mac", vm.mac(),
                    "addresses", vm.addresses(), "network", "net", "securityGroups", List.of(vm == db1 ? "sg-dbsrv" : "sg-web")));
        }
        LabCommand.awaitApplied(api, "hv1");
    }

    @AfterEach
    void down() {
        try {
            if (observation != null) {
                observation.close();
            }
            if (agent != null) {
                agent.agent().stop();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            if (topo != null) {
                topo.close();
            }
        }
    }

    private CliRun cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--server", url, "--token", token}, 0, all, args.length, 4);
        return CliRun.of(all);
    }

    /** A TCP connect attempt from the outside with a chosen source port (no reply expected). */
    private void connectFromOutside(String to, int port, int sport) {
        topo.exec(out.namespace(), "nc", "-z", "-w", "1", "-p", Integer.toString(sport), to, Integer.toString(port));
    }

    /** Polls the vnic's drops until one has the source port (bounded), returning it or null. */
    private JsonNode awaitDrop(String vnic, int sport, Runnable sendAgain) throws InterruptedException {
        for (int i = 0; i < 40; i++) {
            for (JsonNode d : api.get("/v1/vnics/" + vnic + "/drops?limit=1000&wait=1").path("items")) {
                if (d.path("srcPort").asInt() == sport) {
                    return d;
                }
            }
            if (sendAgain != null && i % 4 == 3) {
                sendAgain.run();
            }
        }
        return null;
    }

    @Test
    void blockedConnectionsAreCountedLoggedAndFollowed() throws Exception {
        CliRun on = cli("vnic", "log-drops", "vif-db1", "on");
        assertThat(on.exit()).as(on.err()).isZero();
        LabCommand.awaitApplied(api, "hv1");
        // The first attempts may come before tcpdump has bound the group: try again until one is logged.
        JsonNode d = awaitDrop("vif-db1", 45001, () -> connectFromOutside("192.0.2.10", 3306, 45001));
        assertThat(d).as("a logged drop of the blocked connect").isNotNull();
        assertThat(d.path("reason").asText()).isEqualTo("no-rule");
        assertThat(d.path("direction").asText()).isEqualTo("ingress");
        assertThat(d.path("src").asText() + " " + d.path("dst").asText() + ":" + d.path("dstPort").asInt()).isEqualTo("198.51.100.7 192.0.2.10:3306");
        assertThat(d.path("neededGroup").asText() + " " + d.path("neededRule").asText()).isEqualTo("sg-dbsrv tcp:3306,3306,ip4:198.51.100.7");

        CliRun drops = cli("vnic", "drops", "vif-db1", "-n", "5");
        assertThat(drops.exit()).as(drops.err()).isZero();
        assertThat(drops.out()).contains("no-rule", "198.51.100.7:45001", "192.0.2.10:3306", "sg-dbsrv: tcp:3306,3306,ip4:198.51.100.7");

        // --follow prints the last line, then waits for the next one (sent until it comes).
        Thread.sleep(1000);
        CompletableFuture<CliRun> follow = CompletableFuture.supplyAsync(() -> cli("vnic", "drops", "vif-db1", "--follow", "-n", "1", "--count", "2", "-o", "json"));
        for (int i = 0; i < 20 && !follow.isDone(); i++) {
            Thread.sleep(1000);
            connectFromOutside("192.0.2.10", 3306, 45002);
        }
        CliRun followed = follow.get(30, TimeUnit.SECONDS);
        assertThat(followed.exit()).as(followed.err()).isZero();
        assertThat(followed.out().lines().toList()).hasSize(2).last().asString().contains("\"srcPort\":45002");

        JsonNode stats = null;
        for (int i = 0; i < 50; i++) {
            stats = api.get("/v1/vnics/vif-db1/stats");
            if (stats.path("ingress").path("dropped").path("no-rule").path("packets").asLong() >= 2) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(stats.path("ingress").path("dropped").path("no-rule").path("packets").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(stats.path("logDrops").asBoolean()).isTrue();
        JsonNode host = api.get("/v1/hosts/hv1/stats");
        assertThat(host.path("updatedAt").isTextual()).as("the host's report: %s", host).isTrue();
        assertThat(host.path("dropsLost").asLong()).isZero();
        CliRun table = cli("vnic", "stats", "vif-db1");
        assertThat(table.out()).contains("drop logging on").containsPattern("ingress +drop +no-rule +[1-9]");

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + observation.metricsAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).containsPattern("stockade_vnic_packets_total\\{direction=\"ingress\",reason=\"no-rule\",verdict=\"drop\",vnic=\"vif-db1\"} [1-9]");

        // Logging off: the drops are still counted, but no line comes; web1's group logs, as a marker that lines still flow.
        assertThat(cli("vnic", "log-drops", "vif-db1", "off").exit()).isZero();
        assertThat(cli("group", "log-drops", "web", "on").exit()).isZero();
        LabCommand.awaitApplied(api, "hv1");
        connectFromOutside("192.0.2.10", 3306, 45003);
        assertThat(awaitDrop("vif-web1", 45004, () -> connectFromOutside("192.0.2.12", 80, 45004))).as("web1's drops are logged").isNotNull();
        assertThat(api.get("/v1/vnics/vif-db1/drops?limit=1000").path("items").findValues("srcPort").stream().map(JsonNode::asInt))
                .doesNotContain(45003);
        assertThat(api.get("/v1/vnics/vif-db1/stats").path("logDrops").asBoolean()).isFalse();
    }

    @Test
    void badStatsReportsAndQueriesAreRefusedNamingTheField() {
        Api.Error badRow = org.assertj.core.api.Assertions.catchThrowableOfType(Api.Error.class, () -> RawApi.put(api, "/v1/hosts/hv1/stats",
                Map.of("counters", List.of(Map.of("vnic", "vif-db1", "direction", "sideways", "verdict", "drop", "reason", "no-rule", "packets", 1, "bytes", 1)))));
        assertThat(badRow.status).isEqualTo(400);
        assertThat(badRow.field).isEqualTo("counters[0].direction");
        Api.Error badLimit = org.assertj.core.api.Assertions.catchThrowableOfType(Api.Error.class, () -> api.get("/v1/vnics/vif-db1/drops?limit=0"));
        assertThat(badLimit.status).isEqualTo(400);
        assertThat(badLimit.field).isEqualTo("limit");
    }
}
