package io.stockade.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Status reports leave from their own thread: the caller never waits, superseded ones are dropped, failed ones go again. */
class StatusReportsTest {
    private HttpServer server;
    /** The bodies the controller stored, in order. */
    private final List<String> stored = new CopyOnWriteArrayList<>();

    private WatchClient controller(HttpHandlerBody handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/hosts/h-1/status", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = handler.answer(x, body);
            if (status / 100 == 2) {
                stored.add(body);
            }
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        server.start();
        return new WatchClient(List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")), "t", Duration.ofSeconds(1));
    }

    interface HttpHandlerBody {
        int answer(HttpExchange x, String body);
    }

    @AfterEach
    void down() {
        server.stop(0);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void whileTheControllerStoresOneReportTheNextWaitsAndOnlyTheLatestGoes() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        WatchClient client = controller((x, body) -> {
            if (calls.incrementAndGet() == 1) {
                arrived.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 204;
        });
        try (StatusReports reports = new StatusReports(client, Duration.ofMillis(50))) {
            reports.report("h-1", 1, null);
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            // The controller holds the first report: the next ones return at once, and 3 supersedes 2.
            reports.report("h-1", 2, null);
            reports.report("h-1", 3, "refused");
            assertThat(stored).isEmpty();
            release.countDown();
            await("the latest report stored", () -> stored.size() == 2);
            Thread.sleep(100);
            assertThat(stored).hasSize(2);
            assertThat(stored.get(0)).contains("\"appliedRevision\":1");
            assertThat(stored.get(1)).contains("\"appliedRevision\":3", "refused");
        }
    }

    @Test
    void aReportTheControllerRefusedGoesAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WatchClient client = controller((x, body) -> calls.incrementAndGet() == 1 ? 503 : 204);
        try (StatusReports reports = new StatusReports(client, Duration.ofMillis(50))) {
            reports.report("h-1", 5, null);
            await("the report sent again", () -> stored.size() == 1);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(stored.get(0)).contains("\"appliedRevision\":5");
        }
    }

    @Test
    void aReportWaitingWhenTheAgentStopsStillGoesOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WatchClient client = controller((x, body) -> calls.incrementAndGet() == 1 ? 204 : 503);
        StatusReports reports = new StatusReports(client, Duration.ofMillis(10));
        reports.report("h-1", 7, null);
        reports.close();
        await("the last report stored", () -> stored.size() == 1);
        assertThat(stored.get(0)).contains("\"appliedRevision\":7");
        reports.report("h-1", 8, null);
        Thread.sleep(100);
        assertThat(calls.get()).as("nothing after the stop").isEqualTo(1);
    }
}
