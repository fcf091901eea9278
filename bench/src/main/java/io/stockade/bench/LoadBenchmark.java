package io.stockade.bench;

import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on one controller with the embedded store: W writer clients making membership changes as
 * fast as they can, R reader clients listing groups, and A simulated agents long-polling the
 * watch endpoint, for S seconds. Prints writes/s, read p50/p99, watch updates received and the
 * controller's heap after a GC. Usage:
 * {@code java -cp bench/target/benchmarks.jar io.stockade.bench.LoadBenchmark WRITERS READERS AGENTS SECONDS}
 */
public final class LoadBenchmark {
    private LoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int writers = Integer.parseInt(args[0]);
        int readers = Integer.parseInt(args[1]);
        int agents = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        StockadeServer server = StockadeServer.start(ServerConfig.sqlite(Files.createTempDirectory("stockade-load"), 0));
        try {
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/");
            String token = Files.readString(server.adminTokenFile()).strip();
            HttpClient http = HttpClient.newBuilder().executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
            call(http, base, token, "POST", "v1/projects", "{\"id\":\"p-load\",\"name\":\"load\"}");
            call(http, base, token, "POST", "v1/security-groups", "{\"id\":\"sg-a\",\"name\":\"a\",\"project\":\"p-load\"}");
            call(http, base, token, "POST", "v1/security-groups", "{\"id\":\"sg-b\",\"name\":\"b\",\"project\":\"p-load\",\"rules\":[{\"text\":\"tcp:3306,3306,sg-a\"}]}");
            for (int h = 0; h < Math.max(1, agents); h++) {
                call(http, base, token, "POST", "v1/hosts", "{\"name\":\"hv" + h + "\"}");
            }
            for (int v = 0; v < writers * 10; v++) {
                call(http, base, token, "POST", "v1/vnics", "{\"id\":\"vif-" + v + "\",\"project\":\"p-load\",\"host\":\"hv" + (v % Math.max(1, agents))
                        + "\",\"device\":\"t" + v + "\",\"mac\":\"" + String.format("52:54:00:%02x:%02x:%02x", v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff)
                        + "\",\"addresses\":[\"10.0." + (v >> 8 & 0xff) + "." + (v & 0xff) + "\"],\"securityGroups\":[\"sg-b\"]}");
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            AtomicLong writes = new AtomicLong();
            AtomicLong updates = new AtomicLong();
            AtomicInteger watching = new AtomicInteger();
            ConcurrentLinkedQueue<Long> readMicros = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int a = 0; a < agents; a++) {
                int host = a;
                threads.add(Thread.ofVirtual().start(() -> {
                    long since = 0;
                    watching.incrementAndGet();
                    while (System.nanoTime() < end) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("v1/watch?host=hv" + host + "&since=" + since + "&wait=2"))
                                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                since = Long.parseLong(r.body().replaceAll("(?s).*?\"revision\":(\\d+).*", "$1"));
                                updates.incrementAndGet();
                            }
                        } catch (Exception e) {
                            return;
                        }
                    }
                }));
            }
            for (int w = 0; w < writers; w++) {
                int me = w;
                threads.add(Thread.ofVirtual().start(() -> {
                    int i = 0;
                    while (System.nanoTime() < end) {
                        String vnic = "vif-" + (me * 10 + i % 10);
                        String groups = i++ % 2 == 0 ? "[\"sg-a\",\"sg-b\"]" : "[\"sg-b\"]";
                        if (call(http, base, token, "PUT", "v1/vnics/" + vnic + "/security-groups", "{\"securityGroups\":" + groups + "}") == 200) {
                            writes.incrementAndGet();
                        }
                    }
                }));
            }
            for (int r = 0; r < readers; r++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        call(http, base, token, "GET", "v1/security-groups?limit=10", null);
                        readMicros.add((System.nanoTime() - t0) / 1000);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            List<Long> reads = new ArrayList<>(readMicros);
            Collections.sort(reads);
            System.gc();
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            System.out.printf("writers=%d readers=%d agents=%d seconds=%d writes/s=%.0f read p50=%.1f ms p99=%.1f ms watch updates=%d heap after GC=%d MiB%n",
                    writers, readers, agents, seconds, writes.get() / (double) seconds,
                    reads.isEmpty() ? 0 : reads.get(reads.size() / 2) / 1000.0, reads.isEmpty() ? 0 : reads.get((int) (reads.size() * 0.99)) / 1000.0,
                    updates.get(), heap >> 20);
        } finally {
            server.close();
        }
    }

    private static int call(HttpClient http, URI base, String token, String method, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
