package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.Shell;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent's {@code tcpdump -i nflog} child ends with the agent's JVM, however the JVM ends. */
@RequiresRoot
class ChildProcessKernelTest {
    private static Namespaces namespaces;

    @BeforeAll
    static void up() {
        namespaces = Namespaces.create("skc", 1);
    }

    @AfterAll
    static void down() {
        namespaces.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "KILL"})
    void theNflogChildEndsWithTheJvm(String signal) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        int group = 1000 + ThreadLocalRandom.current().nextInt(60000);
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NflogChild.class.getName(), namespaces.get(0),
                Integer.toString(group)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ProcessHandle child;
        try {
            String line = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).as("the child's pid").isNotNull();
            child = ProcessHandle.of(Long.parseLong(line.strip())).orElseThrow();
            // setpriv and ip exec into tcpdump under the same pid.
            for (int i = 0; i < 3000 && !child.info().command().orElse("").endsWith("tcpdump"); i++) {
                Thread.sleep(10);
            }
            assertThat(child.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("tcpdump"));
            assertThat(new Shell(null).run(null, "kill", "-s", signal, Long.toString(jvm.pid())).ok()).isTrue();
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as("the JVM ended on SIG%s", signal).isTrue();
        } finally {
            jvm.destroyForcibly();
        }
        try {
            child.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            child.destroyForcibly();
            org.assertj.core.api.Assertions.fail("tcpdump outlived its JVM after SIG" + signal);
        }
    }
}
