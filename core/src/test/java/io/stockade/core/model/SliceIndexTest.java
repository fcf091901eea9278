package io.stockade.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SliceIndexTest {
    private static final List<String> HOSTS = List.of(TestWorld.HOST, "h-two", "h-other");

    /**
     * The oracle: change after random change (memberships, moves, vnics and groups made and
     * deleted, rules and references changed, ip sets, networks, projects and hosts made and
     * deleted), each watched host's slice, followed by the diffs the index answers, holds exactly
     * what a slice cut afresh from the new world holds; an unwatched host gets no diff, and a host
     * whose slice did not change gets none either.
     */
    @Property(tries = 300)
    void followingTheDiffsEqualsCuttingTheSliceAgain(@ForAll long seed) {
        Random r = new Random(seed);
        World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(r.nextInt(4)));
        World.Builder b = w.toBuilder().host(new Host("h-two", "two", "br0", List.of()));
        w.vnics().values().stream().filter(v -> r.nextBoolean()).forEach(v -> b.vnic(v.withHost("h-two", v.device())));
        w = b.build();
        SliceIndex index = new SliceIndex(w);
        Set<String> watched = Set.of(TestWorld.HOST, "h-two");
        Map<String, World> held = new HashMap<>();
        for (String h : HOSTS) {
            held.put(h, HostSlice.of(w, h));
        }
        for (int step = 1; step <= 15; step++) {
            WorldChange c = r.nextInt(4) == 0 ? infrastructureChange(r, w, step) : WorldChangeTest.randomChange(r, w, step);
            World next = w.apply(c).atRevision(step);
            Map<String, SliceDiff> diffs = index.advance(w, next, c, watched::contains);
            assertThat(diffs.keySet()).isSubsetOf(watched);
            for (String h : HOSTS) {
                World expected = HostSlice.of(next, h);
                SliceDiff d = diffs.get(h);
                if (!watched.contains(h)) {
                    held.put(h, expected);
                    continue;
                }
                World slice = d == null ? held.get(h) : d.applyTo(held.get(h));
                assertThat(slice.vnics()).as("vnics of %s after %s", h, c).isEqualTo(expected.vnics());
                assertThat(slice.groups()).as("groups of %s after %s", h, c).isEqualTo(expected.groups());
                assertThat(slice.ipSets()).as("ip sets of %s after %s", h, c).isEqualTo(expected.ipSets());
                assertThat(slice.networks()).as("networks of %s after %s", h, c).isEqualTo(expected.networks());
                assertThat(slice.projects()).as("projects of %s after %s", h, c).isEqualTo(expected.projects());
                assertThat(slice.hosts()).as("hosts of %s after %s", h, c).isEqualTo(expected.hosts());
                if (d != null) {
                    assertThat(d.revision()).isEqualTo(step);
                    assertThat(d.isEmpty(held.get(h))).as("an empty diff for %s", h).isFalse();
                }
                held.put(h, slice);
            }
            w = next;
        }
    }

    /** Changes the random changes of {@link WorldChangeTest} do not make: networks, projects and hosts made, changed and deleted. */
    private static WorldChange infrastructureChange(Random r, World w, int step) {
        WorldChange.Builder c = WorldChange.builder();
        List<Network> networks = new ArrayList<>(w.networks().values());
        switch (r.nextInt(6)) {
            case 0 -> {
                if (!networks.isEmpty()) {
                    c.remove(networks.get(r.nextInt(networks.size())).id());
                }
            }
            case 1 -> c.network(new Network("net-other", "other" + step, List.of(io.stockade.core.net.Cidr.parse("198.51.100.0/24", "subnet")), List.of(), List.of(), List.of(),
                    List.of(), FirewallMode.SECURITY_GROUPS));
            case 2 -> w.projects().keySet().stream().findFirst().ifPresent(c::remove);
            case 3 -> c.project(new Project(TestWorld.PROJECT, "renamed" + step, r.nextBoolean()));
            case 4 -> c.remove(HOSTS.get(r.nextInt(HOSTS.size())));
            default -> c.host(new Host(HOSTS.get(r.nextInt(HOSTS.size())), "host" + step, "br" + step, List.of()));
        }
        return c.build().against(w);
    }

    @Test
    void aMembershipChangeTouchesOnlyTheHostsOfItsGroupsAndNetwork() {
        World w = TestWorld.wakame()
                .group("sg-a", TestWorld.tcpFromGroup(22, 22, "sg-a")).group("sg-b").group("sg-far")
                .vnic("vif-a1", "sg-a").vnic("vif-b1", "sg-b").vnic("vif-far", "sg-far").build();
        World.Builder b = w.toBuilder().host(new Host("h-two", "two", "br0", List.of())).host(new Host("h-far", "far", "br0", List.of()));
        b.vnic(w.vnics().get("vif-b1").withHost("h-two", "tap2"));
        Vnic far = w.vnics().get("vif-far").withHost("h-far", "tap3");
        b.vnic(new Vnic(far.id(), far.projectId(), far.name(), far.instanceId(), far.hostId(), far.device(), far.mac(), List.of(), null,
                far.securityGroupIds(), true));
        w = b.build();
        SliceIndex index = new SliceIndex(w);
        WorldChange c = WorldChange.builder().vnic(w.vnics().get("vif-b1").withGroups(List.of("sg-a"))).build();
        World next = w.apply(c).atRevision(w.revision() + 1);
        Map<String, SliceDiff> diffs = index.advance(w, next, c, h -> true);
        assertThat(diffs).containsOnlyKeys(TestWorld.HOST, "h-two");
        assertThat(diffs.get("h-two").groups()).extracting(SecurityGroup::id).containsExactly("sg-a");
        assertThat(diffs.get("h-two").deleted()).containsExactly("sg-b");
    }
}
