package io.stockade.bench;

import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An API write's latency while agents report their status (issue 22): a server on the embedded
 * store (SQLite, a sync to disk per durable write) holding {@link HttpScaleBenchmark}'s world of
 * 2,000 vnics on 100 hosts; 4 threads send {@code PUT /v1/hosts/{id}/status} for random hosts at
 * R reports a second in all, paced (as agents reporting after each change they apply), while one
 * client makes W membership changes ({@code PATCH /v1/vnics/{id}}) one after the other. One row
 * per rate, in one JVM: the rate asked, the rate sent, the write p50 / p99, the load average.
 * Usage: {@code java -cp bench/target/benchmarks.jar io.stockade.bench.StatusReportBenchmark WRITES RATE...}.
 */
public final class StatusReportBenchmark {
    private static final int VNICS = 2_000;
    private static final int HOSTS = 100;

    private StatusReportBenchmark() {}

    public static void main(String[] args) throws Exception {
        int writes = Integer.parseInt(args[0]);
        Path dir = Files.createTempDirectory("stockade-statusreports");
        try (StockadeServer server = StockadeServer.start(ServerConfig.sqlite(dir, 0))) {
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/");
            String token = Files.readString(server.adminTokenFile()).strip();
            HttpScaleBenchmark.Client client = new HttpScaleBenchmark.Client(base, token);
            client.send("POST", "v1/import", "{\"projects\":[{\"id\":\"p-0\",\"name\":\"tenant\"}]}", 201);
            client.send("PUT", "v1/projects/p-0/quota", "{\"vnics\":" + (VNICS + 10) + ",\"groups\":" + (HOSTS + 10) + "}", 200);
            client.send("POST", "v1/import", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(HttpScaleBenchmark.world(VNICS)), 201);
            for (int i = 0; i < writes; i++) {
                change(client);
            }
            for (int a = 1; a < args.length; a++) {
                int rate = Integer.parseInt(args[a]);
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong sent = new AtomicLong();
                List<Thread> reporters = new ArrayList<>();
                int threads = rate == 0 ? 0 : 4;
                for (int t = 0; t < threads; t++) {
                    HttpScaleBenchmark.Client agents = new HttpScaleBenchmark.Client(base, token);
                    long period = 4_000_000_000L / rate;
                    reporters.add(Thread.ofPlatform().start(() -> {
                        long next = System.nanoTime();
                        while (running.get()) {
                            ThreadLocalRandom r = ThreadLocalRandom.current();
                            agents.send("PUT", "v1/hosts/h-" + r.nextInt(HOSTS) + "/status", "{\"appliedRevision\":" + r.nextInt(1_000_000) + "}", 204);
                            sent.incrementAndGet();
                            next += period;
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                        }
                    }));
                }
                List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
                long t0 = System.nanoTime();
                for (int i = 0; i < writes; i++) {
                    long s = System.nanoTime();
                    change(client);
                    nanos.add(System.nanoTime() - s);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                running.set(false);
                for (Thread t : reporters) {
                    t.join();
                }
                System.out.printf("| %,d | %,.0f | %.1f / %.1f ms | %.1f |%n", rate, sent.get() / seconds, ScaleBenchmark.ms(nanos, 50), ScaleBenchmark.ms(nanos, 99),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** One random membership change: a vnic to a random group. */
    private static void change(HttpScaleBenchmark.Client client) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        client.send("PATCH", "v1/vnics/vif-" + r.nextInt(VNICS), "{\"securityGroups\":[\"sg-" + r.nextInt(HOSTS) + "\"]}", 200);
    }
}
