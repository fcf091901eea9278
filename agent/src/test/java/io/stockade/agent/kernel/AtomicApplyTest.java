package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.Shell;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.Render;
import io.stockade.core.model.Rule;
import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * An agent killed in the middle of an apply: the nft process dies at a random moment while it
 * sends a large transaction. The kernel then holds the old state or the new one, never a mix.
 */
@RequiresRoot
class AtomicApplyTest {

    @Test
    void aKilledApplyLeavesTheOldOrTheNewStateNeverAMix() throws Exception {
        try (Namespaces namespaces = Namespaces.create("ska", 1)) {
            String ns = namespaces.get(0);
            Shell shell = new Shell(ns);
            World small = TestWorld.wakame().group("sg-a", TestWorld.tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-a1", "sg-a").build();
            List<Rule> many = new ArrayList<>();
            for (int i = 0; i < 20000; i++) {
                many.add(TestWorld.tcpIn(1 + i % 60000, 1 + i % 60000, "198.51." + (i % 250) + "." + (i / 250 % 64 * 4) + "/30"));
            }
            World big = TestWorld.wakame().group("sg-a", dedupe(many)).vnic("vif-a1", "sg-a").build();
            String oldScript = Render.full(Compiler.compile(small, TestWorld.HOST));
            String newScript = Render.full(Compiler.compile(big, TestWorld.HOST));
            // How long a whole apply takes here, so the kills land before, during and after the commit.
            long t0 = System.nanoTime();
            assertThat(shell.run(newScript, "nft", "-f", "-").ok()).isTrue();
            int applyMillis = (int) Math.max(20, (System.nanoTime() - t0) / 1_000_000);
            int sawOld = 0;
            int sawNew = 0;
            for (int attempt = 0; attempt < 10; attempt++) {
                assertThat(shell.run(oldScript, "nft", "-f", "-").ok()).isTrue();
                Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").start();
                p.getOutputStream().write(newScript.getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, applyMillis * 3 / 2));
                p.destroyForcibly().waitFor();
                int elements = elements(shell);
                if (elements < 10) {
                    sawOld++;
                } else {
                    assertThat(elements).as("a partly applied transaction").isGreaterThanOrEqualTo(19000);
                    sawNew++;
                }
            }
            assertThat(sawOld + sawNew).as("old %d, new %d, apply %d ms", sawOld, sawNew, applyMillis).isEqualTo(10);
        }
    }

    /** Elements of vif-a1's ingress port set, as the kernel holds them. */
    private static int elements(Shell shell) {
        String out = shell.run(null, "nft", "-j", "list", "set", "inet", "stockade", "in_vif_a1_4p").out();
        int n = 0;
        for (int i = out.indexOf("\"concat\""); i >= 0; i = out.indexOf("\"concat\"", i + 1)) {
            n++;
        }
        return n;
    }

    private static Rule[] dedupe(List<Rule> rules) {
        java.util.LinkedHashMap<Rule.Key, Rule> m = new java.util.LinkedHashMap<>();
        rules.forEach(r -> m.putIfAbsent(r.key(), r));
        return m.values().toArray(Rule[]::new);
    }
}
