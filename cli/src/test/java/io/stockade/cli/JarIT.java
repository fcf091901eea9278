package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shaded stockade.jar runs on its own: what the README's commands start. */
class JarIT {
    record Run(int exit, String out, String err) {}

    static Run java(String stdin, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("stockade.jar")));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    /** A server killed with SIGKILL loses nothing that it acknowledged; the revision continues. */
    @Test
    void aKilledServerLosesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", System.getProperty("stockade.jar"),
                "server", "--data-dir", dir.toString(), "--port", Integer.toString(port));
        Process server = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("log1").toFile()).start();
        Api api = awaitServer(port, dir);
        String p = RawApi.post(api, "v1/projects", java.util.Map.of("name", "kept")).path("id").asText();
        for (int i = 0; i < 20; i++) {
            RawApi.post(api, "v1/security-groups", java.util.Map.of("name", "g" + i, "project", p, "rules", List.of(java.util.Map.of("text", "tcp:" + (i + 1) + "," + (i + 1) + ",ip4:0.0.0.0"))));
        }
        long revision = api.get("healthz").path("revision").asLong();
        server.destroyForcibly().waitFor();
        Process again = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("log2").toFile()).start();
        try {
            Api back = awaitServer(port, dir);
            assertThat(back.get("healthz").path("revision").asLong()).isEqualTo(revision);
            assertThat(back.get("v1/security-groups?project=" + p + "&limit=1000").path("total").asInt()).isEqualTo(20);
            assertThat(back.get("v1/security-groups?name=g19").path("items").get(0).path("rules").get(0).path("text").asText()).isEqualTo("tcp:20,20,ip4:0.0.0.0");
            RawApi.post(back, "v1/security-groups", java.util.Map.of("name", "after", "project", p));
            var http = java.net.http.HttpClient.newHttpClient();
            var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/")).header("Accept", "text/html").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).as("the web console is inside the jar").contains("<title>Stockade console</title>");
            var module = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/console/app.js")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(module.body()).contains("import");
            assertThat(back.get("healthz").path("revision").asLong()).isEqualTo(revision + 1);
        } finally {
            again.destroyForcibly().waitFor();
        }
    }

    private static Api awaitServer(int port, Path dir) throws Exception {
        for (int i = 0; i < 200; i++) {
            Path token = dir.resolve("admin.token");
            if (java.nio.file.Files.exists(token)) {
                Api api = new Api(java.net.URI.create("http://127.0.0.1:" + port + "/"), java.nio.file.Files.readString(token).strip());
                try {
                    api.get("healthz");
                    return api;
                } catch (Api.Error e) {
                    // not listening yet
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not start on port " + port);
    }

    /** The README's run command, non-interactively: the walk-through must see exactly what the policy says. */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "user.name", matches = "root")
    void theLabWalksThroughTheDatabaseExample() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run lab = java(null, "lab", "--exit", "--port", Integer.toString(port));
        assertThat(lab.exit()).as(lab.out() + lab.err()).isZero();
        assertThat(lab.out()).contains("CONNECTS  app1 (sg-dbclnts) -> db1:3306").contains("BLOCKED   web1 (sg-web)     -> db1:3306")
                .contains("CONNECTS  web1 (sg-web, sg-dbclnts) -> db1:3306").doesNotContain("UNEXPECTED")
                .containsPattern("DROPPED   ingress no-rule tcp 192\\.0\\.2\\.11:\\d+ -> 192\\.0\\.2\\.10:5432")
                .contains("would need in sg-dbsrv: tcp:5432,5432,sg-dbclnts");
        assertThat(lab.out()).as("the lab tells its story; logs go to the file it names").containsPattern("logs go to /\\S+/lab\\.log")
                .doesNotContain(" INFO ").doesNotContain(" WARN ");
        assertThat(lab.err()).doesNotContain(" INFO ").doesNotContain(" WARN ");
        Run down = java(null, "lab", "down");
        assertThat(down.out()).contains("removed 0 lab namespaces");
    }

    /** The lab left running, stopped the way Ctrl-C stops it (SIGTERM starts the same JVM shutdown), removes its namespaces. */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "user.name", matches = "root")
    void aStoppedLabRemovesItself(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("lab.log");
        Process lab = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", System.getProperty("stockade.jar"),
                "lab", "--port", Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!java.nio.file.Files.readString(log).contains("Ctrl-C stops the lab") && lab.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(java.nio.file.Files.readString(log)).contains("Ctrl-C stops the lab");
            assertThat(new io.stockade.agent.Shell(null).run(null, "ip", "netns", "list").out()).contains(LabCommand.PREFIX + "-hv1");
            lab.destroy();
            assertThat(lab.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(java(null, "lab", "down").out()).as(java.nio.file.Files.readString(log)).contains("removed 0 lab namespaces");
        } finally {
            lab.destroyForcibly();
            java(null, "lab", "down");
        }
    }

    /** $EDITOR gets the rule text; a text that does not parse comes back with the errors marked. */
    @Test
    void groupRulesEditReopensOnErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (io.stockade.server.StockadeServer server = io.stockade.server.StockadeServer.start(io.stockade.server.ServerConfig.sqlite(dir, 0))) {
            String url = "http://127.0.0.1:" + server.port();
            String token = java.nio.file.Files.readString(server.adminTokenFile()).strip();
            Api api = new Api(java.net.URI.create(url + "/"), token);
            String p = RawApi.post(api, "v1/projects", java.util.Map.of("name", "p")).path("id").asText();
            RawApi.post(api, "v1/security-groups", java.util.Map.of("id", "sg-web", "name", "web", "project", p));
            Path editor = dir.resolve("editor.sh");
            java.nio.file.Files.writeString(editor, String.join("\n",
                    "#!/bin/sh",
                    "n=$(cat " + dir.resolve("count") + " 2>/dev/null || echo 0); echo $((n + 1)) > " + dir.resolve("count"),
                    "cp \"$1\" " + dir + "/seen$n",
                    "if [ $n = 0 ]; then printf 'tcp:80,80,ip4:0.0.0.0\\ntcp:0,22,ip4:0.0.0.0\\n' > \"$1\"; else printf 'tcp:80,80,ip4:0.0.0.0\\n' > \"$1\"; fi", ""));
            editor.toFile().setExecutable(true);
            List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", System.getProperty("stockade.jar"),
                    "group", "rules", "edit", "sg-web", "--server", url, "--token", token);
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().put("EDITOR", editor.toString());
            pb.environment().remove("VISUAL");
            Process proc = pb.redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(proc.waitFor()).as(out).isZero();
            assertThat(out).contains("rules of sg-web replaced");
            assertThat(java.nio.file.Files.readString(dir.resolve("seen1"))).startsWith("#! 2:5: out of range port number 0");
            assertThat(api.getText("v1/security-groups/sg-web/rules")).isEqualTo("tcp:80,80,ip4:0.0.0.0\n");
        }
    }

    @Test
    void versionAndRulesCheckFromStdin() throws Exception {
        assertThat(java(null, "--version").out()).startsWith("stockade 0.1.0");
        Run ok = java("tcp: 22, 22, ip4:0.0.0.0\n", "rules", "check", "-");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).isEqualTo("tcp:22,22,ip4:0.0.0.0\n");
        Run bad = java("tcp:22,22,ip4:300.0.0.1\n", "rules", "check");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("<stdin>:1:15: '300.0.0.1' is not a valid IPv4 address (300 is over 255)");
    }
}
