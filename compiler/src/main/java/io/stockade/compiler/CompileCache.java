package io.stockade.compiler;

import io.stockade.core.model.Direction;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.net.IpVersion;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What compiles share, so a change costs what it touches. Worlds are immutable values that keep
 * the same object for what did not change, so:
 * <ul>
 *   <li>a group's compiled rule sets are kept per group object, checked against the versions of
 *       the ip sets its rules name, and a change recompiles only the groups it replaced;</li>
 *   <li>a vnic's chains and a host's shared sets (MACs of a network's vnics, of a group's
 *       members, addresses of referenced groups) are kept with the inputs they were made from,
 *       and made again only when one of those inputs is not the same as last time.</li>
 * </ul>
 * One cache serves one caller at a time (an agent, or one compile of every host of a world); it is
 * not thread-safe.
 */
public final class CompileCache {
    /** Both directions of one group, the groups its rules reference, and the ip sets they name with the versions compiled for. */
    record GroupSets(RuleSets.Compiled ingress, RuleSets.Compiled egress, Set<String> references, Map<String, IpVersion> ipSetVersions) {
        RuleSets.Compiled of(Direction d) {
            return d == Direction.INGRESS ? ingress : egress;
        }

        /** Whether every ip set the rules name has, in {@code ipSets}, the version (or absence) it was compiled for. */
        boolean compiledFor(Map<String, IpSet> ipSets) {
            for (Map.Entry<String, IpVersion> e : ipSetVersions.entrySet()) {
                IpSet now = ipSets.get(e.getKey());
                if ((now == null ? null : now.version()) != e.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Made(List<?> inputs, List<String> value) {}

    private final Map<SecurityGroup, GroupSets> byGroup = new IdentityHashMap<>();
    private final Map<String, Made> made = new HashMap<>();

    GroupSets of(SecurityGroup g, Map<String, IpSet> ipSets) {
        GroupSets s = byGroup.get(g);
        if (s == null || !s.compiledFor(ipSets)) {
            Map<String, IpVersion> named = new HashMap<>();
            Set<String> references = new TreeSet<>();
            for (Rule r : g.rules()) {
                switch (r.remote()) {
                    case Remote.IpSetRemote ref -> named.put(ref.ipSetId(), ipSets.containsKey(ref.ipSetId()) ? ipSets.get(ref.ipSetId()).version() : null);
                    case Remote.GroupRemote ref -> references.add(ref.groupId());
                    case Remote.CidrRemote c -> { }
                }
            }
            Map<String, IpVersion> present = new HashMap<>();
            named.forEach((id, v) -> {
                if (v != null) {
                    present.put(id, v);
                }
            });
            s = new GroupSets(RuleSets.of(NftNames.of("in", g.id()), Direction.INGRESS, g.rules(), present),
                    RuleSets.of(NftNames.of("eg", g.id()), Direction.EGRESS, g.rules(), present), Set.copyOf(references), named);
            byGroup.put(g, s);
        }
        return s;
    }

    /**
     * A chain's rules or a set's elements, made again only when one of {@code inputs} differs
     * from the inputs of the last time: the same object passes at once, others are compared by
     * equality.
     */
    List<String> made(String key, List<?> inputs, Supplier<List<String>> make) {
        return reuseOrMake(key, inputs, false, make);
    }

    /**
     * As {@link #made(String, List, Supplier)} for a value that depends on which inputs there are,
     * not on their order or repeats (the MACs of a set): the same inputs in another order are the
     * same inputs. A host's slice lists vnics in the order it reached them, which a change elsewhere
     * can reorder; the world's own order passes the quick check.
     */
    List<String> madeOfSet(String key, List<?> inputs, Supplier<List<String>> make) {
        return reuseOrMake(key, inputs, true, make);
    }

    private List<String> reuseOrMake(String key, List<?> inputs, boolean anyOrder, Supplier<List<String>> make) {
        Made m = made.get(key);
        if (m == null || !same(m.inputs(), inputs)) {
            // Inputs only reordered keep the value, now with their new order for the quick check.
            boolean reordered = anyOrder && m != null && new HashSet<>(m.inputs()).equals(new HashSet<>(inputs));
            m = new Made(inputs, reordered ? m.value() : List.copyOf(make.get()));
            made.put(key, m);
        }
        return m.value();
    }

    /**
     * As {@link #made(String, List, Supplier)} when {@code reuse}; otherwise made afresh and not
     * kept, for rules that are made together with something else (a vnic's drop-log chains).
     */
    List<String> made(String key, List<?> inputs, boolean reuse, Supplier<List<String>> make) {
        return reuse ? made(key, inputs, make) : List.copyOf(make.get());
    }

    private static boolean same(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i) && !Objects.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Forgets the groups that are no longer part of {@code world} (replaced or removed), and leftovers of many removed vnics. */
    public void retain(World world) {
        byGroup.keySet().removeIf(g -> world.groups().get(g.id()) != g);
        if (made.size() > 8 * Math.max(16, world.vnics().size() + world.groups().size())) {
            made.clear();
        }
    }

    /** How many groups are held. */
    public int size() {
        return byGroup.size();
    }
}
