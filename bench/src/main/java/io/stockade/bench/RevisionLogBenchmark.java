package io.stockade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.policy.Policy;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import io.stockade.server.ImportOps;
import io.stockade.server.ImportRequests;
import io.stockade.server.VnicOps;
import io.stockade.server.command.Refusal;
import io.stockade.server.command.VnicCommand;
import io.stockade.store.Store;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The commit rate of the revision log on PostgreSQL with several controllers writing at once
 * (issue 22). One schema holds {@link ImportBenchmark}'s world of V vnics (imported once); C
 * controllers, each with its own connection pool as a separate server would have, each follow
 * the others as {@code StockadeServer} does (LISTEN/NOTIFY, then {@link Controller#catchUp}), and
 * each runs W writer threads that change a random vnic's group ({@code VnicCommand.SetVnicGroups}, a
 * write that the controller validates, commits with group commit, and publishes) for S seconds
 * after S/3 seconds of warm-up. A commit that finds the log moved on (another controller wrote)
 * takes the other's writes in and validates its own again under the log's lock; a write refused
 * as busy is counted (there were such before that, after 10 stale tries). Prints the
 * revisions committed per second (every controller together), the write latency p50/p99 and the
 * busy failures.
 * Usage: {@code java -Xmx4g -cp bench/target/benchmarks.jar io.stockade.bench.RevisionLogBenchmark CONTROLLERS SECONDS WRITERS VNICS}.
 */
public final class RevisionLogBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Caller ADMIN = new Caller("bench", Caller.Role.ADMIN, null, null);

    private RevisionLogBenchmark() {}

    public static void main(String[] args) throws Exception {
        int controllers = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int writers = Integer.parseInt(args[2]);
        int vnics = Integer.parseInt(args[3]);
        String schema = ImportBenchmark.schema("bench_revlog");
        List<Store> stores = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            List<Controller> ctls = new ArrayList<>();
            for (int i = 0; i < controllers; i++) {
                Store store = Store.postgres(ImportBenchmark.url(schema), null, null);
                stores.add(store);
                Controller ctl = new Controller(store, Policy.wakame(), MAPPER);
                if (i == 0) {
                    new ImportOps(ctl).load(ADMIN, ImportRequests.read(ImportBenchmark.export(vnics, 0)));
                }
                ctls.add(ctl);
            }
            for (int i = 0; i < controllers; i++) {
                Store store = stores.get(i);
                Controller ctl = ctls.get(i);
                ctl.catchUp();
                Thread.ofPlatform().daemon().start(() -> {
                    while (running.get()) {
                        try {
                            store.awaitNotification(1000);
                            ctl.catchUp();
                        } catch (InterruptedException e) {
                            return;
                        } catch (RuntimeException e) {
                            // as the server: a failed catch-up is tried again on the next notification
                        }
                    }
                });
            }
            int groups = ImportBenchmark.groups(vnics);
            int perProject = groups / ImportBenchmark.projects(vnics);
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            AtomicLong busy = new AtomicLong();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < controllers; i++) {
                VnicOps ops = new VnicOps(ctls.get(i));
                for (int w = 0; w < writers; w++) {
                    Random r = new Random(i * 1000L + w);
                    threads.add(Thread.ofPlatform().start(() -> {
                        while (running.get()) {
                            int v = r.nextInt(vnics);
                            int g = v / ImportBenchmark.VNICS_PER_PROJECT * perProject + r.nextInt(perProject);
                            long start = System.nanoTime();
                            try {
                                ops.set(ADMIN, new VnicCommand.SetVnicGroups("vif-" + v, List.of("sg-" + g)));
                                if (measuring.get()) {
                                    writes.incrementAndGet();
                                    latencies.add(System.nanoTime() - start);
                                }
                            } catch (Refusal.Busy e) {
                                if (measuring.get()) {
                                    busy.incrementAndGet();
                                }
                            }
                        }
                    }));
                }
            }
            Thread.sleep(seconds * 1000L / 3);
            long rev0 = stores.get(0).revision();
            measuring.set(true);
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long revisions = stores.get(0).revision() - rev0;
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            System.out.printf("| %d | %d | %,d | %,.0f revisions/s | %,.0f writes/s | %.1f / %.1f ms | %,d | %.1f |%n", controllers, writers, vnics,
                    revisions / elapsed, writes.get() / elapsed, ScaleBenchmark.ms(latencies, 50), ScaleBenchmark.ms(latencies, 99), busy.get(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            running.set(false);
            stores.forEach(Store::close);
            ImportBenchmark.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
