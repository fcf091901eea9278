package io.stockade.agent;

import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stockade.agent.nft.FakeNftables;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Transactions;
import io.stockade.core.model.HostSlice;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.testing.TestWorld;
import io.stockade.wire.WatchHub;
import io.stockade.wire.WorldJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without root: the agent's loop against a controller on real HTTP (its watch, registration and
 * status endpoints over a {@link WatchHub}) and the fake kernel: a snapshot, a change, an apply
 * the kernel refuses (then a snapshot), drift repaired, and the last state kept while no
 * controller answers.
 */
class AgentLoopTest {
    private static final World W1 = TestWorld.wakame()
            .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts")).group("sg-dbclnts")
            .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").vnic("vif-web1").build().toBuilder().revision(1).build();

    /** What one status report said. */
    private record Status(long revision, String error) {}

    private final ObjectMapper mapper = new ObjectMapper();
    private final WorldJson json = new WorldJson(mapper);
    private final List<Status> statuses = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final FakeNftables kernel = new FakeNftables();
    private WatchHub hub;
    private HttpServer server;
    private WatchClient client;
    private Agent agent;
    private Thread loop;

    @BeforeEach
    void start() throws IOException {
        hub = new WatchHub(W1, 16);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/v1/hosts/", this::hosts);
        server.createContext("/v1/watch", this::watch);
        server.start();
        int port = server.getAddress().getPort();
        client = new WatchClient(List.of(URI.create("http://127.0.0.1:" + port), URI.create("http://localhost:" + port)), "t", Duration.ofSeconds(1));
        NftDataplane plane = new NftDataplane(kernel, TestWorld.HOST, List.of("uplink0"));
        // conntrack runs in a namespace that does not exist: the sweep finds no flows and touches no host's table.
        ConntrackSweeper sweeper = new ConntrackSweeper(new Conntrack(new Shell("stockade-agent-loop-test-none")));
        agent = new Agent(new Agent.Config("test-host", "br0", List.of("uplink0"), Duration.ZERO, Duration.ofMillis(200)), client, plane, sweeper);
        loop = new Thread(agent, "agent-loop-test");
        loop.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        agent.stop();
        loop.interrupt();
        loop.join(10_000);
        server.stop(0);
        pool.shutdownNow();
    }

    private void hosts(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        JsonNode body = mapper.readTree(x.getRequestBody());
        if (path.endsWith("/agent")) {
            respond(x, 200, mapper.createObjectNode().put("id", TestWorld.HOST));
        } else {
            if (path.endsWith("/status")) {
                statuses.add(new Status(body.path("appliedRevision").asLong(), body.path("error").isNull() ? null : body.path("error").asText()));
            }
            respond(x, 200, mapper.createObjectNode());
        }
    }

    private void watch(HttpExchange x) throws IOException {
        long since = Long.parseLong(query(x, "since"));
        try {
            WatchHub.Update u = hub.next(query(x, "host"), since).get(Long.parseLong(query(x, "wait")), TimeUnit.SECONDS);
            ObjectNode o = mapper.createObjectNode().put("host", u.hostId()).put("revision", u.revision()).put("full", u.full());
            o.set(u.full() ? "world" : "diff", u.full() ? json.write(u.snapshot()) : json.writeDiff(u.diff()));
            respond(x, 200, o);
        } catch (TimeoutException e) {
            x.sendResponseHeaders(204, -1);
            x.close();
        } catch (Exception e) {
            respond(x, 500, mapper.createObjectNode().put("error", e.toString()));
        }
    }

    private static String query(HttpExchange x, String name) {
        for (String kv : x.getRequestURI().getQuery().split("&")) {
            if (kv.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no " + name);
    }

    private void respond(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] b = mapper.writeValueAsBytes(body);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    /** What the kernel holds after loading the host's slice of {@code w} from nothing. */
    private static String loaded(World w) {
        FakeNftables fresh = new FakeNftables();
        fresh.run(Transactions.full(Compiler.compile(HostSlice.of(w, TestWorld.HOST), TestWorld.HOST)));
        return fresh.dump();
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 1500; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("never happened: " + what);
    }

    private World next(World w, String vnic, String... groups) {
        WorldChange change = WorldChange.builder().vnic(w.vnics().get(vnic).withGroups(List.of(groups))).build();
        World n = w.apply(change).atRevision(w.revision() + 1);
        hub.publish(n, change);
        return n;
    }

    @Test
    void snapshotChangeRefusalDriftAndALostController() throws InterruptedException {
        String s1 = loaded(W1);
        await("the snapshot applied and reported", () -> kernel.dump().equals(s1) && statuses.contains(new Status(W1.revision(), null)));

        World w2 = next(W1, "vif-web1", "sg-dbclnts");
        String s2 = loaded(w2);
        await("a change applied and reported", () -> kernel.dump().equals(s2) && statuses.contains(new Status(w2.revision(), null)));

        kernel.refuseNext("simulated refusal");
        World w3 = next(w2, "vif-web1");
        String s3 = loaded(w3);
        await("the refusal reported", () -> statuses.stream().anyMatch(s -> s.error() != null && s.error().contains("simulated refusal")));
        assertThat(statuses.stream().filter(s -> s.error() != null).toList()).allMatch(s -> s.revision() == w2.revision());
        await("a snapshot asked for and applied after the refusal", () -> kernel.dump().equals(s3) && statuses.contains(new Status(w3.revision(), null)));

        NftObject.Set ref = new NftObject.Set(new NftObject.Table("inet", Compiler.TABLE), "ref_sg_dbclnts_v4", NftSet.Type.of("ipv4_addr"), false);
        kernel.run(Transaction.builder().flush(ref).build());
        assertThat(kernel.dump()).isNotEqualTo(s3);
        await("the drift repaired", () -> kernel.dump().equals(s3));

        server.stop(0);
        URI first = client.server();
        await("the agent failing over while no controller answers", () -> !client.server().equals(first));
        await("and back", () -> client.server().equals(first));
        assertThat(loop.isAlive()).isTrue();
        assertThat(kernel.dump()).as("the last state kept").isEqualTo(s3);
    }
}
