package io.stockade.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.core.testing.RandomWorlds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The controller applies each write's change to its world in place of a rebuild: after each of
 * many random changes (memberships, vnics and instances made, moved and deleted, groups' rules
 * replaced with references to groups and ip sets, groups and ip sets deleted, objects deleted and
 * made again in one change), the world must equal, maps in their order and every index, the
 * world rebuilt from scratch with the same change.
 */
class WorldChangeTest {

    @Property(tries = 300)
    void changeAfterChangeEqualsRebuilding(@ForAll long seed) {
        Random r = new Random(seed);
        World held = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        for (int step = 1; step <= 15; step++) {
            WorldChange c = randomChange(r, held, step);
            World rebuilt = held.toBuilder().with(c).build();
            if (step % 3 != 0) {
                // Most steps start from a world whose MAC index is made, so the next is updated, not made again.
                held.vnicByMac(MacAddress.parse("52:54:00:ff:ff:ff", "mac"));
            }
            World applied = held.apply(c);
            SliceDiffTest.assertSameWorld(applied, rebuilt);
            for (Vnic v : List.copyOf(java.util.stream.Stream.concat(held.vnics().values().stream(), rebuilt.vnics().values().stream()).toList())) {
                assertThat(applied.vnicByMac(v.mac())).as("vnic by MAC %s", v.mac()).isEqualTo(rebuilt.vnicByMac(v.mac()));
            }
            assertThat(List.copyOf(applied.instances().entrySet())).isEqualTo(List.copyOf(rebuilt.instances().entrySet()));
            held = applied;
        }
    }

    static WorldChange randomChange(Random r, World held, int step) {
        List<Vnic> vnics = new ArrayList<>(held.vnics().values());
        List<String> groups = new ArrayList<>(held.groups().keySet());
        groups.add("sg-missing");
        WorldChange.Builder c = WorldChange.builder();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            Vnic v = vnics.isEmpty() ? null : vnics.get(r.nextInt(vnics.size()));
            int kind = r.nextInt(10);
            if (v == null && kind < 5) {
                kind = 5;
            }
            String project = held.projects().isEmpty() ? "p-x" : held.projects().keySet().iterator().next();
            switch (kind) {
                case 0, 1 -> c.vnic(v.withGroups(List.copyOf(new java.util.LinkedHashSet<>(
                        List.of(groups.get(r.nextInt(groups.size())), groups.get(r.nextInt(groups.size())))))));
                case 2 -> {
                    Vnic moved = r.nextBoolean() ? v.withHost("h-other", "tapo" + step) : v.withHost(null, null);
                    // A new MAC, now and then one another vnic has.
                    MacAddress mac = r.nextInt(3) == 0 ? vnics.get(r.nextInt(vnics.size())).mac()
                            : MacAddress.parse(String.format("52:54:00:cc:%02x:%02x", step, i), "mac");
                    c.vnic(r.nextBoolean() ? moved : new Vnic(moved.id(), moved.projectId(), moved.name(), moved.instanceId(), moved.hostId(),
                            moved.device(), mac, moved.addresses(), moved.networkId(), moved.securityGroupIds(), moved.portSecurity(), moved.logDrops()));
                }
                case 3 -> c.remove(v.id());
                case 4 -> c.remove(v.id()).vnic(v.withGroups(List.of()));
                case 5 -> {
                    // Now and then one more vnic of an instance there is, so instances hold several.
                    List<Instance> there = new ArrayList<>(held.instances().values());
                    Instance inst = !there.isEmpty() && r.nextBoolean() ? there.get(r.nextInt(there.size())) : new Instance("i-n" + step + i, project, "inst");
                    c.instance(inst).vnic(new Vnic("vif-n" + step + "x" + i, project, "", inst.id(), r.nextBoolean() ? "h-other" : null,
                            "tapn" + step + i, MacAddress.parse(String.format("52:54:00:bb:%02x:%02x", step, i), "mac"), List.of(),
                            r.nextBoolean() ? "net-other" : null, List.of(groups.get(r.nextInt(groups.size()))), true));
                }
                case 6 -> {
                    if (groups.size() > 1) {
                        String g = groups.get(r.nextInt(groups.size() - 1));
                        c.group(held.groups().get(g).withRules(withIpSetRule(RandomWorlds.rules(r, groups), r)));
                    }
                }
                case 7 -> {
                    if (groups.size() > 1) {
                        c.remove(groups.get(r.nextInt(groups.size() - 1)));
                    }
                }
                case 8 -> {
                    List<String> sets = new ArrayList<>(held.ipSets().keySet());
                    if (!sets.isEmpty() && r.nextInt(3) == 0) {
                        c.remove(sets.get(r.nextInt(sets.size())));
                    } else {
                        // Now and then in a project of its own, so the per-project counts follow more than one project.
                        c.ipSet(new IpSet("ips-s" + r.nextInt(3), r.nextInt(4) == 0 ? "p-sets" : project, "s", "", IpVersion.V4, false,
                                List.of(new IpSet.Entry(Cidr.parse("192.0.2." + step + "/32", "cidr"), ""))));
                    }
                }
                default -> {
                    List<String> instances = new ArrayList<>(held.instances().keySet());
                    if (!instances.isEmpty()) {
                        c.remove(instances.get(r.nextInt(instances.size())));
                    } else {
                        c.group(new SecurityGroup("sg-n" + step, project, "new" + step, "", true, false,
                                withIpSetRule(RandomWorlds.rules(r, groups), r)));
                    }
                }
            }
        }
        return c.build();
    }

    private static List<Rule> withIpSetRule(List<Rule> rules, Random r) {
        if (r.nextBoolean()) {
            return rules;
        }
        List<Rule> out = new ArrayList<>(rules);
        out.add(new Rule("sgr-set" + r.nextInt(1000), Direction.INGRESS, IpVersion.V4, new Match.AnyProtocol(),
                new Remote.IpSetRemote("ips-s" + r.nextInt(3)), ""));
        return out;
    }

    /** Changes folded into one (as the watch hub takes those that queued up) make the world the changes make in turn. */
    @Property(tries = 100)
    void changesFoldedIntoOneMakeTheSameWorld(@ForAll long seed) {
        Random r = new Random(seed);
        World start = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        World stepwise = start;
        List<WorldChange> changes = new ArrayList<>();
        for (int step = 1; step <= 6; step++) {
            WorldChange c = randomChange(r, stepwise, step);
            stepwise = stepwise.apply(c);
            changes.add(c);
        }
        WorldChange folded = WorldChange.inTurn(changes);
        SliceDiffTest.assertSameWorld(start.apply(folded), stepwise);
        assertThat(start.apply(folded).instances()).isEqualTo(stepwise.instances());
    }

    @Test
    void aMembershipChangeSharesEveryUntouchedMap() {
        World a = RandomWorlds.world(new Random(3), "wakame");
        Vnic v = a.vnics().values().iterator().next();
        World b = a.apply(WorldChange.builder().vnic(v.withGroups(List.of())).build());
        assertThat(b.groups()).isSameAs(a.groups());
        assertThat(b.projects()).isSameAs(a.projects());
        assertThat(b.ipSets()).isSameAs(a.ipSets());
        assertThat(b.networks()).isSameAs(a.networks());
        assertThat(b.hosts()).isSameAs(a.hosts());
        assertThat(b.instances()).isSameAs(a.instances());
        assertThat(b.vnic(v.id())).contains(v.withGroups(List.of()));
    }

    @Test
    void againstDropsWhatChangesNothing() {
        World a = RandomWorlds.world(new Random(4), "wakame");
        Vnic v = a.vnics().values().iterator().next();
        SecurityGroup g = a.groups().values().iterator().next();
        WorldChange c = WorldChange.builder().vnic(v).group(g.withRules(List.of())).remove("sg-absent").build().against(a);
        assertThat(c.vnics()).isEmpty();
        assertThat(c.removed()).isEmpty();
        assertThat(c.groups()).hasSize(g.rules().isEmpty() ? 0 : 1);
        WorldChange back = WorldChange.builder().remove(v.id()).vnic(v).build().against(a);
        assertThat(back.vnics()).containsExactly(v);
        assertThat(back.removed()).containsExactly(v.id());
    }
}
