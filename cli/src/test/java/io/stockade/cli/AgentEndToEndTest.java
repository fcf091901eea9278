package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.Agent;
import io.stockade.agent.Shell;
import io.stockade.agent.netns.Topology;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Server + agents + namespaces + real packets: two hosts joined by an uplink, an agent each, and
 * the changes of the Wakame-vdc database example made through the API.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class AgentEndToEndTest {
    private Path data;
    private StockadeServer server;
    private Topology topo;
    private Api api;
    private URI url;
    private String project;
    private final Agent[] agents = new Agent[2];
    private Topology.Vm db1;
    private Topology.Vm app1;
    private Topology.Vm web1;

    @BeforeEach
    void up() throws Exception {
        data = Files.createTempDirectory("stockade-e2e");
        server = StockadeServer.start(ServerConfig.sqlite(data, 0));
        url = URI.create("http://127.0.0.1:" + server.port());
        api = new Api(url, Files.readString(server.adminTokenFile()).strip());
        topo = new Topology("e2e" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36));
        topo.addHost("hv1");
        topo.addHost("hv2");
        topo.addUplink("hv1", "hv2", "uplink0");
        db1 = topo.addVm("db1", "hv1", "tapdb1", "52:54:00:00:02:10", List.of("192.0.2.10/24"));
        app1 = topo.addVm("app1", "hv2", "tapapp1", "52:54:00:00:02:11", List.of("192.0.2.11/24"));
        web1 = topo.addVm("web1", "hv1", "tapweb1", "52:54:00:00:02:12", List.of("192.0.2.12/24"));
        topo.exec(db1.namespace(), "sh", "-c", "nc -l -k 3306 >/dev/null 2>&1 &");
        startAgent(0);
        startAgent(1);
        project = RawApi.post(api, "/v1/projects", Map.of("name", "e2e")).path("id").asText();
        RawApi.post(api, "/v1/networks", Map.of("name", "net", "subnets", List.of("192.0.2.0/24")));
        RawApi.post(api, "/v1/security-groups", Map.of("id", "sg-dbclnts", "name", "dbclnts", "project", project));
        RawApi.post(api, "/v1/security-groups", Map.of("id", "sg-web", "name", "web", "project", project));
        RawApi.post(api, "/v1/security-groups", Map.of("id", "sg-dbsrv", "name", "dbsrv", "project", project));
        RawApi.putText(api, "/v1/security-groups/sg-dbsrv/rules", "tcp:3306,3306,sg-dbclnts\n");
        awaitHosts();
        vnic(db1, "hv1", "sg-dbsrv");
        vnic(app1, "hv2", "sg-dbclnts");
        vnic(web1, "hv1", "sg-web");
        awaitApplied();
    }

    private void startAgent(int i) throws Exception {
        String host = "hv" + (i + 1);
        String token = RawApi.post(api, "/v1/tokens", Map.of("role", "host", "host", host)).path("token").asText();
        agents[i] = AgentCommand.build(List.of(url), host, token, "br0", List.of("uplink0"), topo.hostNamespace(host), Duration.ofMillis(500));
        Thread t = new Thread(agents[i], "agent-" + host);
        t.setDaemon(true);
        t.start();
    }

    private void vnic(Topology.Vm vm, String host, String group) {
        RawApi.post(api, "/v1/vnics", Map.of("id", "vif-" + vm.name(), "project", project, "host", host, "device", vm.tap(), "mac", vm.mac(), "addresses", vm.addresses(),
                "network", "net", "securityGroups", List.of(group)));
    }

    private void awaitHosts() throws InterruptedException {
        for (int i = 0; i < 100 && api.get("/v1/hosts").path("total").asInt() < 2; i++) {
            Thread.sleep(50);
        }
    }

    private void awaitApplied() throws InterruptedException {
        LabCommand.awaitApplied(api, "hv1");
        LabCommand.awaitApplied(api, "hv2");
    }

    @AfterEach
    void down() {
        try {
            for (Agent a : agents) {
                if (a != null) {
                    a.stop();
                }
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

    /**
     * Connects within a few seconds, as a client that retries does: a VM whose ARP for the
     * server failed a moment ago (while it was isolated) needs a second try.
     */
    private boolean connectsSoon(Topology.Vm from, Topology.Vm to, int port) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            if (connects(from, to, port)) {
                return true;
            }
            Thread.sleep(300);
        }
        return false;
    }

    private boolean connects(Topology.Vm from, Topology.Vm to, int port) {
        return topo.exec(from.namespace(), "nc", "-z", "-w", "2", to.addresses().get(0), Integer.toString(port)).ok();
    }

    @Test
    void referencesAcrossHostsAndMembershipChanges() throws Exception {
        assertThat(connects(app1, db1, 3306)).as("app1 on hv2 reaches db1 on hv1 through the uplink\n%s\n%s",
                topo.hostShell("hv1").run(null, "nft", "list", "ruleset").out(), topo.hostShell("hv2").run(null, "nft", "list", "ruleset").out()).isTrue();
        assertThat(connects(web1, db1, 3306)).isFalse();
        assertThat(connects(db1, app1, 3306)).isFalse();
        RawApi.put(api, "/v1/vnics/vif-web1/security-groups", Map.of("securityGroups", List.of("sg-web", "sg-dbclnts")));
        awaitApplied();
        assertThat(connectsSoon(web1, db1, 3306)).as("web1 joined the clients").isTrue();
        RawApi.put(api, "/v1/vnics/vif-app1/security-groups", Map.of("securityGroups", List.of()));
        awaitApplied();
        assertThat(connects(app1, db1, 3306)).isFalse();
    }

    @Test
    void removingTheRuleCutsAnOpenConnection() throws Exception {
        // A long-lived connection from app1 that writes every 100 ms; db1 counts what arrives.
        new Shell(db1.namespace()).run("table netdev probe {\n chain in3306 {\n type filter hook ingress device eth0 priority 0;\n tcp dport 3306 counter\n }\n}\n",
                "nft", "-f", "-");
        topo.exec(app1.namespace(), "sh", "-c", "(while sleep 0.1; do echo x; done) 2>/dev/null | nc 192.0.2.10 3306 >/dev/null 2>&1 &");
        Shell hv1 = topo.hostShell("hv1");
        Thread.sleep(500);
        assertThat(hv1.run(null, "conntrack", "-L", "-p", "tcp", "--dport", "3306").out()).contains("ESTABLISHED");
        assertThat(bytesIntoDb1()).as("the connection carries data before the cut").isPositive();
        RawApi.putText(api, "/v1/security-groups/sg-dbsrv/rules", "#\n");
        awaitApplied();
        Thread.sleep(300);
        assertThat(hv1.run(null, "conntrack", "-L", "-p", "tcp", "--dport", "3306", "--state", "ESTABLISHED").out())
                .as("the revoked flow's entry is gone").doesNotContain("dport=3306");
        long before = bytesIntoDb1();
        Thread.sleep(800);
        assertThat(bytesIntoDb1()).as("nothing of the cut connection reaches db1").isEqualTo(before);
    }

    /** TCP packets to port 3306 that reached db1's eth0, counted inside db1. */
    private long bytesIntoDb1() {
        String out = topo.exec(db1.namespace(), "nft", "list", "chain", "netdev", "probe", "in3306").out();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets (\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void aFlushedTableIsRepairedAndStateIsKeptWithoutController() throws Exception {
        Shell hv1 = topo.hostShell("hv1");
        long repaired = agents[0].repairs();
        hv1.run(null, "nft", "flush", "ruleset");
        // The agent checks about every second when idle (a 500 ms drift check after a watch of at
        // least a second), and a check of a changed kernel is quick: it may repair before
        // a connection could show the gap, so the test waits for the repair itself.
        for (int i = 0; i < 100 && agents[0].repairs() == repaired; i++) {
            Thread.sleep(50);
        }
        assertThat(agents[0].repairs()).as("the agent found the flushed table and repaired it").isGreaterThan(repaired);
        assertThat(connects(web1, db1, 3306)).as("the agent repaired the table").isFalse();
        assertThat(connects(app1, db1, 3306)).isTrue();
        // The controller goes away: the last good state stays in force.
        server.close();
        server = null;
        Thread.sleep(1000);
        assertThat(connects(app1, db1, 3306)).isTrue();
        assertThat(connects(web1, db1, 3306)).isFalse();
    }

    @Test
    void deletingAGroupIsRefusedWhileInUseThenFollowedByTheHosts() throws Exception {
        Api.Error refused = org.assertj.core.api.Assertions.catchThrowableOfType(Api.Error.class, () -> RawApi.delete(api, "/v1/security-groups/sg-dbclnts"));
        assertThat(refused.status).isEqualTo(409);
        assertThat(refused.getMessage()).contains("vif-app1").contains("sg-dbsrv");
        RawApi.putText(api, "/v1/security-groups/sg-dbsrv/rules", "tcp:22,22,ip4:0.0.0.0\n");
        RawApi.put(api, "/v1/vnics/vif-app1/security-groups", Map.of("securityGroups", List.of()));
        RawApi.delete(api, "/v1/security-groups/sg-dbclnts");
        awaitApplied();
        assertThat(topo.hostShell("hv1").run(null, "nft", "list", "ruleset").out()).doesNotContain("sg_dbclnts");
        assertThat(connects(app1, db1, 3306)).isFalse();
    }

    @Test
    void aRestartedControllerIsFoundAgain() throws Exception {
        int port = server.port();
        server.close();
        Thread.sleep(700);
        server = StockadeServer.start(ServerConfig.sqlite(data, port));
        RawApi.put(api, "/v1/vnics/vif-web1/security-groups", Map.of("securityGroups", List.of("sg-dbclnts")));
        awaitApplied();
        assertThat(connectsSoon(web1, db1, 3306)).isTrue();
    }

    @Test
    void anAgentRestartOpensNothingAndConverges() throws Exception {
        agents[0].stop();
        Thread.sleep(700);
        assertThat(connects(web1, db1, 3306)).isFalse();
        assertThat(connects(app1, db1, 3306)).isTrue();
        RawApi.put(api, "/v1/vnics/vif-web1/security-groups", Map.of("securityGroups", List.of("sg-dbclnts")));
        startAgent(0);
        awaitApplied();
        assertThat(connectsSoon(web1, db1, 3306)).isTrue();
    }

    @Test
    void aVnicMovingHostsGetsTrafficOnlyOnceItsRulesAreThere() throws Exception {
        // web1's tap moves to hv2 before the controller knows: hv2 drops the unknown port.
        topo.exec(topo.hostNamespace("hv1"), "ip", "link", "set", "tapweb1", "netns", topo.hostNamespace("hv2"));
        topo.exec(topo.hostNamespace("hv2"), "ip", "link", "set", "tapweb1", "master", "br0", "up");
        RawApi.put(api, "/v1/vnics/vif-web1/security-groups", Map.of("securityGroups", List.of("sg-dbclnts")));
        awaitApplied();
        assertThat(connects(web1, db1, 3306)).as("hv2 does not know tapweb1 yet").isFalse();
        RawApi.patch(api, "/v1/vnics/vif-web1", Map.of("host", "hv2"));
        awaitApplied();
        assertThat(connectsSoon(web1, db1, 3306)).isTrue();
    }
}
