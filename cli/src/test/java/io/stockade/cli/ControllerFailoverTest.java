package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.Agent;
import io.stockade.agent.netns.Topology;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import io.stockade.store.TestPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Two controllers on one PostgreSQL and an agent that knows both: the controller the agent
 * follows goes away in the middle of a stream of changes made through the other; the agent moves
 * over and ends at exactly the last revision, and the kernel enforces the last state.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class ControllerFailoverTest {

    @Test
    void anAgentMovesToTheOtherControllerAndConverges() throws Exception {
        String db = TestPostgres.newSchema("failover");
        StockadeServer a = StockadeServer.start(ServerConfig.sqlite(Files.createTempDirectory("ctl-a"), 0).withDatabase(db));
        StockadeServer b = StockadeServer.start(ServerConfig.sqlite(Files.createTempDirectory("ctl-b"), 0).withDatabase(db));
        Topology topo = new Topology("fo" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36));
        Agent agent = null;
        try {
            String token = Files.readString(a.adminTokenFile()).strip();
            URI urlA = URI.create("http://127.0.0.1:" + a.port());
            URI urlB = URI.create("http://127.0.0.1:" + b.port());
            Api viaA = new Api(URI.create(urlA + "/"), token);
            Api viaB = new Api(URI.create(urlB + "/"), token);
            topo.addHost("hv1");
            Topology.Vm db1 = topo.addVm("db1", "hv1", "tapdb1", "52:54:00:00:03:10", List.of("192.0.2.10/24"));
            Topology.Vm app1 = topo.addVm("app1", "hv1", "tapapp1", "52:54:00:00:03:11", List.of("192.0.2.11/24"));
            topo.exec(db1.namespace(), "sh", "-c", "nc -l -k 3306 >/dev/null 2>&1 &");
            String hostToken = RawApi.post(viaA, "v1/tokens", Map.of("role", "host", "host", "hv1")).path("token").asText();
            agent = AgentCommand.build(List.of(urlA, urlB), "hv1", hostToken, "br0", List.of(), topo.hostNamespace("hv1"), Duration.ofMillis(500));
            Thread t = new Thread(agent, "agent-hv1");
            t.setDaemon(true);
            t.start();
            String project = RawApi.post(viaA, "v1/projects", Map.of("name", "fo")).path("id").asText();
            RawApi.post(viaA, "v1/security-groups", Map.of("id", "sg-dbclnts", "name", "dbclnts", "project", project));
            RawApi.post(viaA, "v1/security-groups", Map.of("id", "sg-dbsrv", "name", "dbsrv", "project", project, "rules", List.of(Map.of("text", "tcp:3306,3306,sg-dbclnts"))));
            for (int i = 0; i < 100 && viaA.get("v1/hosts").path("total").asInt() < 1; i++) {
                Thread.sleep(50);
            }
            RawApi.post(viaA, "v1/vnics", Map.of("id", "vif-db1", "project", project, "host", "hv1", "device", "tapdb1", "mac", db1.mac(), "addresses", db1.addresses(), "securityGroups", List.of("sg-dbsrv")));
            RawApi.post(viaA, "v1/vnics", Map.of("id", "vif-app1", "project", project, "host", "hv1", "device", "tapapp1", "mac", app1.mac(), "addresses", app1.addresses()));
            LabCommand.awaitApplied(viaA, "hv1");

            for (int i = 0; i < 10; i++) {
                if (i == 3) {
                    a.close();
                    a = null;
                }
                RawApi.put(viaB, "v1/vnics/vif-app1/security-groups", Map.of("securityGroups", i % 2 == 0 ? List.of("sg-dbclnts") : List.of()));
            }
            // The last change (i = 9) left app1 outside the clients group; one more puts it in.
            RawApi.put(viaB, "v1/vnics/vif-app1/security-groups", Map.of("securityGroups", List.of("sg-dbclnts")));
            LabCommand.awaitApplied(viaB, "hv1");
            assertThat(agent.appliedRevision()).isEqualTo(viaB.get("v1/hosts?name=hv1").path("items").path(0).path("desiredRevision").asLong());
            boolean connects = false;
            for (int i = 0; i < 3 && !connects; i++) {
                connects = topo.exec(app1.namespace(), "nc", "-z", "-w", "2", "192.0.2.10", "3306").ok();
            }
            assertThat(connects).as("the kernel enforces the last state").isTrue();
        } finally {
            if (agent != null) {
                agent.stop();
            }
            if (a != null) {
                a.close();
            }
            b.close();
            topo.close();
        }
    }
}
