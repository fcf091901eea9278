package io.stockade.bench;

import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on C controllers (one on the embedded SQLite store, or any number on one PostgreSQL): W
 * writer clients making membership changes as fast as they can, R reader clients listing groups,
 * A simulated agents long-polling the watch endpoint, each spread round-robin over the
 * controllers, for S seconds after 5 seconds of the same load to warm up. Meanwhile a probe measures propagation: it changes a group that only
 * the probe host's slice depends on through the first controller and times until the probe host's
 * watcher on the last controller has the update. Prints writes/s, read p50/p99, propagation
 * p50/p99, watch updates and the heap after a GC (every controller and client share this JVM).
 * Usage: {@code java -cp bench/target/benchmarks.jar io.stockade.bench.LoadBenchmark sqlite|postgres CONTROLLERS WRITERS READERS AGENTS SECONDS}
 * (PostgreSQL: {@code STOCKADE_BENCH_PG}, default the test database on 127.0.0.1; a schema of its own, dropped after).
 */
public final class LoadBenchmark {
    private static final int WARM_UP = 5;
    private static final String PG = System.getenv().getOrDefault("STOCKADE_BENCH_PG", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final List<URI> controllers = new ArrayList<>();
    private String token;

    private LoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean postgres = args[0].equals("postgres");
        int count = Integer.parseInt(args[1]);
        if (count > 1 && !postgres) {
            throw new IllegalArgumentException("several controllers need PostgreSQL");
        }
        String schema = "load_" + ProcessHandle.current().pid();
        String url = PG + (PG.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        if (postgres) {
            sql("CREATE SCHEMA " + schema);
        }
        List<StockadeServer> servers = new ArrayList<>();
        try {
            for (int c = 0; c < count; c++) {
                ServerConfig config = ServerConfig.sqlite(Files.createTempDirectory("stockade-load"), 0);
                servers.add(StockadeServer.start(postgres ? config.withDatabase(url) : config));
            }
            LoadBenchmark bench = new LoadBenchmark();
            bench.token = Files.readString(servers.get(0).adminTokenFile()).strip();
            servers.forEach(s -> bench.controllers.add(URI.create("http://127.0.0.1:" + s.port() + "/")));
            bench.run(args[0], servers, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        } finally {
            servers.forEach(StockadeServer::close);
            if (postgres) {
                sql("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private void run(String store, List<StockadeServer> servers, int writers, int readers, int agents, int seconds) throws Exception {
        setUp(writers, agents);
        long revision = servers.get(0).controller().world().revision();
        for (StockadeServer s : servers) {
            while (s.controller().world().revision() < revision) {
                Thread.sleep(50);
            }
        }
        // The first WARM_UP seconds run the same load uncounted, so that the JIT has compiled the hot paths.
        long start = System.nanoTime() + WARM_UP * 1_000_000_000L;
        long end = start + seconds * 1_000_000_000L;
        AtomicLong writes = new AtomicLong();
        AtomicLong failedWrites = new AtomicLong();
        AtomicLong updates = new AtomicLong();
        ConcurrentLinkedQueue<Long> readMicros = new ConcurrentLinkedQueue<>();
        List<Long> propagationMicros = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            URI base = controllers.get(a % controllers.size());
            String host = "hv" + a;
            threads.add(Thread.ofVirtual().start(() -> watch(base, host, end, r -> {
                if (System.nanoTime() >= start) {
                    updates.incrementAndGet();
                }
            })));
        }
        for (int w = 0; w < writers; w++) {
            URI base = controllers.get(w % controllers.size());
            int me = w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    String groups = i % 2 == 0 ? "[\"sg-a\",\"sg-b\"]" : "[\"sg-b\"]";
                    int status = call(base, "PUT", "v1/vnics/vif-" + (me * 10 + i % 10) + "/security-groups", "{\"securityGroups\":" + groups + "}");
                    if (System.nanoTime() >= start) {
                        (status == 200 ? writes : failedWrites).incrementAndGet();
                    }
                }
            }));
        }
        for (int r = 0; r < readers; r++) {
            URI base = controllers.get(r % controllers.size());
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    call(base, "GET", "v1/security-groups?limit=10", null);
                    if (t0 >= start) {
                        readMicros.add((System.nanoTime() - t0) / 1000);
                    }
                }
            }));
        }
        threads.add(Thread.ofVirtual().start(() -> probe(start, end, propagationMicros)));
        for (Thread t : threads) {
            t.join();
        }
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        List<Long> reads = sorted(readMicros);
        List<Long> propagation = sorted(propagationMicros);
        System.out.printf("store=%s controllers=%d writers=%d readers=%d agents=%d seconds=%d writes/s=%.0f failed writes=%d read p50=%.1f ms p99=%.1f ms"
                + " propagation p50=%.1f ms p99=%.1f ms (%d probes) watch updates=%d heap after GC=%d MiB%n",
                store, controllers.size(), writers, readers, agents, seconds, writes.get() / (double) seconds, failedWrites.get(),
                percentile(reads, 0.5), percentile(reads, 0.99), percentile(propagation, 0.5), percentile(propagation, 0.99), propagation.size(),
                updates.get(), heap >> 20);
    }

    /**
     * Writers toggle their vnics between groups linked by a reference rule (every write changes
     * what hosts must enforce); the probe's two groups and two vnics touch no other host's slice.
     */
    private void setUp(int writers, int agents) {
        URI first = controllers.get(0);
        call(first, "POST", "v1/projects", "{\"id\":\"p-load\",\"name\":\"load\"}");
        call(first, "POST", "v1/security-groups", "{\"id\":\"sg-a\",\"name\":\"a\",\"project\":\"p-load\"}");
        call(first, "POST", "v1/security-groups", "{\"id\":\"sg-b\",\"name\":\"b\",\"project\":\"p-load\",\"rules\":[{\"text\":\"tcp:3306,3306,sg-a\"}]}");
        for (int h = 0; h < Math.max(1, agents); h++) {
            call(first, "POST", "v1/hosts", "{\"name\":\"hv" + h + "\"}");
        }
        for (int v = 0; v < writers * 10; v++) {
            call(first, "POST", "v1/vnics", vnic("vif-" + v, v, "hv" + v % Math.max(1, agents), "sg-b"));
        }
        call(first, "POST", "v1/hosts", "{\"name\":\"probe\"}");
        call(first, "POST", "v1/hosts", "{\"name\":\"probe-peer\"}");
        call(first, "POST", "v1/security-groups", "{\"id\":\"sg-probe-src\",\"name\":\"probe-src\",\"project\":\"p-load\"}");
        call(first, "POST", "v1/security-groups", "{\"id\":\"sg-probe-dst\",\"name\":\"probe-dst\",\"project\":\"p-load\",\"rules\":[{\"text\":\"tcp:22,22,sg-probe-src\"}]}");
        call(first, "POST", "v1/vnics", vnic("vif-probe", 0xfff0, "probe", "sg-probe-dst"));
        call(first, "POST", "v1/vnics", vnic("vif-probe-peer", 0xfff1, "probe-peer", "sg-probe-dst"));
    }

    /**
     * One change at a time through the first controller: the peer vnic joins or leaves the group
     * the probe host's rule references; timed from the API call to the update at the probe host's
     * watcher on the last controller (only probe changes wake that host).
     */
    private void probe(long start, long end, List<Long> micros) {
        BlockingQueue<Long> delivered = new LinkedBlockingQueue<>();
        Thread watcher = Thread.ofVirtual().start(() -> watch(controllers.get(controllers.size() - 1), "probe", end, r -> delivered.add(System.nanoTime())));
        try {
            delivered.poll(10, TimeUnit.SECONDS);
            for (int i = 0; System.nanoTime() < end - 1_000_000_000L; i++) {
                Thread.sleep(50);
                delivered.clear();
                long t0 = System.nanoTime();
                String groups = i % 2 == 0 ? "[\"sg-probe-src\",\"sg-probe-dst\"]" : "[\"sg-probe-dst\"]";
                if (call(controllers.get(0), "PUT", "v1/vnics/vif-probe-peer/security-groups", "{\"securityGroups\":" + groups + "}") != 200) {
                    continue;
                }
                Long at = delivered.poll(10, TimeUnit.SECONDS);
                if (at != null && t0 >= start) {
                    micros.add((at - t0) / 1000);
                }
            }
            watcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch(URI base, String host, long end, java.util.function.Consumer<String> onUpdate) {
        long since = 0;
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("v1/watch?host=" + host + "&since=" + since + "&wait=2"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    since = Long.parseLong(r.body().replaceAll("(?s).*?\"revision\":(\\d+).*", "$1"));
                    onUpdate.accept(r.body());
                }
            } catch (Exception e) {
                return;
            }
        }
    }

    private static String vnic(String id, int n, String host, String group) {
        return "{\"id\":\"" + id + "\",\"project\":\"p-load\",\"host\":\"" + host + "\",\"device\":\"t" + n + "\",\"mac\":\""
                + String.format("52:54:00:%02x:%02x:%02x", n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff) + "\",\"addresses\":[\"10." + (n >> 16 & 0xff) + "."
                + (n >> 8 & 0xff) + "." + (n & 0xff) + "\"],\"securityGroups\":[\"" + group + "\"]}";
    }

    private static List<Long> sorted(java.util.Collection<Long> values) {
        List<Long> out = new ArrayList<>(values);
        Collections.sort(out);
        return out;
    }

    private static double percentile(List<Long> sortedMicros, double p) {
        return sortedMicros.isEmpty() ? 0 : sortedMicros.get(Math.min(sortedMicros.size() - 1, (int) (sortedMicros.size() * p))) / 1000.0;
    }

    private int call(URI base, String method, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void sql(String statement) throws java.sql.SQLException {
        try (var c = DriverManager.getConnection(PG); var st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
