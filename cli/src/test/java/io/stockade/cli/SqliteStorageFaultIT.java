package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code stockade server} (the shaded jar) whose SQLite data directory is a small tmpfs
 * in a mount namespace of its own: the disk fills up under it, or the directory is read-only when
 * it starts. Writes get a clear error naming the cause and change nothing, reads go on, and once
 * the disk is usable again every acknowledged change is there in a store that passes
 * {@code PRAGMA integrity_check}. Needs root (mount namespaces); CI runs as root.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class SqliteStorageFaultIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    record Response(int status, JsonNode json) {
        String error() {
            return json.path("error").path("code").asText() + ": " + json.path("error").path("message").asText();
        }
    }

    /** One server process inside the namespace, with its base URL and admin token. */
    record Server(Process process, URI base, String token) {}

    @Test
    void aFullDiskRefusesWritesClearlyAndLosesNothing(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        try (MountNamespace ns = MountNamespace.tmpfs(data, "3m")) {
            Server s = start(ns, tmp, "log1");
            String project = call(s, "POST", "v1/projects", "{\"name\":\"full\"}").json().path("id").asText();
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                assertThat(createGroup(s, project, "kept" + i, 1).status()).isEqualTo(201);
                acknowledged.add("kept" + i);
            }
            MountNamespace.Result fill = ns.exec("sh", "-c", "cat /dev/zero > " + data.resolve("filler"));
            assertThat(fill.output()).contains("No space left");

            // What the store had room for before is acknowledged; the first write it has no room for fails whole.
            Response refused = null;
            long revisionBefore = 0;
            for (int i = 0; i < 40 && refused == null; i++) {
                revisionBefore = call(s, "GET", "healthz", null).json().path("revision").asLong();
                Response r = createGroup(s, project, "big" + i, 200);
                if (r.status() == 201) {
                    acknowledged.add("big" + i);
                } else {
                    refused = r;
                }
            }
            assertThat(refused).as("a write that needs more room than the disk has").isNotNull();
            assertThat(refused.status()).as(refused.error()).isEqualTo(507);
            assertThat(refused.error()).startsWith("insufficient_storage: ").contains("the disk holding " + data.resolve("stockade.db") + " is full");
            Response again = createGroup(s, project, "again", 200);
            assertThat(again.status()).as(again.error()).isEqualTo(507);

            // Reads go on, and show exactly the acknowledged writes.
            assertThat(call(s, "GET", "healthz", null).json().path("revision").asLong()).isEqualTo(revisionBefore);
            assertThat(groupNames(s, project)).containsExactlyInAnyOrderElementsOf(acknowledged);

            // Room again: writes are taken at once, no restart needed.
            assertThat(ns.exec("rm", data.resolve("filler").toString()).exit()).isZero();
            assertThat(createGroup(s, project, "after", 1).status()).isEqualTo(201);
            acknowledged.add("after");
            long revision = call(s, "GET", "healthz", null).json().path("revision").asLong();
            assertThat(revision).isEqualTo(revisionBefore + 1);
            stop(s);

            assertThat(integrityCheck(ns.outside(data.resolve("stockade.db")))).isEqualTo("ok");
            Server back = start(ns, tmp, "log2");
            try {
                assertThat(call(back, "GET", "healthz", null).json().path("revision").asLong()).isEqualTo(revision);
                assertThat(groupNames(back, project)).containsExactlyInAnyOrderElementsOf(acknowledged);
                String big = acknowledged.stream().filter(n -> n.startsWith("big")).reduce((a, b) -> b).orElse("kept2");
                assertThat(call(back, "GET", "v1/security-groups?name=" + big, null).json().path("items").path(0).path("rules").size())
                        .isEqualTo(big.startsWith("big") ? 200 : 1);
            } finally {
                stop(back);
            }
        }
    }

    @Test
    void aReadOnlyDataDirStopsStartUpWithAClearMessage(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        try (MountNamespace ns = MountNamespace.tmpfs(data, "8m")) {
            Server s = start(ns, tmp, "log1");
            String project = call(s, "POST", "v1/projects", "{\"name\":\"ro\"}").json().path("id").asText();
            assertThat(createGroup(s, project, "kept", 1).status()).isEqualTo(201);
            long revision = call(s, "GET", "healthz", null).json().path("revision").asLong();
            stop(s);

            MountNamespace.Result ro = ns.exec("mount", "-o", "remount,ro", data.toString());
            assertThat(ro.exit()).as(ro.output()).isZero();
            Process refused = ns.start(java(), "-jar", System.getProperty("stockade.jar"), "server", "--data-dir", data.toString(), "--port", Integer.toString(freePort()))
                    .redirectErrorStream(true).start();
            String out = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).as(out).isEqualTo(1);
            assertThat(out).contains("stockade: the data directory " + data + " is read-only").doesNotContain("\tat ").doesNotContain("Exception");

            assertThat(ns.exec("mount", "-o", "remount,rw", data.toString()).exit()).isZero();
            assertThat(integrityCheck(ns.outside(data.resolve("stockade.db")))).isEqualTo("ok");
            restartsWithWhatWasKept(ns, tmp, project, revision);
        }
    }

    /**
     * The disk fails under a running server and the kernel turns it read-only (ext4's
     * {@code errors=remount-ro}, set off through its {@code trigger_fs_error} switch): writes get a
     * 503 saying the store is read-only, reads go on; after e2fsck and a restart all acknowledged
     * changes are there.
     */
    @Test
    @EnabledIf("canFailExt4")
    void aDiskTurningReadOnlyUnderARunningServer(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path image = tmp.resolve("disk.img");
        try (MountNamespace ns = MountNamespace.ext4(data, image)) {
            Server s = start(ns, tmp, "log1");
            String project = call(s, "POST", "v1/projects", "{\"name\":\"rorun\"}").json().path("id").asText();
            assertThat(createGroup(s, project, "kept", 1).status()).isEqualTo(201);
            long revision = call(s, "GET", "healthz", null).json().path("revision").asLong();

            String device = ns.exec("findmnt", "-n", "-o", "SOURCE", data.toString()).output().strip().replace("/dev/", "");
            MountNamespace.Result fail = ns.exec("sh", "-c", "echo 1 > /sys/fs/ext4/" + device + "/trigger_fs_error");
            assertThat(fail.exit()).as(fail.output()).isZero();
            Response refused = createGroup(s, project, "lost", 1);
            assertThat(refused.status()).as(refused.error()).isEqualTo(503);
            assertThat(refused.error()).startsWith("read_only: ").contains("the store is read-only (" + data.resolve("stockade.db") + ")");
            assertThat(groupNames(s, project)).containsExactly("kept");
            assertThat(call(s, "GET", "healthz", null).json().path("revision").asLong()).isEqualTo(revision);
            stop(s);

            assertThat(ns.exec("umount", data.toString()).exit()).isZero();
            MountNamespace.Result fsck = ns.exec("e2fsck", "-fy", image.toString());
            assertThat(fsck.exit()).as(fsck.output()).isLessThan(4);
            assertThat(ns.exec("mount", "-o", "loop", image.toString(), data.toString()).exit()).isZero();
            assertThat(integrityCheck(ns.outside(data.resolve("stockade.db")))).isEqualTo("ok");
            restartsWithWhatWasKept(ns, tmp, project, revision);
        }
    }

    static boolean canFailExt4() {
        // Loop devices and e2fsprogs (.ci/run installs it); the ext4 module loads on the first mount.
        return Files.exists(Path.of("/dev/loop-control")) && Files.isExecutable(Path.of("/sbin/mkfs.ext4"));
    }

    /** A server started again on the data dir is at the acknowledged revision, holds group "kept" only, and takes writes. */
    private void restartsWithWhatWasKept(MountNamespace ns, Path tmp, String project, long revision) throws Exception {
        Server back = start(ns, tmp, "log2");
        try {
            assertThat(call(back, "GET", "healthz", null).json().path("revision").asLong()).isEqualTo(revision);
            assertThat(groupNames(back, project)).containsExactly("kept");
            assertThat(createGroup(back, project, "after", 1).status()).isEqualTo(201);
        } finally {
            stop(back);
        }
    }

    private Server start(MountNamespace ns, Path tmp, String log) throws Exception {
        int port = freePort();
        Process p = ns.start(java(), "-jar", System.getProperty("stockade.jar"), "server", "--data-dir", ns.dir.toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
        Path token = ns.outside(ns.dir.resolve("admin.token"));
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        for (int i = 0; i < 300 && p.isAlive(); i++) {
            if (Files.exists(token)) {
                Server s = new Server(p, base, Files.readString(token).strip());
                try {
                    if (call(s, "GET", "healthz", null).status() == 200) {
                        return s;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the server did not start: " + Files.readString(tmp.resolve(log)));
    }

    private static void stop(Server s) throws InterruptedException {
        s.process().destroy();
        if (!s.process().waitFor(30, TimeUnit.SECONDS)) {
            s.process().destroyForcibly().waitFor();
        }
    }

    /** A group of {@code rules} rules, each with a 1000-character description: about {@code rules} KiB to store. */
    private Response createGroup(Server s, String project, String name, int rules) throws Exception {
        var group = MAPPER.createObjectNode().put("name", name).put("project", project);
        var list = group.putArray("rules");
        for (int i = 1; i <= rules; i++) {
            list.addObject().put("text", "tcp:" + i + "," + i + ",ip4:198.51.100.0/24").put("description", "d".repeat(1000));
        }
        return call(s, "POST", "v1/security-groups", group.toString());
    }

    private List<String> groupNames(Server s, String project) throws Exception {
        Response r = call(s, "GET", "v1/security-groups?project=" + project + "&limit=1000", null);
        assertThat(r.status()).as(r.error()).isEqualTo(200);
        return r.json().path("items").findValuesAsText("name");
    }

    private Response call(Server s, String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(s.base().resolve(path)).header("Authorization", "Bearer " + s.token())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body().isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(r.body()));
    }

    private static String integrityCheck(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
