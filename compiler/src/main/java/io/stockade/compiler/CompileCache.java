package io.stockade.compiler;

import io.stockade.core.model.Direction;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.net.IpVersion;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What compiles share. Per security group, its compiled rule sets, kept between compiles: they
 * depend only on the group's rules and on the versions of the ip sets they name, and worlds are
 * immutable values that keep the same object for an unchanged group, so they are keyed by the
 * group object itself and a change recompiles only the groups it replaced. Per world, the sets
 * every host of it holds alike (MACs of a network's vnics and of a group's members, addresses of
 * referenced groups), so compiling every host of one world formats them once. One cache serves
 * one caller at a time (an agent, or one compile of every host); it is not thread-safe.
 */
public final class CompileCache {
    /** Both directions of one group, the groups its rules reference, and the ip set versions they were compiled against. */
    record GroupSets(RuleSets.Compiled ingress, RuleSets.Compiled egress, Set<String> references, Map<String, IpVersion> ipSetVersions) {
        RuleSets.Compiled of(Direction d) {
            return d == Direction.INGRESS ? ingress : egress;
        }
    }

    private final Map<SecurityGroup, GroupSets> byGroup = new IdentityHashMap<>();
    private final Map<String, Chain> chains = new HashMap<>();
    private World memoWorld;
    private final Map<String, List<String>> byWorld = new HashMap<>();

    GroupSets of(SecurityGroup g, Map<String, IpSet> ipSets) {
        Map<String, IpVersion> versions = RuleSets.ipSetVersions(g.rules(), ipSets);
        GroupSets s = byGroup.get(g);
        if (s == null || !s.ipSetVersions().equals(versions)) {
            s = new GroupSets(RuleSets.of(NftNames.of("in", g.id()), Direction.INGRESS, g.rules(), versions),
                    RuleSets.of(NftNames.of("eg", g.id()), Direction.EGRESS, g.rules(), versions), references(g), versions);
            byGroup.put(g, s);
        }
        return s;
    }

    private static Set<String> references(SecurityGroup g) {
        Set<String> out = new TreeSet<>();
        for (Rule r : g.rules()) {
            if (r.remote() instanceof Remote.GroupRemote ref) {
                out.add(ref.groupId());
            }
        }
        return Set.copyOf(out);
    }

    /** The elements of a set that every host of {@code world} computes alike, made once per world. */
    List<String> perWorld(World world, String key, Supplier<List<String>> make) {
        if (world != memoWorld) {
            memoWorld = world;
            byWorld.clear();
        }
        List<String> v = byWorld.get(key);
        if (v == null) {
            v = make.get();
            byWorld.put(key, v);
        }
        return v;
    }

    /**
     * The rules of a chain, made again only when one of the inputs they are made from differs
     * from last time. Inputs are values of the world (vnics, groups, networks, policy: immutable
     * records), so an unchanged object is usually the very same one and compares in one step.
     */
    List<String> chain(String name, List<Object> inputs, Supplier<List<String>> make) {
        Chain c = chains.get(name);
        if (c == null || !same(c.inputs(), inputs)) {
            c = new Chain(inputs, List.copyOf(make.get()));
            chains.put(name, c);
        }
        return c.rules();
    }

    private record Chain(List<Object> inputs, List<String> rules) {}

    private static boolean same(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i) && !a.get(i).equals(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Forgets the groups that are no longer part of {@code world} (replaced or removed). */
    public void retain(World world) {
        byGroup.keySet().removeIf(g -> world.groups().get(g.id()) != g);
        if (chains.size() > 8 * Math.max(1, world.vnics().size())) {
            chains.clear();
        }
    }

    /** How many groups are held. */
    public int size() {
        return byGroup.size();
    }
}
