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
