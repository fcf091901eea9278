package io.stockade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FINDINGS.md's measurement of issue 22, over HTTP: one server on its embedded SQLite store, 100
 * hosts, 100 networks (a /16 each), 100 groups of one project whose rule text references the next
 * group ({@code tcp:5432,5432,<next>}), V vnics each with an address and one group, a group's
 * members on one host and one network. The world is loaded with {@code POST /v1/import}; then
 * random membership changes ({@code PATCH /v1/vnics/{id}} with {@code securityGroups}) from 8
 * threads over keep-alive connections for S seconds, then N changes one at a time; no agent
 * watches. Prints one table row: changes/s with 8 connections, one-at-a-time p50 and p99, live
 * heap after a full collection (the server runs in this process; the client holds little).
 * Usage: {@code java -Xmx8g -cp bench/target/benchmarks.jar io.stockade.bench.HttpScaleBenchmark VNICS [SECONDS] [SERIAL]}
 */
public final class HttpScaleBenchmark {
    static final int GROUPS = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HttpScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        int vnics = Integer.parseInt(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int serial = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Path dir = Files.createTempDirectory("stockade-httpscale");
        try (StockadeServer server = StockadeServer.start(ServerConfig.sqlite(dir, 0))) {
            Client client = new Client(URI.create("http://127.0.0.1:" + server.port() + "/"), Files.readString(server.adminTokenFile()).strip());
            client.send("POST", "v1/import", "{\"projects\":[{\"id\":\"p-0\",\"name\":\"tenant\"}]}", 201);
            client.send("PUT", "v1/projects/p-0/quota", "{\"vnics\":" + (vnics + 10) + ",\"groups\":" + (GROUPS + 10) + "}", 200);
            long t = System.nanoTime();
            client.send("POST", "v1/import", MAPPER.writeValueAsString(world(vnics)), 201);
            double importSeconds = (System.nanoTime() - t) / 1e9;

            AtomicLong done = new AtomicLong();
            long until = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                Thread th = new Thread(() -> {
                    while (System.nanoTime() < until) {
                        change(client, vnics);
                        done.incrementAndGet();
                    }
                });
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join();
            }
            double rate = done.get() / (double) seconds;

            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < serial; i++) {
                long s = System.nanoTime();
                change(client, vnics);
                micros.add((System.nanoTime() - s) / 1000);
            }
            Collections.sort(micros);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("| %,d | %.1f s | %,.0f | %.1f / %.1f ms | %,.0f MiB (%.2f KiB a vnic) | %.1f |%n", vnics, importSeconds, rate,
                    micros.get(micros.size() / 2) / 1000.0, micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1)) / 1000.0,
                    heap / 1048576.0, heap / 1024.0 / vnics, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** One random membership change: a vnic to a random group. */
    private static void change(Client client, int vnics) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        client.send("PATCH", "v1/vnics/vif-" + r.nextInt(vnics), "{\"securityGroups\":[\"sg-" + r.nextInt(GROUPS) + "\"]}", 200);
    }

    /** The import document: hosts, networks, the groups, and the vnics with their instances. */
    static ObjectNode world(int vnics) {
        ObjectNode doc = MAPPER.createObjectNode();
        ArrayNode hosts = doc.putArray("hosts");
        ArrayNode nets = doc.putArray("networks");
        ArrayNode groups = doc.putArray("groups");
        for (int g = 0; g < GROUPS; g++) {
            hosts.addObject().put("id", "h-" + g).put("name", "hv" + g).put("bridge", "br0");
            nets.addObject().put("id", "net-" + g).put("name", "net" + g).putArray("subnets").add("10." + g + ".0.0/16");
            groups.addObject().put("id", "sg-" + g).put("project", "p-0").put("name", "g" + g)
                    .put("rulesText", "tcp:5432,5432,sg-" + (g + 1) % GROUPS + "\n");
        }
        ArrayNode instances = doc.putArray("instances");
        ArrayNode vs = doc.putArray("vnics");
        for (int i = 0; i < vnics; i++) {
            int g = i % GROUPS;
            int k = i / GROUPS;
            instances.addObject().put("id", "i-" + i).put("project", "p-0").put("name", "vm" + i);
            ObjectNode v = vs.addObject().put("id", "vif-" + i).put("project", "p-0").put("instance", "i-" + i).put("host", "h-" + g)
                    .put("device", "tap" + i).put("mac", String.format("52:54:%02x:%02x:%02x:%02x", (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255))
                    .put("network", "net-" + g);
            v.putArray("addresses").add("10." + g + "." + (k / 250) + "." + (k % 250 + 1));
            v.putArray("securityGroups").add("sg-" + g);
        }
        return doc;
    }

    /** Requests with the admin token over one keep-alive client; any other status than the expected one stops the run. */
    record Client(URI base, String token, HttpClient http) {
        Client(URI base, String token) {
            this(base, token, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        }

        void send(String method, String path, String body, int expect) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != expect) {
                    throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
