package io.stockade.compiler;

import io.stockade.core.model.Direction;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.net.IpVersion;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Compiled rule sets of security groups, kept between compiles. A group's sets depend only on
 * its rules and on the versions of the ip sets they name, and worlds are immutable values that
 * keep the same object for an unchanged group; so the cache is keyed by the group object
 * itself, and a change recompiles only the groups it replaced. One cache serves one caller at a
 * time (an agent, or one compile of every host); it is not thread-safe.
 */
public final class RuleCache {
    /** Both directions of one group, and the ip set versions they were compiled against. */
    record GroupSets(RuleSets.Compiled ingress, RuleSets.Compiled egress, Map<String, IpVersion> ipSetVersions) {
        RuleSets.Compiled of(Direction d) {
            return d == Direction.INGRESS ? ingress : egress;
        }
    }

    private final Map<SecurityGroup, GroupSets> byGroup = new IdentityHashMap<>();

    GroupSets of(SecurityGroup g, Map<String, IpSet> ipSets) {
        Map<String, IpVersion> versions = RuleSets.ipSetVersions(g.rules(), ipSets);
        GroupSets s = byGroup.get(g);
        if (s == null || !s.ipSetVersions().equals(versions)) {
            s = new GroupSets(RuleSets.of(NftNames.of("in", g.id()), Direction.INGRESS, g.rules(), versions),
                    RuleSets.of(NftNames.of("eg", g.id()), Direction.EGRESS, g.rules(), versions), versions);
            byGroup.put(g, s);
        }
        return s;
    }

    /** Forgets the groups that are no longer part of {@code world} (replaced or removed). */
    public void retain(World world) {
        byGroup.keySet().removeIf(g -> world.groups().get(g.id()) != g);
    }

    /** How many groups are held. */
    public int size() {
        return byGroup.size();
    }
}
