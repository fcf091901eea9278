package io.stockade.server.neutron;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.model.Direction;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Instance;
import io.stockade.core.model.Match;
import io.stockade.core.model.Project;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.core.policy.Policy;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import io.stockade.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The Neutron id index follows each write's change alone: after any sequence of writes (groups
 * made, their rules replaced, rules moved between groups, groups, instances and projects deleted
 * and made again) it answers exactly as an index built afresh from the final world.
 */
class NeutronIdsTest {
    private static final Caller ADMIN = new Caller("t-admin", Caller.Role.ADMIN, null, null);

    @Property(tries = 30)
    void followingChangesEqualsIndexingTheWorldAfresh(@ForAll long seed) throws Exception {
        Path dir = Files.createTempDirectory("neutron-ids");
        try (Store store = Store.sqlite(dir)) {
            Controller ctl = new Controller(store, Policy.wakame(), new ObjectMapper());
            write(ctl, WorldChange.builder().project(new Project("p-a", "a", false)).build());
            NeutronIds following = NeutronIds.following(ctl);
            Random r = new Random(seed);
            Set<String> everEnough = new HashSet<>();
            for (int step = 0; step < 40; step++) {
                WorldChange change = randomChange(ctl.world(), r);
                change.ids().forEach(everEnough::add);
                change.groups().forEach(g -> g.rules().forEach(x -> everEnough.add(x.id())));
                write(ctl, change);
                if (r.nextInt(5) == 0) {
                    assertSameAnswers(following, NeutronIds.following(ctl), ctl.world(), everEnough);
                }
            }
            assertSameAnswers(following, NeutronIds.following(ctl), ctl.world(), everEnough);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void write(Controller ctl, WorldChange change) {
        ctl.mutate(ADMIN, w -> new Controller.Mutation<>(change, null, "test"));
    }

    /** Every id ever used resolves (or not) alike in both indexes, and as the world says. */
    private static void assertSameAnswers(NeutronIds following, NeutronIds fresh, World w, Set<String> ids) {
        for (String id : ids) {
            String kind = id.substring(0, id.indexOf('-'));
            String uuid = NeutronIds.uuid(id);
            if (kind.equals(Ids.RULE)) {
                NeutronIds.RuleRef a = following.rule(uuid);
                NeutronIds.RuleRef b = fresh.rule(uuid);
                assertThat(a == null ? null : a.groupId()).as("group of rule %s", id).isEqualTo(b == null ? null : b.groupId());
                assertThat(a == null ? null : a.groupId()).as("rule %s", id).isEqualTo(groupOf(w, id));
            } else {
                assertThat(following.id(kind, uuid)).as("object %s", id).isEqualTo(fresh.id(kind, uuid)).isEqualTo(w.holds(id) ? id : null);
                assertThat(following.exists(id)).as("exists %s", id).isEqualTo(w.holds(id));
            }
        }
    }

    private static String groupOf(World w, String ruleId) {
        for (SecurityGroup g : w.groups().values()) {
            for (Rule r : g.rules()) {
                if (r.id().equals(ruleId)) {
                    return g.id();
                }
            }
        }
        return null;
    }

    /** One write: a group made or given new rules (some moved from another group), or an object deleted, or an instance or project made. */
    private static WorldChange randomChange(World w, Random r) {
        WorldChange.Builder b = WorldChange.builder();
        List<SecurityGroup> groups = new ArrayList<>(w.groups().values());
        switch (r.nextInt(6)) {
            case 0, 1 -> withRules(w, r, b, "sg-" + r.nextInt(8), "g");
            case 2 -> {
                if (!groups.isEmpty()) {
                    SecurityGroup g = groups.get(r.nextInt(groups.size()));
                    b.remove(g.id());
                    if (r.nextBoolean()) {
                        withRules(w, r, b, g.id(), "again");
                    }
                }
            }
            case 3 -> b.instance(new Instance("i-" + r.nextInt(6), "p-a", "vm"));
            case 4 -> w.instances().keySet().stream().findAny().ifPresent(b::remove);
            default -> b.project(new Project("p-" + (char) ('b' + r.nextInt(3)), "p" + r.nextInt(3), false));
        }
        return b.build();
    }

    /**
     * Puts group {@code id} with a few rules: new ones, and maybe one moved from another group of
     * the world (which is put without it, before or after, in the same change: a moved rule keeps its id).
     */
    private static void withRules(World w, Random r, WorldChange.Builder b, String id, String name) {
        List<Rule> rules = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            int port = 1000 * i + r.nextInt(1000);
            rules.add(new Rule("sgr-" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36), Direction.INGRESS, IpVersion.V4, new Match.Ports(6, port, port),
                    new Remote.CidrRemote(Cidr.ANY4), ""));
        }
        List<SecurityGroup> others = w.groups().values().stream().filter(g -> !g.id().equals(id) && !g.rules().isEmpty()).toList();
        SecurityGroup from = others.isEmpty() || r.nextBoolean() ? null : others.get(r.nextInt(others.size()));
        SecurityGroup without = null;
        if (from != null) {
            Rule moved = from.rules().get(r.nextInt(from.rules().size()));
            if (rules.stream().noneMatch(x -> x.match().equals(moved.match()))) {
                rules.add(moved);
            }
            without = new SecurityGroup(from.id(), from.projectId(), from.name(), from.description(), true, false,
                    from.rules().stream().filter(x -> x != moved).toList(), false);
        }
        boolean sourceFirst = r.nextBoolean();
        if (without != null && sourceFirst) {
            b.group(without);
        }
        b.group(new SecurityGroup(id, "p-a", name, "", true, false, rules, false));
        if (without != null && !sourceFirst) {
            b.group(without);
        }
    }
}
