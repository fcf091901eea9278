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
import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Rule;
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

    /**
     * The changes the layout has its own steps for, in a row: a hash set becoming an interval set
     * (a new set name), a direction starting and then ceasing to drop (its chain and dispatch come
     * and go), and back.
     */
    @Test
    void setFlavoursAndDirectionsThatComeAndGo() {
        Rule ssh = TestWorld.tcpIn(22, 22, "0.0.0.0/0");
        Rule range = TestWorld.tcpIn(1000, 2000, "0.0.0.0/0");
        Rule egress = TestWorld.rule(Direction.EGRESS, new Match.Ports(Match.TCP, 443, 443), "198.51.100.0/24");
        List<World> steps = List.of(
                TestWorld.wakame().group("sg-a", ssh).vnic("vif-a1", "sg-a").build(),
                TestWorld.wakame().group("sg-a", ssh, range).vnic("vif-a1", "sg-a").build(),
                TestWorld.wakame().group("sg-a", ssh, range, egress).vnic("vif-a1", "sg-a").build(),
                TestWorld.wakame().group("sg-a", ssh).vnic("vif-a1", "sg-a").build());
        NftLib a = NftLib.open(nsA);
        NftCli b = new NftCli(new Shell(nsB));
        a.apply(Render.full(Compiler.compile(steps.get(0), TestWorld.HOST)));
        for (int i = 1; i < steps.size(); i++) {
            HostState from = Compiler.compile(steps.get(i - 1), TestWorld.HOST);
            HostState to = Compiler.compile(steps.get(i), TestWorld.HOST);
            a.apply(Render.delta(from, to).orElseThrow());
            b.apply(Render.full(to));
            assertThat(canonical(new Shell(nsA))).as("step %d", i).isEqualTo(canonical(new Shell(nsB)));
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
