package io.stockade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.model.Host;
import io.stockade.core.model.Instance;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import io.stockade.core.ruletext.RuleText;
import io.stockade.core.ruletext.RuleTextResolver;
import io.stockade.core.model.FirewallMode;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import io.stockade.server.GroupOps;
import io.stockade.server.StockadeServer;
import io.stockade.server.VnicOps;
import io.stockade.server.command.GroupCommand;
import io.stockade.server.command.Refusal;
import io.stockade.server.command.RuleSpec;
import io.stockade.server.command.VnicCommand;
import io.stockade.store.Change;
import io.stockade.store.Store;
import io.stockade.wire.HubFeeder;
import io.stockade.wire.WatchAnswers;
import io.stockade.wire.WatchHub;
import io.stockade.wire.WorldJson;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One controller on its embedded SQLite store with a big world: V vnics (each of its own instance,
 * with an address and one group) over 1,000 hosts, 10,000 groups and 100 networks (host h on
 * network h mod 100, so a network's vnics sit on 10 hosts; group g's members are vnics 10g..10g+9
 * mod 100,000, on 10 hosts), each group's rules allowing 5432 from the next group and 22 from a
 * network. 1,000 simulated agents watch the hub (fed as the server feeds it, by a {@link HubFeeder}), one per host, each taking its update on a pool
 * of 2 threads (as the server hands a watch answer to its HTTP threads) and rendering it as the server's watch answer ({@link WatchAnswers}). W writer threads make
 * membership changes ({@code VnicCommand.SetVnicGroups}: a random vnic moves to a random group) and, one
 * write in five, rule changes ({@code GroupCommand.AddRules}/{@code DeleteRule} on a random group) for
 * S seconds after S/3 seconds of warm-up. Prints: writes/s, CPU time per write (the whole
 * process's, and the watch hub thread's alone: figures that a machine shared with other work
 * disturbs less than times), write latency p50/p99, propagation
 * (write start to the watcher of the host of the changed vnic, or of the group's first member,
 * having its update) p50/p99, the world's heap after a GC per vnic, start-up (a controller
 * loading the world from the store) and the store write of the world (objects/s).
 * Usage: {@code java -Xmx8g -cp bench/target/benchmarks.jar io.stockade.bench.ScaleBenchmark VNICS SECONDS WRITERS}.
 */
public final class ScaleBenchmark {
    static final int HOSTS = 1_000;
    static final int GROUPS = 10_000;
    static final int NETWORKS = 100;
    private static final Caller ADMIN = new Caller("bench", Caller.Role.ADMIN, null, null);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        int vnics = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int writers = Integer.parseInt(args[2]);
        Path dir = Files.createTempDirectory("stockade-scale");
        long storeNanos;
        int objects;
        try (Store store = Store.sqlite(dir)) {
            List<Change> world = world(vnics);
            objects = world.size();
            long t = System.nanoTime();
            store.commit("admin:bench", world);
            storeNanos = System.nanoTime() - t;
        }
        world(0); // nothing of the generated world stays reachable: the heap below is the controller's
        long heapBefore = heapAfterGc();
        try (Store store = Store.sqlite(dir)) {
            long t = System.nanoTime();
            Controller ctl = new Controller(store, Policy.wakame(), MAPPER);
            long startNanos = System.nanoTime() - t;
            long heapWorld = heapAfterGc() - heapBefore;
            WatchHub hub = new WatchHub(ctl.world(), StockadeServer.WATCH_HISTORY);
            HubFeeder feeder = new HubFeeder(hub);
            ctl.onChange(feeder::offer);
            Map<String, Long> pending = new ConcurrentHashMap<>();
            List<Long> propagation = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean measuring = new AtomicBoolean();
            ExecutorService agents = Executors.newFixedThreadPool(2);
            WatchAnswers answers = new WatchAnswers(MAPPER, ctl.json());
            for (int h = 0; h < HOSTS; h++) {
                watch(hub, answers, "h-" + h, hub.next("h-" + h, 0).get().revision(), agents, pending, propagation, measuring);
            }
            long heapWatched = heapAfterGc() - heapBefore;

            VnicOps vnicOps = new VnicOps(ctl);
            GroupOps groupOps = new GroupOps(ctl);
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            long[] writes = new long[writers];
            for (int w = 0; w < writers; w++) {
                int me = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    Random r = new Random(me);
                    while (running.get()) {
                        long start = System.nanoTime();
                        try {
                            write(r, vnics, ctl, vnicOps, groupOps, pending, start);
                        } catch (Refusal e) {
                            continue; // two writers deleted the same rule: the second is refused, as over HTTP; not counted

                        }
                        if (measuring.get()) {
                            latencies.add(System.nanoTime() - start);
                            writes[me]++;
                        }
                    }
                }));
            }
            Thread.sleep(seconds * 1000L / 3);
            measuring.set(true);
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            long hubCpu0 = threadCpuNanos("stockade-watch-hub");
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long cpu = processCpuNanos() - cpu0;
            long hubCpu = threadCpuNanos("stockade-watch-hub") - hubCpu0;
            running.set(false);
            for (Thread th : threads) {
                th.join();
            }
            agents.shutdownNow();
            feeder.close();
            long total = 0;
            for (long n : writes) {
                total += n;
            }
            System.out.printf("| %,d | %d | %.0f | %.0f / %.0f µs | %.2f / %.2f ms | %.2f / %.2f ms | %.0f MiB (%.2f KiB per vnic) | %.0f MiB | %.1f s | %,.0f objects/s |%n",
                    vnics, writers, total / elapsed, cpu / 1e3 / total, hubCpu / 1e3 / total, ms(latencies, 50), ms(latencies, 99),
                    ms(propagation, 50), ms(propagation, 99),
                    heapWorld / 1048576.0, heapWorld / 1024.0 / vnics, heapWatched / 1048576.0, startNanos / 1e9, objects / (storeNanos / 1e9));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * One watcher: takes each update for its host on the agents' pool and renders it as the
     * server's watch answer ({@link WatchAnswers}, as JSON text: what a real agent's connection
     * costs the server, apart from HTTP), noting when the host had a write pending.
     */
    private static void watch(WatchHub hub, WatchAnswers answers, String host, long since, ExecutorService agents, Map<String, Long> pending,
            List<Long> propagation, AtomicBoolean measuring) {
        hub.next(host, since).thenAcceptAsync(u -> {
            answers.text(u);
            Long start = pending.remove(host);
            if (start != null && measuring.get()) {
                propagation.add(System.nanoTime() - start);
            }
            watch(hub, answers, host, u.revision(), agents, pending, propagation, measuring);
        }, agents);
    }

    private static void write(Random r, int vnics, Controller ctl, VnicOps vnicOps, GroupOps groupOps, Map<String, Long> pending, long start) {
        if (r.nextInt(5) > 0) {
            String vnic = "vif-" + r.nextInt(vnics);
            Vnic v = ctl.world().vnics().get(vnic);
            pending.putIfAbsent(v.hostId(), start);
            vnicOps.set(ADMIN, new VnicCommand.SetVnicGroups(vnic, List.of("sg-" + r.nextInt(Math.min(GROUPS, vnics / 10)))));
        } else {
            String group = "sg-" + r.nextInt(Math.min(GROUPS, vnics / 10));
            List<Vnic> members = ctl.world().members(group);
            if (!members.isEmpty()) {
                pending.putIfAbsent(members.get(0).hostId(), start);
            }
            SecurityGroup g = ctl.world().groups().get(group);
            Optional<String> extra = g.rules().stream().filter(x -> x.description().equals("bench")).map(x -> x.id()).findFirst();
            if (extra.isPresent()) {
                groupOps.delete(ADMIN, new GroupCommand.DeleteRule(group, extra.get()));
            } else {
                groupOps.add(ADMIN, new GroupCommand.AddRules(List.of(new GroupCommand.NewRule(group,
                        new RuleSpec.Line("tcp:" + (1000 + r.nextInt(1000)) + ",2000,ip4:192.0.2.0/24", "bench"), null))));
            }
        }
    }

    /** The world as store changes: one project, the networks, hosts, groups and vnics. */
    static List<Change> world(int vnics) {
        if (vnics == 0) {
            return List.of();
        }
        WorldJson json = new WorldJson(MAPPER);
        List<Change> out = new ArrayList<>();
        Project p = new Project("p-bench", "bench", false);
        out.add(Change.upsert("project", p.id(), null, p.name(), json.project(p).toString(), "create", "{}"));
        for (int n = 0; n < NETWORKS; n++) {
            Network net = new Network("net-" + n, "net" + n, List.of(Cidr.parse("10." + n + ".0.0/16", "subnet")), List.of(), List.of(), List.of(),
                    List.of(), FirewallMode.SECURITY_GROUPS);
            out.add(Change.upsert("network", net.id(), null, net.name(), json.network(net).toString(), "create", "{}"));
        }
        for (int h = 0; h < HOSTS; h++) {
            Host host = new Host("h-" + h, "hv" + h, "br0", List.of());
            out.add(Change.upsert("host", host.id(), null, host.name(), json.host(host).toString(), "create", "{}"));
        }
        int groups = Math.min(GROUPS, vnics / 10);
        RuleTextResolver ids = new RuleTextResolver() {
            @Override
            public Optional<String> groupId(String token) {
                return Optional.of(token);
            }

            @Override
            public Optional<IpSetRef> ipSet(String token) {
                return Optional.empty();
            }
        };
        for (int i = 0; i < groups; i++) {
            int g = i;
            SecurityGroup sg = new SecurityGroup("sg-" + g, p.id(), "g" + g, "", true, false,
                    RuleText.parse("tcp:5432,5432,sg-" + ((g + 1) % groups) + "\ntcp:22,22,ip4:198.51.100.0/24\n", ids).stream()
                            .map(x -> x.withId("sgr-" + g + "x" + x.match().hashCode())).toList());
            out.add(Change.upsert("group", sg.id(), p.id(), sg.name(), json.group(sg).toString(), "create", "{}"));
        }
        for (int i = 0; i < vnics; i++) {
            int host = i % HOSTS;
            int net = host % NETWORKS;
            int k = i / HOSTS * (HOSTS / NETWORKS) + host / NETWORKS;
            Instance inst = new Instance("i-" + i, p.id(), "vm" + i);
            out.add(Change.upsert("instance", inst.id(), p.id(), inst.name(), json.instance(inst).toString(), "create", "{}"));
            Vnic v = new Vnic("vif-" + i, p.id(), "", inst.id(), "h-" + host, "tap" + i,
                    MacAddress.parse(String.format("52:54:%02x:%02x:%02x:%02x", (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255), "mac"),
                    List.of(Ip.parse("10." + net + "." + (k / 250) + "." + (k % 250 + 1), "address")), "net-" + net,
                    List.of("sg-" + (i / 10) % groups), true);
            out.add(Change.upsert("vnic", v.id(), p.id(), v.id(), json.vnic(v).toString(), "create", "{}"));
        }
        return out;
    }

    /** CPU time of the whole process (every thread, the JIT and GC included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the live thread of this name. */
    private static long threadCpuNanos(String name) {
        var threads = ManagementFactory.getThreadMXBean();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().equals(name)) {
                return threads.getThreadCpuTime(info.getThreadId());
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The percentile of these nanosecond figures, in milliseconds (NaN for none). */
    static double ms(List<Long> nanos, int percentile) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)) / 1e6;
    }
}
