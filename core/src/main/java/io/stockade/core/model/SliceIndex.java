package io.stockade.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which host's slice ({@link HostSlice#of}) holds which object, kept as counts that a change
 * updates, so the diffs of every affected host's slice follow from the change alone: no slice is
 * kept, cut or walked. A host's slice is decided by three sets, each kept as counts of the host's
 * vnics: its vnics' groups, networks and projects. From those and the world's indexes (members,
 * referencing groups, ip set users, vnics on a network) it follows whether a slice holds a given
 * object, and which hosts' slices may hold it. A change moves counts; a count that goes from 0 to
 * 1 or back (a host takes in or loses a group, network or project) brings that object's members
 * in as candidates, as a group whose references change brings in the members of the groups it
 * gains or loses (Calico's calculation graph works the same way). Each candidate is then judged
 * before and after the change, in the world and with the counts of each.
 *
 * <p>Not thread-safe: one caller (the watch hub's publishing thread) advances it.
 */
public final class SliceIndex {
    private final Counts groups = new Counts();
    private final Counts networks = new Counts();
    private final Counts projects = new Counts();
    /** What a view notes for an id that names no object. */
    private static final Object NONE = new Object();

    /** The counts of every host's slice of {@code world}. */
    public SliceIndex(World world) {
        for (Vnic v : world.vnics().values()) {
            count(v, 1);
        }
        groups.settle();
        networks.settle();
        projects.settle();
    }

    /**
     * Takes in {@code change}, which made {@code next} from {@code prev}, and answers the diff of
     * each host's slice that it changes, among the hosts {@code watched} accepts (the others' counts
     * follow too). Each diff applied to the host's slice of {@code prev} gives its slice of
     * {@code next} ({@link HostSlice#of}); it carries {@code next}'s revision and policy.
     */
    public Map<String, SliceDiff> advance(World prev, World next, WorldChange change, Predicate<String> watched) {
        Map<String, Set<String>> candidates = new LinkedHashMap<>();
        Set<String> ids = ids(change);
        for (String id : ids) {
            Vnic was = prev.vnics().get(id);
            Vnic now = next.vnics().get(id);
            if (was != null) {
                count(was, -1);
            }
            if (now != null) {
                count(now, 1);
            }
        }
        View before = new View(prev, true);
        View after = new View(next, false);
        for (String id : ids) {
            for (View view : List.of(before, after)) {
                for (String host : view.holders(id)) {
                    if (watched.test(host)) {
                        candidates.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(id);
                    }
                }
            }
        }
        for (String id : ids) {
            if (prev.groups().containsKey(id) || next.groups().containsKey(id)) {
                referencesChanged(prev, next, id, before, after, watched, candidates);
            }
        }
        groups.transitions((host, g) -> {
            if (watched.test(host)) {
                Set<String> mine = candidates.computeIfAbsent(host, h -> new LinkedHashSet<>());
                groupAndMembers(prev, next, g, mine);
                for (World w : List.of(prev, next)) {
                    referenced(w, g).forEach(x -> groupAndMembers(prev, next, x, mine));
                    w.referencingGroups(g).forEach(x -> groupAndMembers(prev, next, x, mine));
                    mine.addAll(ipSetsUsed(w, g));
                }
            }
        });
        networks.transitions((host, n) -> {
            if (watched.test(host)) {
                Set<String> mine = candidates.computeIfAbsent(host, h -> new LinkedHashSet<>());
                mine.add(n);
                for (World w : List.of(prev, next)) {
                    w.vnicsOnNetwork(n).forEach(v -> mine.add(v.id()));
                }
            }
        });
        projects.transitions((host, p) -> {
            if (watched.test(host)) {
                candidates.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(p);
            }
        });
        Map<String, SliceDiff> diffs = new LinkedHashMap<>();
        candidates.forEach((host, mine) -> {
            SliceDiff d = diff(host, mine, before, after);
            if (!d.isEmpty(prev)) {
                diffs.put(host, d);
            }
        });
        groups.settle();
        networks.settle();
        projects.settle();
        return diffs;
    }

    /**
     * A group whose rules reference other groups than before: the hosts of each group it gains or
     * loses may take it (and its members) in or lose it, and its own hosts that group (and its members).
     */
    private void referencesChanged(World prev, World next, String id, View before, View after, Predicate<String> watched,
            Map<String, Set<String>> candidates) {
        Set<String> was = referenced(prev, id);
        Set<String> now = referenced(next, id);
        Set<String> ownHosts = new LinkedHashSet<>();
        for (View view : List.of(before, after)) {
            ownHosts.addAll(view.groupHosts(id));
        }
        for (String z : symmetricDifference(was, now)) {
            for (View view : List.of(before, after)) {
                for (String host : view.groupHosts(z)) {
                    if (watched.test(host)) {
                        groupAndMembers(prev, next, id, candidates.computeIfAbsent(host, h -> new LinkedHashSet<>()));
                    }
                }
            }
            for (String host : ownHosts) {
                if (watched.test(host)) {
                    groupAndMembers(prev, next, z, candidates.computeIfAbsent(host, h -> new LinkedHashSet<>()));
                }
            }
        }
        Set<String> sets = symmetricDifference(ipSetsUsed(prev, id), ipSetsUsed(next, id));
        if (!sets.isEmpty()) {
            for (String host : ownHosts) {
                if (watched.test(host)) {
                    candidates.computeIfAbsent(host, h -> new LinkedHashSet<>()).addAll(sets);
                }
            }
        }
    }

    /** The groups the group's rules reference in world {@code w} (none when it is not there). */
    private static Set<String> referenced(World w, String group) {
        SecurityGroup g = w.groups().get(group);
        return g == null ? Set.of() : new LinkedHashSet<>(World.referencedGroups(g));
    }

    /** The ip sets the group's rules use in world {@code w} (none when it is not there). */
    private static Set<String> ipSetsUsed(World w, String group) {
        SecurityGroup g = w.groups().get(group);
        return g == null ? Set.of() : new LinkedHashSet<>(World.usedIpSets(g));
    }

    private static void groupAndMembers(World prev, World next, String g, Set<String> into) {
        into.add(g);
        prev.members(g).forEach(v -> into.add(v.id()));
        next.members(g).forEach(v -> into.add(v.id()));
    }

    /** The diff of one host's slice: each candidate judged before and after the change. */
    private static SliceDiff diff(String host, Set<String> candidates, View before, View after) {
        List<Project> projects = new ArrayList<>();
        List<SecurityGroup> groups = new ArrayList<>();
        List<IpSet> ipSets = new ArrayList<>();
        List<Network> networks = new ArrayList<>();
        List<Host> hosts = new ArrayList<>();
        List<Vnic> vnics = new ArrayList<>();
        Set<String> deleted = new LinkedHashSet<>();
        for (String id : candidates) {
            Object was = before.held(host, id);
            Object is = after.held(host, id);
            if (is == null) {
                if (was != null) {
                    deleted.add(id);
                }
            } else if (is != was && !is.equals(was)) {
                switch (is) {
                    case Project p -> projects.add(p);
                    case SecurityGroup g -> groups.add(g);
                    case IpSet s -> ipSets.add(s);
                    case Network n -> networks.add(n);
                    case Host h -> hosts.add(h);
                    case Vnic v -> vnics.add(v);
                    default -> throw new IllegalStateException("not a slice object: " + is);
                }
            }
        }
        World next = after.world;
        return new SliceDiff(next.revision(), next.policy(), projects, groups, ipSets, networks, hosts, vnics, deleted);
    }

    private void count(Vnic v, int delta) {
        if (v.hostId() == null) {
            return;
        }
        for (String g : new LinkedHashSet<>(v.securityGroupIds())) {
            groups.add(v.hostId(), g, delta);
        }
        if (v.networkId() != null) {
            networks.add(v.hostId(), v.networkId(), delta);
        }
        projects.add(v.hostId(), v.projectId(), delta);
    }

    private static Set<String> ids(WorldChange c) {
        Set<String> ids = new LinkedHashSet<>(c.removed());
        c.projects().forEach(p -> ids.add(p.id()));
        c.groups().forEach(g -> ids.add(g.id()));
        c.ipSets().forEach(s -> ids.add(s.id()));
        c.networks().forEach(n -> ids.add(n.id()));
        c.hosts().forEach(h -> ids.add(h.id()));
        c.vnics().forEach(v -> ids.add(v.id()));
        return ids;
    }

    private static Set<String> symmetricDifference(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>();
        a.stream().filter(x -> !b.contains(x)).forEach(out::add);
        b.stream().filter(x -> !a.contains(x)).forEach(out::add);
        return out;
    }

    /**
     * The world before or after a change, with the counts as they were or are: which slices hold
     * what. Made once the counts have taken in the change, it remembers what it looked up for one
     * host that serves the others: each id's object, and each group's related hosts (the tens of
     * hosts that judge one changed vnic share its groups, as the many members of a group a host
     * takes in do).
     */
    private final class View {
        final World world;
        final boolean before;
        /** Each id looked up so far, to its object in this world ({@link #NONE}: none). */
        private final Map<String, Object> objects = new HashMap<>();
        /** Each group looked up so far, to the hosts whose slices it is related to ({@link #relatedHosts(String)}). */
        private final Map<String, Set<String>> related = new HashMap<>();
        /** Each network looked up so far, to the hosts with a vnic on it: one small set, not a map per host. */
        private final Map<String, Set<String>> onNetwork = new HashMap<>();

        View(World world, boolean before) {
            this.world = world;
            this.before = before;
        }

        /** The object of this id in this world, or null: a vnic, group, ip set, network, project or host, looked for in that order. */
        Object object(String id) {
            Object o = objects.get(id);
            if (o == null) {
                o = find(id);
                objects.put(id, o == null ? NONE : o);
            }
            return o == NONE ? null : o;
        }

        private Object find(String id) {
            for (Map<String, ?> kind : List.of(world.vnics(), world.groups(), world.ipSets(), world.networks(), world.projects(), world.hosts())) {
                Object o = kind.get(id);
                if (o != null) {
                    return o;
                }
            }
            return null;
        }

        /** The object of this id in the host's slice, or null. */
        Object held(String host, String id) {
            return switch (object(id)) {
                case Vnic v -> holds(host, v) ? v : null;
                case SecurityGroup g -> relatedHosts(id).contains(host) ? g : null;
                case IpSet s -> usesIpSet(host, id) ? s : null;
                case Network n -> networks.has(host, id, before) ? n : null;
                case Project p -> projects.has(host, id, before) ? p : null;
                case Host h -> id.equals(host) ? h : null;
                case null -> null;
                default -> throw new IllegalStateException("not a slice object: " + id);
            };
        }

        private boolean holds(String host, Vnic v) {
            if (host.equals(v.hostId()) || v.networkId() != null && onNetwork.computeIfAbsent(v.networkId(), n -> networks.hosts(n, before)).contains(host)) {
                return true;
            }
            for (String g : v.securityGroupIds()) {
                if (relatedHosts(g).contains(host)) {
                    return true;
                }
            }
            return false;
        }

        private boolean usesIpSet(String host, String set) {
            for (String g : world.ipSetUsers(set)) {
                if (groups.has(host, g, before)) {
                    return true;
                }
            }
            return false;
        }

        Set<String> groupHosts(String group) {
            return groups.hosts(group, before);
        }

        /** The hosts whose slices may hold the object of this id (a superset). */
        Collection<String> holders(String id) {
            Set<String> out = new LinkedHashSet<>();
            Vnic v = world.vnics().get(id);
            if (v != null) {
                if (v.hostId() != null) {
                    out.add(v.hostId());
                }
                if (v.networkId() != null) {
                    out.addAll(networks.hosts(v.networkId(), before));
                }
                v.securityGroupIds().forEach(g -> out.addAll(relatedHosts(g)));
                return out;
            }
            if (world.groups().containsKey(id)) {
                out.addAll(relatedHosts(id));
            }
            if (world.ipSets().containsKey(id)) {
                world.ipSetUsers(id).forEach(g -> out.addAll(groups.hosts(g, before)));
            }
            if (world.networks().containsKey(id)) {
                out.addAll(networks.hosts(id, before));
            }
            if (world.projects().containsKey(id)) {
                out.addAll(projects.hosts(id, before));
            }
            if (world.hosts().containsKey(id)) {
                out.add(id);
            }
            return out;
        }

        /**
         * The hosts to whose slices the group is related: those with a vnic of the group, of a
         * group it references or of a group that references it.
         */
        Set<String> relatedHosts(String group) {
            Set<String> hosts = related.get(group);
            if (hosts == null) {
                hosts = new HashSet<>(groups.hosts(group, before));
                for (String ref : referenced(world, group)) {
                    hosts.addAll(groups.hosts(ref, before));
                }
                for (String by : world.referencingGroups(group)) {
                    hosts.addAll(groups.hosts(by, before));
                }
                related.put(group, hosts);
            }
            return hosts;
        }
    }

    /** For every host, how many of its vnics name each key (a group, network or project), and the reverse. */
    private static final class Counts {
        private final Map<String, Map<String, Integer>> byHost = new HashMap<>();
        private final Map<String, Set<String>> hostsByKey = new HashMap<>();
        /** Since the last {@link #settle}: each (key, host) count changed, as it was. */
        private final Map<String, Map<String, Integer>> was = new LinkedHashMap<>();

        void add(String host, String key, int delta) {
            Map<String, Integer> mine = byHost.computeIfAbsent(host, h -> new HashMap<>());
            int n = mine.getOrDefault(key, 0);
            was.computeIfAbsent(key, k -> new LinkedHashMap<>()).putIfAbsent(host, n);
            int now = n + delta;
            if (now == 0) {
                mine.remove(key);
                if (mine.isEmpty()) {
                    byHost.remove(host);
                }
                Set<String> hosts = hostsByKey.get(key);
                if (hosts != null && hosts.remove(host) && hosts.isEmpty()) {
                    hostsByKey.remove(key);
                }
            } else {
                mine.put(key, now);
                if (n == 0) {
                    hostsByKey.computeIfAbsent(key, k -> new HashSet<>()).add(host);
                }
            }
        }

        boolean has(String host, String key, boolean before) {
            if (before) {
                Map<String, Integer> changed = was.get(key);
                Integer n = changed == null ? null : changed.get(host);
                if (n != null) {
                    return n > 0;
                }
            }
            Map<String, Integer> mine = byHost.get(host);
            return mine != null && mine.containsKey(key);
        }

        Set<String> hosts(String key, boolean before) {
            Set<String> now = hostsByKey.getOrDefault(key, Set.of());
            Map<String, Integer> changed = was.get(key);
            if (!before || changed == null) {
                return now;
            }
            Set<String> then = new HashSet<>(now);
            changed.forEach((host, n) -> {
                if (n > 0) {
                    then.add(host);
                } else {
                    then.remove(host);
                }
            });
            return then;
        }

        /** Each (host, key) whose count went from 0 to more or back since the last {@link #settle}. */
        void transitions(java.util.function.BiConsumer<String, String> action) {
            was.forEach((key, hosts) -> hosts.forEach((host, n) -> {
                if ((n > 0) != has(host, key, false)) {
                    action.accept(host, key);
                }
            }));
        }

        void settle() {
            was.clear();
        }
    }
}
