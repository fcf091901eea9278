package io.stockade.deb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.agent.Shell;
import io.stockade.agent.netns.Topology;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Debian package on this machine, as docs/operations.md installs it: apt-get installs it, the
 * units' ExecStart lines run as systemd would start them (User=, Environment=, EnvironmentFile=;
 * this machine has no systemd), the controller from /var/lib/stockade as the stockade user and
 * the agent as root, enforcing in a host namespace (STOCKADE_AGENT_OPTS=--netns …, the lab's
 * way). The lab's database example is set up with the installed {@code stockade} command, db1 is
 * bound by the installed libvirt hook, and real connections are tried; then the package is
 * purged (inside the host namespace, whose nftables tables are the ones to go) and nothing of it
 * may be left. Needs root; installs into the machine's dpkg database for the test's duration, and
 * fails at once where the package is already installed (it purges only what it installed).
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class DebPackageIT {
    private static final Path DEB = Path.of(System.getProperty("stockade.deb", "target/stockade_0.1.0_all.deb"));
    private static final List<Path> INSTALLED = List.of(Path.of("/usr/bin/stockade"), Path.of("/usr/share/stockade"), Path.of("/etc/stockade"),
            Path.of("/var/lib/stockade"), Path.of("/lib/systemd/system/stockade-server.service"), Path.of("/lib/systemd/system/stockade-agent.service"),
            Path.of("/etc/libvirt/hooks/qemu.d/50-stockade"), Path.of("/usr/share/doc/stockade"));

    private final ObjectMapper json = new ObjectMapper();
    private final List<Process> units = new ArrayList<>();
    private Topology topo;
    private boolean installedHere;

    @AfterEach
    void cleanUp() throws Exception {
        stopUnits();
        if (installedHere && installed()) {
            run(null, "dpkg", "--purge", "stockade");
        }
        if (topo != null) {
            topo.close();
        }
    }

    @Test
    void installsRunsTheDatabaseExampleAndPurgesWithoutATrace() throws Exception {
        assertThat(installed()).as("the stockade package is installed on this machine (by someone, or by a killed run of this test): "
                + "this test purges only what it installed; dpkg --purge stockade first").isFalse();
        topo = new Topology("stkdeb" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36));
        topo.addHost("hv1");
        Topology.Vm db1 = topo.addVm("db1", "hv1", "tapdb1", "52:54:00:00:03:10", List.of("192.0.2.10/24"));
        Topology.Vm app1 = topo.addVm("app1", "hv1", "tapapp1", "52:54:00:00:03:11", List.of("192.0.2.11/24"));
        Topology.Vm web1 = topo.addVm("web1", "hv1", "tapweb1", "52:54:00:00:03:12", List.of("192.0.2.12/24"));
        topo.exec(db1.namespace(), "sh", "-c", "nc -l -k 3306 >/dev/null 2>&1 &");

        installedHere = true;
        Shell.Result install = run(null, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "--no-install-recommends",
                DEB.toAbsolutePath().toString());
        assertThat(install.ok()).as(install.err()).isTrue();
        assertThat(run(null, "getent", "passwd", "stockade").out()).contains("/var/lib/stockade").contains("/usr/sbin/nologin");
        assertThat(Files.getOwner(Path.of("/var/lib/stockade")).getName()).isEqualTo("stockade");
        assertThat(Files.isExecutable(Path.of("/etc/libvirt/hooks/qemu.d/50-stockade"))).isTrue();
        assertThat(run(null, "/usr/bin/stockade", "--version").out()).startsWith("stockade ");
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            Shell.Result verify = run(null, "systemd-analyze", "verify", "--man=no", "/lib/systemd/system/stockade-server.service",
                    "/lib/systemd/system/stockade-agent.service");
            assertThat(verify.exit()).as(verify.err()).isZero();
            assertThat(verify.err()).as("systemd's own check of the units").doesNotContain("stockade-");
        }

        // A controller: the port in server.env (this machine's 8750 may be taken), started as the unit does.
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(Path.of("/etc/stockade/server.env"), "\nSTOCKADE_BIND=127.0.0.1\nSTOCKADE_PORT=" + port + "\n", java.nio.file.StandardOpenOption.APPEND);
        SystemdUnit server = SystemdUnit.read(Path.of("/lib/systemd/system/stockade-server.service"));
        assertThat(server.user()).isEqualTo("stockade");
        assertThat(server.execStart()).containsExactly("/usr/bin/stockade", "server");
        start(server);
        Path adminToken = Path.of("/var/lib/stockade/admin.token");
        awaitFile(adminToken);
        assertThat(Files.getOwner(adminToken).getName()).isEqualTo("stockade");
        String admin = Files.readString(adminToken).strip();
        String url = "http://127.0.0.1:" + port;
        awaitListening(url, admin);

        // A KVM host: agent.env, the host token and the hook's token, then the agent's unit as root.
        Files.writeString(Path.of("/etc/stockade/agent.env"), Files.readString(Path.of("/etc/stockade/agent.env"))
                .replace("STOCKADE_SERVERS=http://127.0.0.1:8750", "STOCKADE_SERVERS=" + url)
                .replace("STOCKADE_HOST=\n", "STOCKADE_HOST=hv1\n")
                .replace("STOCKADE_AGENT_OPTS=--bridge br0", "STOCKADE_AGENT_OPTS=--bridge br0 --netns " + topo.hostNamespace("hv1") + " --drift-check 2"));
        secret(Path.of("/etc/stockade/host.token"), post(url, admin, "/v1/tokens", Map.of("role", "host", "host", "hv1")).path("token").asText());
        secret(Path.of("/etc/stockade/libvirt-hook.token"), admin);
        SystemdUnit agent = SystemdUnit.read(Path.of("/lib/systemd/system/stockade-agent.service"));
        assertThat(agent.user()).isNull();
        assertThat(agent.execStart()).containsExactly("/usr/bin/stockade", "agent", "--server", url, "--host", "hv1", "--token-file", "/etc/stockade/host.token",
                "--bridge", "br0", "--netns", topo.hostNamespace("hv1"), "--drift-check", "2");
        start(agent);

        // The lab's database example: the groups with the installed command, the other vnics through the API.
        cli(url, admin, "project", "create", "demo");
        String project = get(url, admin, "/v1/projects?name=demo").path("items").path(0).path("id").asText();
        post(url, admin, "/v1/security-groups", Map.of("id", "sg-dbclnts", "name", "dbclnts", "project", project));
        post(url, admin, "/v1/security-groups", Map.of("id", "sg-web", "name", "web", "project", project));
        cli(url, admin, "group", "create", "dbsrv", "--id", "sg-dbsrv", "--project", "demo", "--rule", "tcp:3306,3306,sg-dbclnts");
        awaitHost(url, admin);
        post(url, admin, "/v1/vnics", Map.of("id", "vif-app1", "project", project, "host", "hv1", "device", app1.tap(), "mac", app1.mac(),
                "addresses", List.of("192.0.2.11"), "securityGroups", List.of("sg-dbclnts")));
        post(url, admin, "/v1/vnics", Map.of("id", "vif-web1", "project", project, "host", "hv1", "device", web1.tap(), "mac", web1.mac(),
                "addresses", List.of("192.0.2.12"), "securityGroups", List.of("sg-web")));
        post(url, admin, "/v1/vnics", Map.of("id", "vif-db1", "project", project, "mac", db1.mac(), "addresses", List.of("192.0.2.10"),
                "securityGroups", List.of("sg-dbsrv")));
        // db1 has no host yet: the installed libvirt hook binds it, as libvirt would call it at start.
        String xml = "<domain type='kvm'><name>db1</name><devices><interface type='bridge'><mac address='" + db1.mac()
                + "'/><source bridge='br0'/><target dev='" + db1.tap() + "'/></interface></devices></domain>";
        Shell.Result hook = run(xml, "/etc/libvirt/hooks/qemu.d/50-stockade", "db1", "start", "begin", "-");
        assertThat(hook.exit()).as(hook.err()).isZero();
        assertThat(hook.out()).isEmpty();
        assertThat(get(url, admin, "/v1/vnics/vif-db1").path("device").asText()).isEqualTo(db1.tap());
        awaitApplied(url, admin);

        assertThat(connects(app1, db1, 3306)).as("app1 (sg-dbclnts) -> db1:3306").isTrue();
        assertThat(connects(web1, db1, 3306)).as("web1 (sg-web) -> db1:3306").isFalse();
        cli(url, admin, "vnic", "attach", "vif-web1", "dbclnts");
        awaitApplied(url, admin);
        assertThat(connectsSoon(web1, db1, 3306)).as("web1 once in sg-dbclnts").isTrue();
        assertThat(topo.exec(topo.hostNamespace("hv1"), "nft", "list", "tables").out()).contains("stockade");

        // Stop the units (systemctl stop sends SIGTERM), then purge inside the host's network namespace.
        stopUnits();
        Shell.Result purge = new Shell(topo.hostNamespace("hv1")).run(null, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "-q", "stockade");
        assertThat(purge.ok()).as(purge.err()).isTrue();
        for (Path p : INSTALLED) {
            assertThat(p).as("left after purge").doesNotExist();
        }
        assertThat(run(null, "getent", "passwd", "stockade").ok()).as("the stockade user is removed").isFalse();
        assertThat(run(null, "getent", "group", "stockade").ok()).as("the stockade group is removed").isFalse();
        assertThat(topo.exec(topo.hostNamespace("hv1"), "nft", "list", "tables").out()).doesNotContain("stockade");
        assertThat(run(null, "dpkg-query", "-W", "stockade").ok()).isFalse();
    }

    private void start(SystemdUnit unit) throws IOException {
        ProcessBuilder pb = unit.process();
        pb.redirectErrorStream(true).redirectOutput(Files.createTempFile("stockade-unit", ".log").toFile());
        units.add(pb.start());
    }

    private void stopUnits() throws InterruptedException {
        for (Process p : units) {
            p.destroy();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        units.clear();
    }

    /**
     * Connects within a few tries: web1 tried db1 while they were isolated, so its neighbour entry
     * for db1 failed and its next resolution may wait for the kernel's retry (as AgentEndToEndTest).
     */
    private boolean connectsSoon(Topology.Vm from, Topology.Vm to, int port) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            if (topo.exec(from.namespace(), "nc", "-z", "-w", "2", to.addresses().get(0).split("/")[0], Integer.toString(port)).ok()) {
                return true;
            }
            Thread.sleep(300);
        }
        return false;
    }

    private boolean connects(Topology.Vm from, Topology.Vm to, int port) {
        return topo.exec(from.namespace(), "nc", "-z", "-w", "1", to.addresses().get(0).split("/")[0], Integer.toString(port)).ok();
    }

    private static void cli(String url, String token, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "STOCKADE_URL=" + url, "STOCKADE_TOKEN=" + token, "HOME=/nonexistent", "/usr/bin/stockade"));
        cmd.addAll(List.of(args));
        Shell.Result r = run(null, cmd.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }

    private static boolean installed() {
        return run(null, "dpkg-query", "-W", "-f=${Status}", "stockade").out().endsWith(" installed");
    }

    private static Shell.Result run(String input, String... command) {
        return new Shell(null).run(input, command);
    }

    private static void secret(Path file, String token) throws IOException {
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (!Files.exists(file)) {
            assertThat(Instant.now()).as("the controller wrote " + file).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private void awaitListening(String url, String token) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            try {
                get(url, token, "/v1/hosts");
                return;
            } catch (java.net.ConnectException e) {
                assertThat(Instant.now()).as("the controller listens on " + url).isBefore(deadline);
                Thread.sleep(200);
            }
        }
    }

    private void awaitHost(String url, String token) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (get(url, token, "/v1/hosts?name=hv1").path("total").asInt() == 0) {
            assertThat(Instant.now()).as("the agent registered hv1").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private void awaitApplied(String url, String token) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        JsonNode h;
        while ((h = get(url, token, "/v1/hosts/hv1")).path("appliedRevision").asLong(-1) < h.path("desiredRevision").asLong()) {
            assertThat(Instant.now()).as("hv1's agent applied its revision").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private JsonNode get(String url, String token, String path) throws Exception {
        return send(url, token, HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    private JsonNode post(String url, String token, String path, Object body) throws Exception {
        return send(url, token, HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    }

    private JsonNode send(String url, String token, HttpRequest.Builder b) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(b.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode() / 100).as(r.body()).isEqualTo(2);
            return json.readTree(r.body());
        }
    }
}
