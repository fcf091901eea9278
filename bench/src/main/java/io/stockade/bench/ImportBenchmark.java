package io.stockade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.policy.Policy;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import io.stockade.server.ImportOps;
import io.stockade.server.ImportRequests;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import io.stockade.server.VnicOps;
import io.stockade.server.command.VnicCommand;
import io.stockade.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Random;

/**
 * Bulk import, start-up and fail-over at size (issue 22). Builds the export of a world of V vnics
 * (each of its own instance) over 1,000 hosts, 100 networks and V/10 groups (at most 10,000; each
 * group's rules allow 5432 from the next group of its project and 22 from a network), split into
 * V/1,000 projects so that every project stays within the default quotas (1,000 vnics, 100
 * groups), then:
 * <ol>
 * <li>import: one {@code POST /v1/import} of it to a real server (HTTP, JSON, every check, one
 *     transaction) on an empty store; objects/s is every object of the export over the request's time;
 * <li>start-up: a new {@link Controller} loading that world from the store;
 * <li>fail-over (PostgreSQL only): a second controller on the same database makes 1,000 writes
 *     (a vnic's groups each) and imports V/100 more vnics with their instances; the first catches
 *     up from the revision log ({@link Controller#catchUp}), timed, and must then hold the same world.
 * </ol>
 * Usage: {@code java -Xmx8g -cp bench/target/benchmarks.jar io.stockade.bench.ImportBenchmark VNICS sqlite|postgres}
 * Import time is the request's wall time and the process's CPU time meanwhile (the server's and
 * the sending client's; on a shared machine the CPU time says what the import costs, the wall
 * time what the load let it have); the last column is the load average at the end.
 * (PostgreSQL: {@code $STOCKADE_BENCH_PG}, default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; a schema
 * of its own, dropped at the end). Prints one table row.
 */
public final class ImportBenchmark {
    static final int HOSTS = 1_000;
    static final int NETWORKS = 100;
    static final int VNICS_PER_PROJECT = 1_000;
    static final String PG = System.getenv().getOrDefault("STOCKADE_BENCH_PG", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Caller ADMIN = new Caller("bench", Caller.Role.ADMIN, null, null);

    private ImportBenchmark() {}

    public static void main(String[] args) throws Exception {
        int vnics = Integer.parseInt(args[0]);
        boolean postgres = args[1].equals("postgres");
        Path dir = Files.createTempDirectory("stockade-import");
        String schema = postgres ? schema("bench_import") : null;
        try {
            ServerConfig config = ServerConfig.sqlite(dir, 0);
            if (postgres) {
                config = config.withDatabase(url(schema));
            }
            ObjectNode doc = export(vnics, 0);
            int objects = objects(doc);
            byte[] body = MAPPER.writeValueAsBytes(doc);
            doc = null;
            double importSeconds;
            double importCpu;
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            try (StockadeServer server = StockadeServer.start(config)) {
                String token = Files.readString(server.adminTokenFile()).strip();
                long cpu = os.getProcessCpuTime();
                long t = System.nanoTime();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/import"))
                        .timeout(Duration.ofMinutes(30)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                importSeconds = (System.nanoTime() - t) / 1e9;
                importCpu = (os.getProcessCpuTime() - cpu) / 1e9;
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("import failed: " + r.statusCode() + " " + r.body());
                }
            }
            body = null;
            System.gc();
            try (Store store = open(postgres, dir, schema)) {
                long t = System.nanoTime();
                Controller follower = new Controller(store, Policy.wakame(), MAPPER);
                double startSeconds = (System.nanoTime() - t) / 1e9;
                String catchUp = "-";
                if (postgres) {
                    catchUp = failOver(follower, schema, vnics);
                }
                System.out.printf("| %s | %,d | %,d | %,.0f KiB | %.1f s (CPU %.1f s) | %,.0f objects/s (%,.0f per CPU-second) | %.1f s | %s | %.1f |%n",
                        postgres ? "PostgreSQL" : "SQLite", vnics, objects, MAPPER.writeValueAsBytes(export(vnics, 0)).length / 1024.0, importSeconds,
                        importCpu, objects / importSeconds, objects / importCpu, startSeconds, catchUp, os.getSystemLoadAverage());
            }
        } finally {
            if (schema != null) {
                execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Another controller on the same database writes; the follower catches up. Returns the catch-up's time and what it took in. */
    private static String failOver(Controller follower, String schema, int vnics) throws Exception {
        try (Store store = Store.postgres(url(schema), null, null)) {
            Controller other = new Controller(store, Policy.wakame(), MAPPER);
            VnicOps ops = new VnicOps(other);
            Random r = new Random(1);
            int groups = groups(vnics);
            int perProject = groups / projects(vnics);
            for (int i = 0; i < 1_000; i++) {
                int v = r.nextInt(vnics);
                int g = v / VNICS_PER_PROJECT * perProject + r.nextInt(perProject);
                ops.set(ADMIN, new VnicCommand.SetVnicGroups("vif-" + v, java.util.List.of("sg-" + g)));
            }
            // The new vnics go to the last project: an admin raises its quota first, as an operator would.
            store.setQuotas("p-" + (projects(vnics) - 1), java.util.Map.of("vnics", 1_000_000L));
            ObjectNode more = export(vnics / 100, vnics);
            int added = more.path("instances").size() + more.path("vnics").size();
            new ImportOps(other).load(ADMIN, ImportRequests.read(more));
            long behind = other.world().revision() - follower.world().revision();
            long t = System.nanoTime();
            follower.catchUp();
            double ms = (System.nanoTime() - t) / 1e6;
            if (follower.world().revision() != other.world().revision() || follower.world().vnics().size() != other.world().vnics().size()
                    || !follower.world().vnics().equals(other.world().vnics())) {
                throw new IllegalStateException("the follower does not hold the other controller's world after catching up");
            }
            return String.format("%,.0f ms (%,d revisions, %,d objects)", ms, behind, 1_000 + added);
        }
    }

    static Store open(boolean postgres, Path dir, String schema) {
        return postgres ? Store.postgres(url(schema), null, null) : Store.sqlite(dir);
    }

    static int groups(int vnics) {
        return Math.max(1, Math.min(10_000, vnics / 10));
    }

    static int projects(int vnics) {
        return Math.max(1, (vnics + VNICS_PER_PROJECT - 1) / VNICS_PER_PROJECT);
    }

    static int objects(ObjectNode doc) {
        int n = 0;
        for (String kind : new String[] {"projects", "networks", "hosts", "ipSets", "groups", "instances", "vnics"}) {
            n += doc.path(kind).size();
        }
        return n;
    }

    /**
     * The export of the benchmark's world, or with {@code from} above 0 only vnics number from..from+vnics-1 and their instances (their
     * groups, hosts and networks those of the world of {@code from} vnics).
     */
    static ObjectNode export(int vnics, int from) {
        ObjectNode doc = MAPPER.createObjectNode();
        int world = from == 0 ? vnics : from;
        int groups = groups(world);
        int projects = projects(world);
        int perProject = Math.max(1, groups / projects);
        if (from == 0) {
            ArrayNode ps = doc.putArray("projects");
            for (int p = 0; p < projects; p++) {
                ps.addObject().put("id", "p-" + p).put("name", "tenant" + p);
            }
            ArrayNode nets = doc.putArray("networks");
            for (int n = 0; n < NETWORKS; n++) {
                nets.addObject().put("id", "net-" + n).put("name", "net" + n).putArray("subnets").add("10." + n + ".0.0/16");
            }
            ArrayNode hosts = doc.putArray("hosts");
            for (int h = 0; h < HOSTS; h++) {
                hosts.addObject().put("id", "h-" + h).put("name", "hv" + h).put("bridge", "br0");
            }
            ArrayNode gs = doc.putArray("groups");
            for (int g = 0; g < groups; g++) {
                int p = Math.min(projects - 1, g / perProject);
                int next = p * perProject + (g - p * perProject + 1) % perProject;
                ObjectNode o = gs.addObject().put("id", "sg-" + g).put("project", "p-" + p).put("name", "g" + g);
                o.put("rulesText", "tcp:5432,5432,sg-" + next + "\ntcp:22,22,ip4:198.51.100.0/24\n");
            }
        }
        ArrayNode instances = doc.putArray("instances");
        ArrayNode vs = doc.putArray("vnics");
        for (int i = from; i < from + vnics; i++) {
            int host = i % HOSTS;
            int net = host % NETWORKS;
            int k = i / HOSTS * (HOSTS / NETWORKS) + host / NETWORKS;
            int p = Math.min(projects - 1, i / VNICS_PER_PROJECT);
            int g = Math.min(groups - 1, p * perProject + (i / 10) % perProject);
            instances.addObject().put("id", "i-" + i).put("project", "p-" + p).put("name", "vm" + i);
            ObjectNode v = vs.addObject().put("id", "vif-" + i).put("project", "p-" + p).put("instance", "i-" + i).put("host", "h-" + host)
                    .put("device", "tap" + i).put("mac", String.format("52:54:%02x:%02x:%02x:%02x", (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255))
                    .put("network", "net-" + net);
            v.putArray("addresses").add("10." + net + "." + (k / 250) + "." + (k % 250 + 1));
            v.putArray("securityGroups").add("sg-" + g);
        }
        return doc;
    }

    static String schema(String name) {
        String schema = name + "_" + Long.toString(System.nanoTime() % (1L << 40), 36);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    static String url(String schema) {
        return PG + (PG.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static void execute(String sql) {
        try (var c = DriverManager.getConnection(PG); var st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG + ": " + e.getMessage(), e);
        }
    }
}
