package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.agent.Shell;
import io.stockade.agent.nft.NftCli;
import io.stockade.agent.nft.NftLib;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.HostState;
import io.stockade.compiler.Render;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * For random pairs of worlds: the kernel accepts every generated ruleset ({@code nft -c}), and a
 * kernel holding a's ruleset that applies delta(a, b) holds exactly what a kernel that loaded b's
 * full ruleset holds ({@code nft -j list ruleset}, handles aside). Deltas go through libnftables
 * (as the agent applies them), full rulesets through the {@code nft} command.
 */
@RequiresRoot
class DeltaKernelTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Namespaces namespaces;
    private static String nsA;
    private static String nsB;

    @BeforeAll
    static void up() {
        namespaces = Namespaces.create("skd", 2);
        nsA = namespaces.get(0);
        nsB = namespaces.get(1);
    }

    @AfterAll
    static void down() {
        namespaces.close();
    }

    @Test
    void deltasLeaveExactlyTheTargetState() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        NftLib a = NftLib.open(nsA);
        NftCli b = new NftCli(new Shell(nsB));
        World prev = RandomWorlds.world(r, "wakame");
        a.apply(Render.full(Compiler.compile(prev, TestWorld.HOST)));
        for (int i = 0; i < 25; i++) {
            World next = i % 3 == 0 ? RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4))) : RandomWorlds.withExtraRule(prev, r);
            HostState from = Compiler.compile(prev, TestWorld.HOST);
            HostState to = Compiler.compile(next, TestWorld.HOST);
            String full = Render.full(to);
            b.check(full);
            a.apply(Render.delta(from, to).orElse(full));
            b.apply(full);
            assertThat(canonical(new Shell(nsA))).as("seed %d, step %d", seed, i).isEqualTo(canonical(new Shell(nsB)));
            prev = next;
        }
        a.close();
    }

    /** Tables, sets with their elements (sorted) and chains with their rules, without handles. */
    private static String canonical(Shell s) {
        try {
            JsonNode root = MAPPER.readTree(s.run(null, "nft", "-j", "list", "ruleset").out());
            TreeMap<String, String> out = new TreeMap<>();
            TreeMap<String, List<String>> rules = new TreeMap<>();
            for (JsonNode item : root.path("nftables")) {
                if (item.has("set") || item.has("map")) {
                    JsonNode set = item.has("set") ? item.get("set") : item.get("map");
                    TreeSet<String> elems = new TreeSet<>();
                    set.path("elem").forEach(e -> elems.add(e.toString()));
                    out.put("set " + set.path("family").asText() + " " + set.path("name").asText(), set.path("type").toString() + elems);
                } else if (item.has("chain")) {
                    out.put("chain " + item.get("chain").path("family").asText() + " " + item.get("chain").path("name").asText(), "");
                } else if (item.has("rule")) {
                    JsonNode rule = item.get("rule");
                    rules.computeIfAbsent(rule.path("family").asText() + " " + rule.path("chain").asText(), k -> new ArrayList<>())
                            .add(rule.path("expr").toString());
                }
            }
            return out + "\n" + rules;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
