package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through runs as written: the shell blocks of its API, terminal and Neutron
 * sections, in order, in one bash with {@code set -e}, against a fresh server started by the
 * first block, with {@code stockade} and {@code bin/stockade} being the jar just built. Any
 * failing command fails the test (curl with {@code --fail-with-body}; {@code $EDITOR} is
 * {@code true}, so {@code group rules edit} changes nothing). The server's port 8750 is replaced
 * by a free one, so the test runs beside other servers. The quick tour at the README's top runs too
 * (its lab needs root and network namespaces, as CI has).
 */
class ReadmeIT {
    static final List<String> SECTIONS = List.of("### The server and its API", "### The same from the terminal", "### The Neutron API (the `openstack` client)");

    /** The ```sh blocks under the given headings, in the README's order. */
    static List<String> blocks(String readme) {
        List<String> blocks = new ArrayList<>();
        String heading = "";
        Matcher m = Pattern.compile("^(#{1,4} [^\\n]*)$|^```sh\\n(.*?)^```$", Pattern.DOTALL | Pattern.MULTILINE).matcher(readme);
        while (m.find()) {
            if (m.group(1) != null) {
                heading = m.group(1).strip();
            } else if (SECTIONS.contains(heading)) {
                blocks.add(m.group(2));
            }
        }
        return blocks;
    }

    /** The commands of the README's first block (before its first section), each without its comment. */
    static List<String> quickTour(String readme) {
        Matcher m = Pattern.compile("^```sh\\n(.*?)^```$", Pattern.DOTALL | Pattern.MULTILINE).matcher(readme.substring(0, readme.indexOf("\n## ")));
        assertThat(m.find()).as("the README opens with a shell block").isTrue();
        return m.group(1).lines().map(l -> l.replaceFirst("\\s*#.*$", "")).filter(l -> !l.isBlank()).toList();
    }

    /** The lines of the README's tour output that are the same at every run (what connects, the steps), white space folded. */
    static List<String> tourLines(String text) {
        return text.lines().map(l -> l.strip().replaceAll("\\s+", " ")).filter(l -> l.matches("(==>|CONNECTS|BLOCKED|would need in) .*")).toList();
    }

    /**
     * The quick tour at the README's top: its {@code sudo bin/stockade lab} runs as written (this
     * test runs as root, which is what sudo gives; {@code --exit} ends the demo where a person presses
     * Ctrl-C, and a free port replaces 8750) and shows each line of the tour the README prints,
     * except the timing and the random source port. Its other command, {@code sudo bin/test}, is what
     * runs this test, so it is not run here (bin/test itself is checked by BinScriptsTest).
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "user.name", matches = "root") // the lab builds network namespaces
    void theQuickTourRunsAndShowsWhatTheReadmeShows(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"));
        List<String> commands = quickTour(readme);
        assertThat(commands).containsExactly("sudo bin/stockade lab", "sudo bin/test");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        wrapper(dir);
        String run = commands.get(0).replaceFirst("^sudo ", "") + " --exit --port " + port;
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; " + run + "; bin/stockade lab down")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
        String out = finish(pb.start(), dir.resolve("out"), "the tour");
        String shown = readme.substring(readme.indexOf("## A short tour"), readme.indexOf("### The server and its API"));
        List<String> expected = tourLines(shown);
        assertThat(expected).as("the README shows the tour").hasSizeGreaterThan(8);
        assertThat(tourLines(out)).as("what the lab printed:\n%s", out).containsAll(expected);
        assertThat(out).containsPattern("DROPPED ingress no-rule tcp 192\\.0\\.2\\.11:\\d+ -> 192\\.0\\.2\\.10:5432".replace(" ", "\\s+"))
                .containsPattern("applied on hv1 in \\d+ ms").contains("removed 0 lab namespaces");
    }

    /** Waits (at most 5 minutes) for a script that writes to {@code out}, and returns what it wrote; fails unless it ended without an error. */
    private static String finish(Process p, Path out, String what) throws Exception {
        try {
            boolean done = p.waitFor(5, TimeUnit.MINUTES);
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(done).as("%s finished:\n%s", what, text).isTrue();
            assertThat(p.exitValue()).as("%s ran without an error:\n%s", what, text).isZero();
            return text;
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
    }

    /** {@code bin/stockade} in {@code dir}: the jar just built. */
    private static Path wrapper(Path dir) throws java.io.IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path stockade = bin.resolve("stockade");
        Files.writeString(stockade, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' --enable-native-access=ALL-UNNAMED -jar '"
                + System.getProperty("stockade.jar") + "' \"$@\"\n");
        Files.setPosixFilePermissions(stockade, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void theWalkThroughRunsAsWritten(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"));
        List<String> blocks = blocks(readme);
        assertThat(blocks).as("the README's tested sections each have a shell block").hasSize(SECTIONS.size());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path bin = wrapper(dir);
        String script = "set -euo pipefail\n"
                + "curl() { command curl --fail-with-body \"$@\"; }\n"
                + "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
                + String.join("\n", blocks).replace("8750", Integer.toString(port));
        Path file = dir.resolve("readme.sh");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder("bash", "-x", file.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out").toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("EDITOR", "true");
        pb.environment().put("VISUAL", "true");
        pb.environment().put("HOME", dir.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("STOCKADE_") || k.startsWith("OS_") || k.startsWith("XDG_"));
        String out = finish(pb.start(), dir.resolve("out"), "the walk-through");
        assertThat(out).contains("ALLOW (rule) by group dbsrv").contains("dropped").contains("host hv01 created")
                .contains("\"Name\": \"web\"");
    }
}
