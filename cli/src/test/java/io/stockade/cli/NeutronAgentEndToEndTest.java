package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.agent.Agent;
import io.stockade.agent.netns.Topology;
import io.stockade.core.policy.Policy;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import io.stockade.server.neutron.OpenstackClient;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The openstack client and the native API on one group, enforced by a real agent on real
 * packets: a group made and attached with {@code openstack}, a rule added through /v1, a rule
 * deleted and another added with {@code openstack}.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class NeutronAgentEndToEndTest {
    private StockadeServer server;
    private Topology topo;
    private Agent agent;
    private Api api;
    private Api memberApi;
    private OpenstackClient os;
    private String token;
    private Topology.Vm db1;
    private Topology.Vm app1;

    @BeforeEach
    void up() throws Exception {
        assumeTrue(Files.isExecutable(OpenstackClient.BINARY), "needs the openstack client at /usr/bin/openstack (Debian package python3-openstackclient)");
        server = StockadeServer.start(ServerConfig.sqlite(Files.createTempDirectory("stockade-neutron-e2e"), 0).withPolicy(Policy.profile(Policy.OPENSTACK)));
        URI url = URI.create("http://127.0.0.1:" + server.port());
        api = new Api(url, Files.readString(server.adminTokenFile()).strip());
        topo = new Topology("ne" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36));
        topo.addHost("hv1");
        db1 = topo.addVm("db1", "hv1", "tapndb1", "52:54:00:00:03:10", List.of("192.0.2.20/24"));
        app1 = topo.addVm("app1", "hv1", "tapnapp1", "52:54:00:00:03:11", List.of("192.0.2.21/24"));
        topo.exec(db1.namespace(), "sh", "-c", "nc -l -k 3306 >/dev/null 2>&1 &");
        String hostToken = RawApi.post(api, "/v1/tokens", Map.of("role", "host", "host", "hv1")).path("token").asText();
        agent = AgentCommand.build(List.of(url), "hv1", hostToken, "br0", List.of(), topo.hostNamespace("hv1"), Duration.ofMillis(500));
        Thread t = new Thread(agent, "agent-hv1");
        t.setDaemon(true);
        t.start();
        String project = RawApi.post(api, "/v1/projects", Map.of("name", "e2e")).path("id").asText();
        token = RawApi.post(api, "/v1/tokens", Map.of("role", "member", "project", project)).path("token").asText();
        memberApi = new Api(url, token);
        RawApi.post(api, "/v1/networks", Map.of("name", "net", "subnets", List.of("192.0.2.0/24")));
        for (int i = 0; i < 100 && api.get("/v1/hosts").path("total").asInt() < 1; i++) {
            Thread.sleep(50);
        }
        for (Topology.Vm vm : List.of(db1, app1)) {
            // Placing a vnic on a host is the admin's (or the orchestrator's); the project's member then shapes its firewall.
            RawApi.post(api, "/v1/vnics", Map.of("project", project, "name", vm.name(), "host", "hv1", "device", vm.tap(), "mac", vm.mac(),
                    "addresses", vm.addresses(), "network", "net"));
        }
        os = new OpenstackClient(url);
    }

    @AfterEach
    void down() {
        try {
            if (agent != null) {
                agent.stop();
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

    private JsonNode openstack(String... args) {
        OpenstackClient.Result r = os.run(token, args);
        assertThat(r.exit()).as("openstack %s: %s", String.join(" ", args), r.err()).isZero();
        return r.out().isBlank() ? null : r.json();
    }

    private boolean connects() throws InterruptedException {
        LabCommand.awaitApplied(api, "hv1");
        return topo.exec(app1.namespace(), "nc", "-z", "-w", "2", "192.0.2.20", "3306").ok();
    }

    @Test
    void theOpenstackClientAndTheNativeApiShapeOneFirewall() throws Exception {
        openstack("security group create", "dbsrv", "-f", "json");
        openstack("security group create", "clients", "-f", "json");
        openstack("port set", "--security-group", "dbsrv", "db1");
        openstack("port set", "--security-group", "clients", "app1");
        assertThat(connects()).as("no rule lets app1 in yet").isFalse();

        RawApi.post(memberApi, "/v1/security-groups/dbsrv/rules", Map.of("protocol", "tcp", "portRangeMin", 3306, "portRangeMax", 3306, "remoteGroup", "clients"));
        assertThat(connects()).as("the native API's reference rule opens 3306 to the clients").isTrue();

        JsonNode rules = openstack("security group rule list", "dbsrv", "-f", "json");
        String ref = null;
        for (JsonNode r : rules) {
            if (r.path("Port Range").asText().equals("3306:3306")) {
                ref = r.path("ID").asText();
            }
        }
        assertThat(ref).as("the rule added through /v1, seen by the openstack client: %s", rules).isNotNull();
        openstack("security group rule delete", ref);
        assertThat(connects()).as("deleted with the openstack client").isFalse();

        openstack("security group rule create", "--protocol", "tcp", "--dst-port", "3306", "--remote-ip", "192.0.2.21/32", "dbsrv", "-f", "json");
        assertThat(connects()).as("a CIDR rule made with the openstack client").isTrue();
        openstack("port unset", "--security-group", "dbsrv", "db1");
        assertThat(connects()).as("db1 in no group: everything dropped").isFalse();
    }
}
