package io.stockade.core.model;

import io.stockade.core.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The change from one world (usually a host's slice) to another: the objects that are new or
 * changed, the ids of the objects that are gone, and the new policy and revision. Applying the
 * diff of (a, b) to a gives a world equal to b.
 */
public record SliceDiff(
        long revision,
        Policy policy,
        List<Project> projects,
        List<SecurityGroup> groups,
        List<IpSet> ipSets,
        List<Network> networks,
        List<Host> hosts,
        List<Vnic> vnics,
        Set<String> deleted) {

    public SliceDiff {
        projects = List.copyOf(projects);
        groups = List.copyOf(groups);
        ipSets = List.copyOf(ipSets);
        networks = List.copyOf(networks);
        hosts = List.copyOf(hosts);
        vnics = List.copyOf(vnics);
        deleted = Set.copyOf(deleted);
    }

    public static SliceDiff between(World a, World b) {
        Set<String> deleted = new LinkedHashSet<>();
        return new SliceDiff(b.revision(), b.policy(),
                changed(a.projects(), b.projects(), deleted),
                changed(a.groups(), b.groups(), deleted),
                changed(a.ipSets(), b.ipSets(), deleted),
                changed(a.networks(), b.networks(), deleted),
                changed(a.hosts(), b.hosts(), deleted),
                changed(a.vnics(), b.vnics(), deleted),
                deleted);
    }

    /**
     * These diffs as one, the last's revision and policy: applied to a world, what applying them in
     * turn gives. An id deleted and then put again stays deleted too, so it is put last in its
     * map's order, as in turn.
     */
    public static SliceDiff inTurn(List<SliceDiff> diffs) {
        if (diffs.size() == 1) {
            return diffs.get(0);
        }
        WorldChange c = WorldChange.inTurn(diffs.stream().map(WorldChange::of).toList());
        SliceDiff last = diffs.get(diffs.size() - 1);
        return new SliceDiff(last.revision, last.policy, c.projects(), c.groups(), c.ipSets(), c.networks(), c.hosts(), c.vnics(), c.removed());
    }

    /** True when nothing but the revision differs. */
    public boolean isEmpty(World base) {
        return projects.isEmpty() && groups.isEmpty() && ipSets.isEmpty() && networks.isEmpty() && hosts.isEmpty()
                && vnics.isEmpty() && deleted.isEmpty() && policy.equals(base.policy());
    }

    /** The world {@code base} with these changes (what a rebuild of {@code base} with them would give). */
    public World applyTo(World base) {
        return base.apply(this);
    }

    private static <T> List<T> changed(Map<String, T> before, Map<String, T> after, Set<String> deleted) {
        List<T> out = new ArrayList<>();
        for (Map.Entry<String, T> e : after.entrySet()) {
            T old = before.get(e.getKey());
            if (old != e.getValue() && !Objects.equals(old, e.getValue())) {
                out.add(e.getValue());
            }
        }
        for (String id : before.keySet()) {
            if (!after.containsKey(id)) {
                deleted.add(id);
            }
        }
        return out;
    }
}
