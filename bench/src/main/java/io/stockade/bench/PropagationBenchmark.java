package io.stockade.bench;

import io.stockade.agent.Agent;
import io.stockade.agent.Conntrack;
import io.stockade.agent.ConntrackSweeper;
import io.stockade.agent.NftDataplane;
import io.stockade.agent.Shell;
import io.stockade.agent.WatchClient;
import io.stockade.agent.nft.Nftables;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import io.stockade.wire.WatchHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Propagation from the API call to "applied" on the affected hosts, for one membership change:
 * a new vnic joins a group that a server vnic's rule references. Host 0 runs a real agent with
 * real nftables in a throwaway network namespace; the other hosts are simulated watchers (long
 * polls that take in each update). Usage (root):
 * {@code java -cp bench/target/benchmarks.jar io.stockade.bench.PropagationBenchmark MEMBERS HOSTS [CHANGES]}
 */
public final class PropagationBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PropagationBenchmark() {}

    public static void main(String[] args) throws Exception {
        int members = Integer.parseInt(args[0]);
        int hosts = Integer.parseInt(args[1]);
        int changes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        String ns = "stkprop" + ProcessHandle.current().pid();
        new Shell(null).run(null, "ip", "netns", "add", ns);
        Path data = Files.createTempDirectory("stockade-prop");
        StockadeServer server = StockadeServer.start(ServerConfig.sqlite(data, 0));
        Agent agent = null;
        try {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/");
            String admin = Files.readString(server.adminTokenFile()).strip();
            String project = call(url, admin, "POST", "v1/projects", "{\"name\":\"bench\"}").replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            // Room for the members and the changes' vnics beyond the default quota (issue 21's).
            call(url, admin, "PUT", "v1/projects/" + project + "/quota", "{\"vnics\":" + (members + changes + 10) + "}");
            for (int h = 0; h < hosts; h++) {
                call(url, admin, "POST", "v1/hosts", "{\"name\":\"hv" + h + "\"}");
            }
            call(url, admin, "POST", "v1/security-groups", "{\"id\":\"sg-clients\",\"name\":\"clients\",\"project\":\"" + project + "\"}");
            call(url, admin, "POST", "v1/security-groups", "{\"id\":\"sg-srv\",\"name\":\"srv\",\"project\":\"" + project
                    + "\",\"rules\":[{\"text\":\"tcp:3306,3306,sg-clients\"}]}");
            call(url, admin, "POST", "v1/vnics", vnic(project, "vif-srv", 0, "hv0", "sg-srv"));
            for (int m = 0; m < members; m++) {
                call(url, admin, "POST", "v1/vnics", vnic(project, "vif-m" + m, m + 1, "hv" + (m % hosts), "sg-clients"));
            }
            agent = new Agent(new Agent.Config("hv0", "br0", List.of(), Duration.ofSeconds(30), Duration.ofSeconds(5)),
                    new WatchClient(List.of(url), admin, Duration.ofSeconds(20)),
                    new NftDataplane(Nftables.open(new Shell(ns)), "hv0", List.of()), new ConntrackSweeper(new Conntrack(new Shell(ns))));
            Thread t = new Thread(agent, "agent-hv0");
            t.setDaemon(true);
            t.start();
            List<AtomicLong> simulated = new ArrayList<>();
            for (int h = 1; h < hosts; h++) {
                simulated.add(simulate(server.hub(), server.controller().world().hosts().values().stream()
                        .filter(x -> x.name().equals("hv" + (simulated.size() + 1))).findFirst().orElseThrow().id()));
            }
            await(agent, server.controller().world().revision());
            List<Long> micros = new ArrayList<>();
            for (int c = 0; c < changes; c++) {
                String id = "vif-new" + c;
                String host = "hv" + (c % hosts);
                call(url, admin, "POST", "v1/vnics", vnic(project, id, 100_000 + c, host, "sg-web-none"));
                // The timed change starts from a quiet agent: a new vnic of hv0 applied first (one of another host is not hv0's).
                if (host.equals("hv0")) {
                    await(agent, server.controller().world().revision());
                }
                long start = System.nanoTime();
                call(url, admin, "PUT", "v1/vnics/" + id + "/security-groups", "{\"securityGroups\":[\"sg-clients\"]}");
                long rev = server.controller().world().revision();
                await(agent, rev);
                micros.add((System.nanoTime() - start) / 1000);
            }
            Collections.sort(micros);
            System.out.printf("members=%d hosts=%d changes=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n", members, hosts, changes,
                    micros.get(micros.size() / 2) / 1000.0, micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1)) / 1000.0,
                    micros.get(micros.size() - 1) / 1000.0);
        } finally {
            if (agent != null) {
                agent.stop();
            }
            server.close();
            new Shell(null).run(null, "ip", "netns", "del", ns);
        }
    }

    /** A watcher standing for a host's agent: follows the hub, taking in each update. */
    private static AtomicLong simulate(WatchHub hub, String hostId) {
        AtomicLong rev = new AtomicLong();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    rev.set(hub.next(hostId, rev.get()).get().revision());
                } catch (Exception e) {
                    return;
                }
            }
        }, "watch-" + hostId);
        t.setDaemon(true);
        t.start();
        return rev;
    }

    /**
     * Waits for the agent to apply the revision, looking every 50 µs: parked between looks, so the
     * wait does not take a core from the agent and the server (spinning did, on a 2-core machine).
     */
    private static void await(Agent agent, long revision) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (agent.appliedRevision() < revision) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not apply revision " + revision);
            }
            LockSupport.parkNanos(50_000);
        }
    }

    private static String vnic(String project, String id, int n, String host, String group) {
        String groups = group.equals("sg-web-none") ? "[]" : "[\"" + group + "\"]";
        return "{\"id\":\"" + id + "\",\"project\":\"" + project + "\",\"host\":\"" + host + "\",\"device\":\"t" + n + "\",\"mac\":\""
                + String.format("52:54:%02x:%02x:%02x:%02x", (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
                + "\",\"addresses\":[\"10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff) + "\"],\"securityGroups\":" + groups + "}";
    }

    private static String call(URI base, String token, String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

}
