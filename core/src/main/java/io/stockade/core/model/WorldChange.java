package io.stockade.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What one write does to the world, as a value: the objects it puts (new ones, or new versions
 * of present ones, by id) and the ids it removes. {@link World#apply(WorldChange)} makes the next
 * world from it without a copy of the world, the store writes exactly these objects, and the
 * watch hub finds the hosts it affects from it. Removals come first: an id both removed and put
 * is an object deleted and made again (last in its map's order, as a rebuild puts it).
 */
public record WorldChange(
        List<Project> projects,
        List<SecurityGroup> groups,
        List<IpSet> ipSets,
        List<Network> networks,
        List<Host> hosts,
        List<Instance> instances,
        List<Vnic> vnics,
        Set<String> removed) {

    public static final WorldChange NONE = builder().build();

    public WorldChange {
        projects = List.copyOf(projects);
        groups = List.copyOf(groups);
        ipSets = List.copyOf(ipSets);
        networks = List.copyOf(networks);
        hosts = List.copyOf(hosts);
        instances = List.copyOf(instances);
        vnics = List.copyOf(vnics);
        removed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(removed));
    }

    /** The change a diff between two slices carries (slices hold no instances). */
    public static WorldChange of(SliceDiff d) {
        return new WorldChange(d.projects(), d.groups(), d.ipSets(), d.networks(), d.hosts(), List.of(), d.vnics(), d.deleted());
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return projects.isEmpty() && groups.isEmpty() && ipSets.isEmpty() && networks.isEmpty() && hosts.isEmpty()
                && instances.isEmpty() && vnics.isEmpty() && removed.isEmpty();
    }

    /** The ids of every object it puts or removes. */
    public Set<String> ids() {
        Set<String> out = new LinkedHashSet<>(removed);
        projects.forEach(o -> out.add(o.id()));
        groups.forEach(o -> out.add(o.id()));
        ipSets.forEach(o -> out.add(o.id()));
        networks.forEach(o -> out.add(o.id()));
        hosts.forEach(o -> out.add(o.id()));
        instances.forEach(o -> out.add(o.id()));
        vnics.forEach(o -> out.add(o.id()));
        return out;
    }

    /** How many objects it puts or removes. */
    public int size() {
        return projects.size() + groups.size() + ipSets.size() + networks.size() + hosts.size() + instances.size() + vnics.size()
                + removed.size();
    }

    /**
     * These changes as one: what applying them in turn does. Costs the sum of their sizes (a
     * fold of pairs would copy the growing change again at each step).
     */
    public static WorldChange inTurn(List<WorldChange> changes) {
        if (changes.size() == 1) {
            return changes.get(0);
        }
        Builder b = builder();
        changes.forEach(b::with);
        return b.build();
    }

    /**
     * This change without what would change nothing in {@code base}: puts of objects equal to the
     * ones there, and removals of ids it does not hold.
     */
    public WorldChange against(World base) {
        Set<String> gone = new LinkedHashSet<>();
        for (String id : removed) {
            if (base.holds(id)) {
                gone.add(id);
            }
        }
        return new WorldChange(changed(projects, base.projects(), Project::id, gone), changed(groups, base.groups(), SecurityGroup::id, gone),
                changed(ipSets, base.ipSets(), IpSet::id, gone), changed(networks, base.networks(), Network::id, gone),
                changed(hosts, base.hosts(), Host::id, gone), changed(instances, base.instances(), Instance::id, gone),
                changed(vnics, base.vnics(), Vnic::id, gone), gone);
    }

    private static <T> List<T> changed(List<T> puts, Map<String, T> base, Function<T, String> id, Set<String> gone) {
        List<T> out = new ArrayList<>(puts.size());
        for (T t : puts) {
            if (gone.contains(id.apply(t)) || !t.equals(base.get(id.apply(t)))) {
                out.add(t);
            }
        }
        return out;
    }

    /** Collects puts and removals in the order a {@link World.Builder} would take them. */
    public static final class Builder {
        private final Map<String, Project> projects = new LinkedHashMap<>();
        private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
        private final Map<String, IpSet> ipSets = new LinkedHashMap<>();
        private final Map<String, Network> networks = new LinkedHashMap<>();
        private final Map<String, Host> hosts = new LinkedHashMap<>();
        private final Map<String, Instance> instances = new LinkedHashMap<>();
        private final Map<String, Vnic> vnics = new LinkedHashMap<>();
        private final Set<String> removed = new LinkedHashSet<>();

        public Builder project(Project p) { projects.put(p.id(), p); return this; }

        public Builder group(SecurityGroup g) { groups.put(g.id(), g); return this; }

        public Builder ipSet(IpSet s) { ipSets.put(s.id(), s); return this; }

        public Builder network(Network n) { networks.put(n.id(), n); return this; }

        public Builder host(Host h) { hosts.put(h.id(), h); return this; }

        public Builder instance(Instance i) { instances.put(i.id(), i); return this; }

        public Builder vnic(Vnic v) { vnics.put(v.id(), v); return this; }

        /** Removes the object with this id, whatever its kind, and anything put under it before. */
        public Builder remove(String id) {
            for (Map<String, ?> m : List.of(projects, groups, ipSets, networks, hosts, instances, vnics)) {
                m.remove(id);
            }
            removed.add(id);
            return this;
        }

        /** Takes in a change after what it holds: its removals, then its puts (as {@link World.Builder#with}). */
        public Builder with(WorldChange c) {
            c.removed.forEach(this::remove);
            c.projects.forEach(this::project);
            c.groups.forEach(this::group);
            c.ipSets.forEach(this::ipSet);
            c.networks.forEach(this::network);
            c.hosts.forEach(this::host);
            c.instances.forEach(this::instance);
            c.vnics.forEach(this::vnic);
            return this;
        }

        public WorldChange build() {
            return new WorldChange(List.copyOf(projects.values()), List.copyOf(groups.values()), List.copyOf(ipSets.values()),
                    List.copyOf(networks.values()), List.copyOf(hosts.values()), List.copyOf(instances.values()),
                    List.copyOf(vnics.values()), removed);
        }
    }
}
