package io.stockade.agent.stats;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The agent's Prometheus metrics: {@code stockade_vnic_packets_total} and
 * {@code stockade_vnic_bytes_total} by vnic, direction, verdict and reason (from the kernel's
 * named counters), frames of unknown ports, and the drop log's lines and losses; served at
 * {@code /metrics} on a local port.
 */
public final class AgentMetrics implements AutoCloseable {
    private record Key(String vnic, String direction, String verdict, String reason) {}

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Key, Count> latest = new ConcurrentHashMap<>();
    private final Map<Key, List<Meter>> meters = new HashMap<>();
    private volatile Count unknownPort = Count.ZERO;
    private HttpServer server;

    public AgentMetrics() {
        FunctionCounter.builder("stockade.unknown.port.packets", this, m -> m.unknownPort.packets())
                .description("frames from bridge ports that are neither a vnic nor an uplink").register(registry);
    }

    /** Also counts what a supplier gives (the drop log's lines, losses). */
    public AgentMetrics counter(String name, String description, LongSupplier value) {
        FunctionCounter.builder(name, value, v -> v.getAsLong()).description(description).register(registry);
        return this;
    }

    /** The latest counts; vnics no longer listed lose their series. */
    public synchronized void update(List<StatsRow> rows, Count unknown) {
        unknownPort = unknown;
        Map<Key, Count> now = new HashMap<>();
        rows.forEach(r -> now.put(new Key(r.vnic(), r.direction(), r.verdict(), r.reason()), r.count()));
        latest.putAll(now);
        for (var it = meters.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!now.containsKey(e.getKey())) {
                e.getValue().forEach(registry::remove);
                latest.remove(e.getKey());
                it.remove();
            }
        }
        for (Key k : now.keySet()) {
            meters.computeIfAbsent(k, this::register);
        }
    }

    private List<Meter> register(Key k) {
        Tags tags = Tags.of("vnic", k.vnic(), "direction", k.direction(), "verdict", k.verdict(), "reason", k.reason());
        return List.of(
                FunctionCounter.builder("stockade.vnic.packets", latest, m -> m.getOrDefault(k, Count.ZERO).packets()).tags(tags)
                        .description("packets by vnic, direction, verdict and drop reason").register(registry),
                FunctionCounter.builder("stockade.vnic.bytes", latest, m -> m.getOrDefault(k, Count.ZERO).bytes()).tags(tags)
                        .description("bytes (from the IP header on) by vnic, direction, verdict and drop reason").register(registry));
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Serves {@code GET /metrics} on the address; returns the bound address (port 0 picks one). */
    public InetSocketAddress serve(InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 16);
        server.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server.getAddress();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
