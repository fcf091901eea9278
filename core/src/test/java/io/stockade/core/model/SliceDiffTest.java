package io.stockade.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.net.MacAddress;
import io.stockade.core.testing.RandomWorlds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SliceDiffTest {

    @Property(tries = 200)
    void applyingTheDiffGivesTheTarget(@ForAll long seedA, @ForAll long seedB) {
        World a = RandomWorlds.world(new Random(seedA), RandomWorlds.PROFILES.get((int) Math.floorMod(seedA, 4)));
        World b = RandomWorlds.world(new Random(seedB), RandomWorlds.PROFILES.get((int) Math.floorMod(seedB, 4))).atRevision(7);
        World c = SliceDiff.between(a, b).applyTo(a);
        assertThat(c.groups()).isEqualTo(b.groups());
        assertThat(c.vnics()).isEqualTo(b.vnics());
        assertThat(c.ipSets()).isEqualTo(b.ipSets());
        assertThat(c.networks()).isEqualTo(b.networks());
        assertThat(c.policy()).isEqualTo(b.policy());
        assertThat(c.revision()).isEqualTo(7);
        assertSameWorld(c, b);
    }

    /**
     * An agent applies diff after diff to the world it holds, which updates the indexes in place
     * of a rebuild: after each of many small random changes (memberships, hosts, networks, vnics
     * and groups coming and going, also in hand-made diffs that delete a vnic and bring it back),
     * the world it holds must equal, maps in their order and every index, the world rebuilt.
     */
    @Property(tries = 300)
    void diffAfterDiffEqualsRebuilding(@ForAll long seed) {
        Random r = new Random(seed);
        World held = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        for (int step = 1; step <= 12; step++) {
            World.Builder next = held.toBuilder().revision(step);
            SliceDiff d = randomChange(r, held, next, step);
            World rebuilt = d != null ? rebuild(held, d) : next.build();
            World applied = (d != null ? d : SliceDiff.between(held, rebuilt)).applyTo(held);
            assertSameWorld(applied, rebuilt);
            held = applied;
        }
    }

    /**
     * What an agent several revisions behind gets: the diffs since its revision as one. Applied to
     * the world it holds, it gives the world the diffs give in turn, maps in their order and every
     * index (a vnic deleted and made again, or made and deleted, included).
     */
    @Property(tries = 300)
    void diffsInTurnAsOneEqualApplyingThemInTurn(@ForAll long seed) {
        Random r = new Random(seed);
        World start = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        World held = start;
        List<SliceDiff> diffs = new ArrayList<>();
        for (int step = 1; step <= 8; step++) {
            World.Builder next = held.toBuilder().revision(step);
            SliceDiff d = randomChange(r, held, next, step);
            if (d == null) {
                d = SliceDiff.between(held, next.build());
            }
            diffs.add(d);
            held = d.applyTo(held);
        }
        for (int from = 0; from < diffs.size(); from++) {
            World base = start;
            for (SliceDiff d : diffs.subList(0, from)) {
                base = d.applyTo(base);
            }
            SliceDiff one = SliceDiff.inTurn(diffs.subList(from, diffs.size()));
            assertThat(one.revision()).isEqualTo(8);
            assertSameWorld(one.applyTo(base), held);
        }
    }

    /** Makes a random change in {@code next}, or returns a hand-made diff of {@code held} that a builder could not give. */
    private static SliceDiff randomChange(Random r, World held, World.Builder next, int step) {
        List<Vnic> vnics = new ArrayList<>(held.vnics().values());
        List<String> groups = new ArrayList<>(held.groups().keySet());
        groups.add("sg-missing");
        Vnic v = vnics.isEmpty() ? null : vnics.get(r.nextInt(vnics.size()));
        int kind = v == null ? 3 : r.nextInt(8);
        switch (kind == 5 && held.groups().isEmpty() ? 3 : kind) {
            case 0, 1 -> {
                List<String> mine = new ArrayList<>(new java.util.LinkedHashSet<>(List.of(groups.get(r.nextInt(groups.size())), groups.get(r.nextInt(groups.size())))));
                next.vnic(v.withGroups(mine.subList(0, r.nextInt(mine.size() + 1))));
            }
            case 2 -> next.vnic(r.nextBoolean() ? v.withHost("h-other", "tapo" + step) : v.withHost(null, null));
            case 3 -> {
                Vnic model = v != null ? v : RandomWorlds.world(r, "wakame").vnics().values().iterator().next();
                next.vnic(new Vnic("vif-n" + step, model.projectId(), "", null, r.nextBoolean() ? model.hostId() : "h-other",
                        "tapn" + step, MacAddress.parse(String.format("52:54:00:aa:00:%02x", step), "mac"), model.addresses(),
                        r.nextBoolean() ? model.networkId() : "net-other", List.of(groups.get(r.nextInt(groups.size()))), true));
            }
            case 4 -> next.remove(v.id());
            case 5 -> {
                String g = groups.get(r.nextInt(groups.size() - 1));
                if (r.nextBoolean()) {
                    next.remove(g);
                } else {
                    next.group(held.groups().get(g).withRules(RandomWorlds.rules(r, groups)));
                }
            }
            case 6 -> {
                // Deleted and back in one diff: a builder removes first, then puts it last.
                return new SliceDiff(step, held.policy(), List.of(), List.of(), List.of(), List.of(), List.of(),
                        List.of(v.withGroups(List.of()), v), Set.of(v.id()));
            }
            default -> {
                Vnic w = vnics.get(r.nextInt(vnics.size()));
                return new SliceDiff(step, held.policy(), List.of(), List.of(), List.of(), List.of(), List.of(),
                        List.of(v.withHost(null, null), w.withGroups(List.of(groups.get(0)))), Set.of());
            }
        }
        return null;
    }

    /** What applying a diff means: the base rebuilt, with the deleted ids removed and the changes put in. */
    private static World rebuild(World base, SliceDiff d) {
        World.Builder b = base.toBuilder().revision(d.revision()).policy(d.policy());
        d.deleted().forEach(b::remove);
        d.projects().forEach(b::project);
        d.groups().forEach(b::group);
        d.ipSets().forEach(b::ipSet);
        d.networks().forEach(b::network);
        d.hosts().forEach(b::host);
        d.vnics().forEach(b::vnic);
        return b.build();
    }

    static void assertSameWorld(World actual, World expected) {
        assertThat(List.copyOf(actual.vnics().entrySet())).isEqualTo(List.copyOf(expected.vnics().entrySet()));
        assertThat(List.copyOf(actual.groups().entrySet())).isEqualTo(List.copyOf(expected.groups().entrySet()));
        assertThat(List.copyOf(actual.ipSets().entrySet())).isEqualTo(List.copyOf(expected.ipSets().entrySet()));
        assertThat(List.copyOf(actual.networks().entrySet())).isEqualTo(List.copyOf(expected.networks().entrySet()));
        assertThat(List.copyOf(actual.hosts().entrySet())).isEqualTo(List.copyOf(expected.hosts().entrySet()));
        assertThat(List.copyOf(actual.projects().entrySet())).isEqualTo(List.copyOf(expected.projects().entrySet()));
        Set<String> groups = new HashSet<>(List.of("sg-missing"));
        Set<String> hosts = new HashSet<>(List.of("h-other"));
        Set<String> networks = new HashSet<>(List.of("net-other"));
        for (World w : List.of(actual, expected)) {
            groups.addAll(w.groups().keySet());
            w.vnics().values().forEach(v -> {
                groups.addAll(v.securityGroupIds());
                hosts.add(String.valueOf(v.hostId()));
                networks.add(String.valueOf(v.networkId()));
                assertThat(actual.vnicByMac(v.mac())).isEqualTo(expected.vnicByMac(v.mac()));
            });
        }
        for (String g : groups) {
            assertThat(actual.members(g)).as("members of %s", g).isEqualTo(expected.members(g));
            assertThat(List.copyOf(actual.referencingGroups(g))).isEqualTo(List.copyOf(expected.referencingGroups(g)));
        }
        hosts.forEach(h -> assertThat(actual.vnicsOnHost(h)).as("vnics on %s", h).isEqualTo(expected.vnicsOnHost(h)));
        networks.forEach(n -> assertThat(actual.vnicsOnNetwork(n)).as("vnics on %s", n).isEqualTo(expected.vnicsOnNetwork(n)));
        expected.ipSets().keySet().forEach(s -> assertThat(List.copyOf(actual.ipSetUsers(s))).isEqualTo(List.copyOf(expected.ipSetUsers(s))));
        Set<String> projects = new HashSet<>(List.of("p-none"));
        Set<String> instances = new HashSet<>(List.of("i-none"));
        for (World w : List.of(actual, expected)) {
            projects.addAll(w.projects().keySet());
            w.vnics().values().forEach(v -> {
                projects.add(v.projectId());
                instances.add(String.valueOf(v.instanceId()));
            });
            w.groups().values().forEach(g -> projects.add(g.projectId()));
            w.ipSets().values().forEach(s -> projects.add(s.projectId()));
        }
        projects.forEach(p -> assertThat(actual.counts(p)).as("counts of %s", p).isEqualTo(expected.counts(p)));
        instances.forEach(i -> assertThat(actual.vnicsOfInstance(i)).as("vnics of %s", i).isEqualTo(expected.vnicsOfInstance(i)));
    }

    @Test
    void aMembershipChangeIsOneVnic() {
        World a = RandomWorlds.world(new Random(1), "wakame");
        Vnic v = a.vnics().values().iterator().next();
        World b = a.toBuilder().vnic(v.withGroups(java.util.List.of("sg-g0"))).revision(2).build();
        SliceDiff d = SliceDiff.between(a, b);
        assertThat(d.vnics()).hasSize(v.securityGroupIds().equals(java.util.List.of("sg-g0")) ? 0 : 1);
        assertThat(d.groups()).isEmpty();
        assertThat(d.deleted()).isEmpty();
        assertThat(SliceDiff.between(a, a).isEmpty(a)).isTrue();
    }
}
