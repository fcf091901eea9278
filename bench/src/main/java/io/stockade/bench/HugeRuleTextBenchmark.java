package io.stockade.bench;

import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 21's cost bound: does one tenant's huge rule text hold other tenants' writes? One
 * controller on the embedded store; project A's member replaces its group's rules with a
 * LINES-line rule text again and again (each text different from the last, so every replace is a
 * real change) while project B's member adds and removes one rule, one write at a time. Prints
 * the p50/p99/max latency of B's writes, first with nothing else running (the baseline, same run),
 * then while A's replaces run, and how long each replace took; then the controller's own timers
 * of its write lock and commits (p99 and max since start, from /metrics).
 * Usage: {@code java -cp bench/target/benchmarks.jar io.stockade.bench.HugeRuleTextBenchmark [LINES] [WRITES]}
 */
public final class HugeRuleTextBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static URI base;

    private HugeRuleTextBenchmark() {}

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        try (StockadeServer server = StockadeServer.start(ServerConfig.sqlite(Files.createTempDirectory("stockade-huge"), 0))) {
            base = URI.create("http://127.0.0.1:" + server.port());
            String admin = Files.readString(server.adminTokenFile()).strip();
            String a = member(admin, "huge");
            String b = member(admin, "small");
            String projectA = call(admin, "GET", "/v1/projects?name=huge", null, null).replaceAll("(?s).*\"id\":\"(p-[^\"]+)\".*", "$1");
            call(admin, "PUT", "/v1/projects/" + projectA + "/quota", "{\"rulesPerGroup\":" + lines + "}", "application/json");
            call(a, "POST", "/v1/security-groups", "{\"id\":\"sg-huge\",\"name\":\"huge\"}", "application/json");
            call(b, "POST", "/v1/security-groups", "{\"id\":\"sg-small\",\"name\":\"small\"}", "application/json");
            replace(a, lines, 0);

            List<Double> baseline = smallWrites(b, writes);
            AtomicBoolean stop = new AtomicBoolean();
            List<Double> replaces = Collections.synchronizedList(new ArrayList<>());
            Thread big = Thread.ofPlatform().start(() -> {
                for (int round = 1; !stop.get(); round++) {
                    long t = System.nanoTime();
                    replace(a, lines, round);
                    replaces.add((System.nanoTime() - t) / 1e6);
                }
            });
            List<Double> during = smallWrites(b, writes);
            stop.set(true);
            big.join();
            report("B's writes alone (baseline)", baseline);
            report("B's writes during A's replaces", during);
            report(lines + "-line replaces by A", new ArrayList<>(replaces));
            // What the write path itself held the others for, whatever the machine's load and the collector's pauses add.
            String metrics = call(admin, "GET", "/metrics", null, null);
            metrics.lines().filter(l -> l.startsWith("stockade_write_") && (l.contains("quantile=\"0.99\"") || l.contains("_max")))
                    .forEach(l -> System.out.println("  " + l));
        }
    }

    private static void replace(String token, int lines, int round) {
        StringBuilder text = new StringBuilder(lines * 28);
        for (int i = 0; i < lines; i++) {
            int port = 1 + (i + round) % 65535;
            text.append("tcp:").append(port).append(',').append(port).append(",ip4:10.").append((i >> 8) & 255).append('.').append(i & 255).append(".0/24\n");
        }
        String r = call(token, "PUT", "/v1/security-groups/sg-huge/rules", text.toString(), "text/plain");
        if (!r.startsWith("{\"id\"")) {
            throw new IllegalStateException("replace failed: " + r.substring(0, Math.min(300, r.length())));
        }
    }

    private static List<Double> smallWrites(String token, int writes) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            long t = System.nanoTime();
            String added = call(token, "POST", "/v1/security-groups/sg-small/rules", "{\"text\":\"tcp:" + (i + 1) + "," + (i + 1) + ",ip4:0.0.0.0\"}", "application/json");
            ms.add((System.nanoTime() - t) / 1e6);
            String rule = added.replaceAll("(?s).*\"id\":\"(sgr-[^\"]+)\".*", "$1");
            t = System.nanoTime();
            call(token, "DELETE", "/v1/security-groups/sg-small/rules/" + rule, null, null);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        return ms;
    }

    private static void report(String what, List<Double> ms) {
        Collections.sort(ms);
        if (ms.isEmpty()) {
            System.out.printf("%-40s none%n", what);
            return;
        }
        System.out.printf("%-40s n=%d p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, ms.size(), ms.get(ms.size() / 2),
                ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.99) - 1)), ms.get(ms.size() - 1));
    }

    private static String member(String admin, String name) {
        String p = call(admin, "POST", "/v1/projects", "{\"name\":\"" + name + "\"}", "application/json").replaceAll("(?s).*\"id\":\"(p-[^\"]+)\".*", "$1");
        return call(admin, "POST", "/v1/tokens", "{\"role\":\"member\",\"project\":\"" + p + "\"}", "application/json")
                .replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
    }

    private static String call(String token, String method, String path, String body, String type) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (type != null) {
                r.header("Content-Type", type);
            }
            return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
