package io.stockade.core.model;

import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An immutable snapshot of everything the firewall depends on, with the policy in force and the
 * indexes every layer needs (vnic → groups, group → members and referencing groups, host →
 * vnics). Built once per revision; lookups are O(1).
 */
public final class World {
    private final Policy policy;
    private final long revision;
    private final Map<String, Project> projects;
    private final Map<String, SecurityGroup> groups;
    private final Map<String, IpSet> ipSets;
    private final Map<String, Network> networks;
    private final Map<String, Host> hosts;
    private final Map<String, Instance> instances;
    private final Map<String, Vnic> vnics;

    private final Map<String, List<Vnic>> membersByGroup;
    private final Map<String, Set<String>> referencingGroups;
    private final Map<String, Set<String>> ipSetUsers;
    private final Map<String, List<Vnic>> vnicsByHost;
    private final Map<String, List<Vnic>> vnicsByNetwork;
    /** Each instance's vnics' ids, in vnic order: a membership change leaves it as it is. */
    private final Map<String, Set<String>> vnicIdsByInstance;
    /** How many groups, ip sets and vnics each project holds (projects that hold none are absent). */
    private final Map<String, ProjectCounts> counts;
    /**
     * Each vnic's and group's place in the order of its map, so an index can take a vnic or group in
     * its place without a walk of the world (places of vnics and groups are drawn from one counter).
     */
    private final Map<String, Integer> order;
    private final int nextOrder;
    /** This world's identity for {@link #vnicChangesSince}, and that of the world it was applied to (null if built). */
    private final Object version;
    private final Object appliedTo;
    private final VnicChanges changes;
    /**
     * Vnics by MAC (its text), made on first use (the agent's compiles never ask for it), then
     * kept up to date change by change while no two vnics share a MAC (as the API keeps them).
     */
    private volatile Map<String, Vnic> vnicsByMac;

    /** The same objects and indexes at another revision (nothing is copied). */
    private World(World w, long revision) {
        this.policy = w.policy;
        this.revision = revision;
        this.projects = w.projects;
        this.groups = w.groups;
        this.ipSets = w.ipSets;
        this.networks = w.networks;
        this.hosts = w.hosts;
        this.instances = w.instances;
        this.vnics = w.vnics;
        this.membersByGroup = w.membersByGroup;
        this.referencingGroups = w.referencingGroups;
        this.ipSetUsers = w.ipSetUsers;
        this.vnicsByHost = w.vnicsByHost;
        this.vnicsByNetwork = w.vnicsByNetwork;
        this.vnicIdsByInstance = w.vnicIdsByInstance;
        this.counts = w.counts;
        this.order = w.order;
        this.nextOrder = w.nextOrder;
        this.vnicsByMac = w.vnicsByMac;
        this.version = w.version;
        this.appliedTo = w.appliedTo;
        this.changes = w.changes;
    }

    private World(Builder b) {
        this.policy = b.policy;
        this.revision = b.revision;
        this.projects = Collections.unmodifiableMap(new LinkedHashMap<>(b.projects));
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(b.groups));
        this.ipSets = Collections.unmodifiableMap(new LinkedHashMap<>(b.ipSets));
        this.networks = Collections.unmodifiableMap(new LinkedHashMap<>(b.networks));
        this.hosts = Collections.unmodifiableMap(new LinkedHashMap<>(b.hosts));
        this.instances = Collections.unmodifiableMap(new LinkedHashMap<>(b.instances));
        this.vnics = Collections.unmodifiableMap(new LinkedHashMap<>(b.vnics));
        this.referencingGroups = new HashMap<>();
        this.ipSetUsers = new HashMap<>();
        this.order = new HashMap<>();
        Map<String, VnicList.Builder> members = new HashMap<>();
        Map<String, VnicList.Builder> onHost = new HashMap<>();
        Map<String, VnicList.Builder> onNetwork = new HashMap<>();
        Map<String, Set<String>> ofInstance = new HashMap<>();
        Map<String, int[]> counted = new HashMap<>();
        for (Vnic v : vnics.values()) {
            int place = order.size();
            order.put(v.id(), place);
            for (String g : v.securityGroupIds()) {
                members.computeIfAbsent(g, k -> new VnicList.Builder()).add(v, place);
            }
            if (v.hostId() != null) {
                onHost.computeIfAbsent(v.hostId(), k -> new VnicList.Builder()).add(v, place);
            }
            if (v.networkId() != null) {
                onNetwork.computeIfAbsent(v.networkId(), k -> new VnicList.Builder()).add(v, place);
            }
            if (v.instanceId() != null) {
                ofInstance.computeIfAbsent(v.instanceId(), k -> new LinkedHashSet<>()).add(v.id());
            }
            counted.computeIfAbsent(v.projectId(), k -> new int[3])[ProjectCounts.VNICS]++;
        }
        groups.values().forEach(g -> counted.computeIfAbsent(g.projectId(), k -> new int[3])[ProjectCounts.GROUPS]++);
        ipSets.values().forEach(s -> counted.computeIfAbsent(s.projectId(), k -> new int[3])[ProjectCounts.IP_SETS]++);
        this.counts = new HashMap<>();
        counted.forEach((p, n) -> counts.put(p, ProjectCounts.of(n)));
        this.membersByGroup = built(members);
        this.vnicsByHost = built(onHost);
        this.vnicsByNetwork = built(onNetwork);
        ofInstance.replaceAll((k, ids) -> ids.size() == 1 ? Set.of(ids.iterator().next()) : ids); // most instances have one vnic
        this.vnicIdsByInstance = ofInstance;
        for (String g : groups.keySet()) {
            order.put(g, order.size());
        }
        this.nextOrder = order.size();
        indexRules(groups, referencingGroups, ipSetUsers);
        this.version = new Object();
        this.appliedTo = null;
        this.changes = null;
    }

    /** {@code base} with a change: see {@link #apply(WorldChange)}. */
    private World(World base, WorldChange d, Policy policy, long revision) {
        Set<String> gone = d.removed();
        this.version = new Object();
        this.appliedTo = base.version;
        this.policy = policy;
        this.revision = revision;
        this.projects = LayeredMap.of(base.projects, d.projects(), Project::id, gone);
        this.groups = LayeredMap.of(base.groups, d.groups(), SecurityGroup::id, gone);
        this.ipSets = LayeredMap.of(base.ipSets, d.ipSets(), IpSet::id, gone);
        this.networks = LayeredMap.of(base.networks, d.networks(), Network::id, gone);
        this.hosts = LayeredMap.of(base.hosts, d.hosts(), Host::id, gone);
        this.instances = LayeredMap.of(base.instances, d.instances(), Instance::id, gone);
        this.vnics = LayeredMap.of(base.vnics, d.vnics(), Vnic::id, gone);
        // The vnics and groups the change touches, as they were and as they are (null: not there),
        // and the places in the order of those that are new (or deleted and back: last, as a rebuild puts them).
        Map<String, Integer> appended = new HashMap<>();
        Set<String> left = new HashSet<>();
        int[] next = {base.nextOrder};
        List<Vnic> was = new ArrayList<>();
        List<Vnic> now = new ArrayList<>();
        touched(base.vnics, vnics, d.vnics(), Vnic::id, gone, was, now, appended, left, next);
        List<SecurityGroup> groupsWas = new ArrayList<>();
        List<SecurityGroup> groupsNow = new ArrayList<>();
        touched(base.groups, groups, d.groups(), SecurityGroup::id, gone, groupsWas, groupsNow, appended, left, next);
        Map<String, Integer> order = LayeredMap.of(base.order, appended, left);
        this.order = order;
        this.nextOrder = next[0];
        List<IpSet> setsWas = new ArrayList<>();
        List<IpSet> setsNow = new ArrayList<>();
        touched(base.ipSets, ipSets, d.ipSets(), IpSet::id, gone, setsWas, setsNow, new HashMap<>(), new HashSet<>(), new int[1]);
        Map<String, int[]> delta = new HashMap<>();
        counted(delta, was, now, Vnic::projectId, ProjectCounts.VNICS);
        counted(delta, groupsWas, groupsNow, SecurityGroup::projectId, ProjectCounts.GROUPS);
        counted(delta, setsWas, setsNow, IpSet::projectId, ProjectCounts.IP_SETS);
        this.counts = recounted(base.counts, delta);
        if (groupsWas.isEmpty()) {
            this.referencingGroups = base.referencingGroups;
            this.ipSetUsers = base.ipSetUsers;
        } else {
            this.referencingGroups = reindexedRules(base.referencingGroups, groupsWas, groupsNow, World::referencedGroups, order);
            this.ipSetUsers = reindexedRules(base.ipSetUsers, groupsWas, groupsNow, World::usedIpSets, order);
        }
        if (was.isEmpty()) {
            this.membersByGroup = base.membersByGroup;
            this.vnicsByHost = base.vnicsByHost;
            this.vnicsByNetwork = base.vnicsByNetwork;
            this.vnicIdsByInstance = base.vnicIdsByInstance;
            this.vnicsByMac = base.vnicsByMac;
            this.changes = new VnicChanges(List.of(), List.of());
            return;
        }
        this.changes = new VnicChanges(Collections.unmodifiableList(was), Collections.unmodifiableList(now));
        this.membersByGroup = reindexed(base.membersByGroup, was, now, Vnic::securityGroupIds, base.order, order);
        this.vnicsByHost = reindexed(base.vnicsByHost, was, now, v -> v.hostId() == null ? List.of() : List.of(v.hostId()), base.order, order);
        this.vnicsByNetwork = reindexed(base.vnicsByNetwork, was, now, v -> v.networkId() == null ? List.of() : List.of(v.networkId()), base.order, order);
        this.vnicIdsByInstance = reinstanced(base.vnicIdsByInstance, was, now, base.order, order);
        this.vnicsByMac = macsUpdated(base.vnicsByMac, base.vnics.size(), was, now);
    }

    /**
     * A MAC index with the touched vnics as they are now, or null (made again on first use) when
     * there is none to start from or two vnics share a MAC (before or after), where the index
     * holds the last in vnic order.
     */
    private static Map<String, Vnic> macsUpdated(Map<String, Vnic> base, int baseVnics, List<Vnic> was, List<Vnic> now) {
        if (base == null || base.size() != baseVnics) {
            return null;
        }
        Set<String> touched = new HashSet<>();
        Set<String> gone = new HashSet<>();
        for (Vnic v : was) {
            if (v != null) {
                touched.add(v.id());
                gone.add(v.mac().toString());
            }
        }
        Map<String, Vnic> puts = new LinkedHashMap<>();
        for (Vnic v : now) {
            if (v != null) {
                touched.add(v.id());
            }
        }
        for (Vnic v : now) {
            if (v == null) {
                continue;
            }
            String mac = v.mac().toString();
            Vnic holder = base.get(mac);
            if (puts.put(mac, v) != null || holder != null && !touched.contains(holder.id())) {
                return null;
            }
            gone.remove(mac);
        }
        return LayeredMap.of(base, puts, gone);
    }

    /**
     * Collects the objects of one kind a change touches, each once, as they were ({@code was})
     * and are ({@code now}); those new to the order get the next places.
     */
    private static <T> void touched(Map<String, T> before, Map<String, T> after, List<T> puts, Function<T, String> id, Set<String> gone,
            List<T> was, List<T> now, Map<String, Integer> appended, Set<String> left, int[] next) {
        Set<String> seen = new HashSet<>();
        for (T t : puts) {
            String key = id.apply(t);
            if (!seen.add(key)) {
                continue;
            }
            T old = before.get(key);
            if (old == null || gone.contains(key)) {
                appended.put(key, next[0]++);
            }
            was.add(old);
            now.add(after.get(key));
        }
        for (String key : gone) {
            T old = before.get(key);
            if (old != null && seen.add(key)) {
                left.add(key);
                was.add(old);
                now.add(null);
            }
        }
    }

    /** Adds to {@code delta} (by project) what objects of one kind leaving ({@code was}) and arriving ({@code now}) change. */
    private static <T> void counted(Map<String, int[]> delta, List<T> was, List<T> now, Function<T, String> project, int kind) {
        for (T t : was) {
            if (t != null) {
                delta.computeIfAbsent(project.apply(t), k -> new int[3])[kind]--;
            }
        }
        for (T t : now) {
            if (t != null) {
                delta.computeIfAbsent(project.apply(t), k -> new int[3])[kind]++;
            }
        }
    }

    /** The counts with a change's deltas: only the projects it touches are copied. */
    private static Map<String, ProjectCounts> recounted(Map<String, ProjectCounts> base, Map<String, int[]> delta) {
        Map<String, ProjectCounts> puts = new HashMap<>();
        Set<String> emptied = new HashSet<>();
        delta.forEach((p, d) -> {
            if (d[0] == 0 && d[1] == 0 && d[2] == 0) {
                return;
            }
            ProjectCounts n = base.getOrDefault(p, ProjectCounts.NONE).plus(d);
            if (n.equals(ProjectCounts.NONE)) {
                emptied.add(p);
            } else {
                puts.put(p, n);
            }
        });
        return LayeredMap.of(base, puts, emptied);
    }

    private static void indexRules(Map<String, SecurityGroup> groups, Map<String, Set<String>> referencingGroups, Map<String, Set<String>> ipSetUsers) {
        for (SecurityGroup g : groups.values()) {
            for (String ref : referencedGroups(g)) {
                referencingGroups.computeIfAbsent(ref, k -> new LinkedHashSet<>()).add(g.id());
            }
            for (String set : usedIpSets(g)) {
                ipSetUsers.computeIfAbsent(set, k -> new LinkedHashSet<>()).add(g.id());
            }
        }
    }

    static List<String> referencedGroups(SecurityGroup g) {
        List<String> out = new ArrayList<>();
        for (Rule r : g.rules()) {
            if (r.remote() instanceof Remote.GroupRemote ref) {
                out.add(ref.groupId());
            }
        }
        return out;
    }

    static List<String> usedIpSets(SecurityGroup g) {
        List<String> out = new ArrayList<>();
        for (Rule r : g.rules()) {
            if (r.remote() instanceof Remote.IpSetRemote set) {
                out.add(set.ipSetId());
            }
        }
        return out;
    }

    /**
     * An index of group sets (in group order) after the touched groups changed from {@code was}
     * to {@code now}: only the sets of the keys their rules name are copied.
     */
    private static Map<String, Set<String>> reindexedRules(Map<String, Set<String>> base, List<SecurityGroup> was, List<SecurityGroup> now,
            Function<SecurityGroup, List<String>> keys, Map<String, Integer> order) {
        Map<String, Set<String>> touched = new HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            for (SecurityGroup g : pass == 0 ? was : now) {
                if (g == null) {
                    continue;
                }
                for (String k : keys.apply(g)) {
                    Set<String> set = touched.computeIfAbsent(k, key -> new HashSet<>(base.getOrDefault(key, Set.of())));
                    if (pass == 0) {
                        set.remove(g.id());
                    } else {
                        set.add(g.id());
                    }
                }
            }
        }
        return layered(base, touched, order);
    }

    /**
     * The instances' vnic ids after the touched vnics changed from {@code was} to {@code now}: only
     * the sets of instances a vnic joins or leaves, or in which it takes a new place, are copied.
     */
    private static Map<String, Set<String>> reinstanced(Map<String, Set<String>> base, List<Vnic> was, List<Vnic> now,
            Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Set<String>> touched = new HashMap<>();
        for (int i = 0; i < was.size(); i++) {
            Vnic old = was.get(i);
            Vnic v = now.get(i);
            String from = old == null ? null : old.instanceId();
            String to = v == null ? null : v.instanceId();
            if (old != null && v != null && java.util.Objects.equals(from, to) && before.get(old.id()).equals(after.get(v.id()))) {
                continue;
            }
            if (from != null) {
                touched.computeIfAbsent(from, k -> new HashSet<>(base.getOrDefault(k, Set.of()))).remove(old.id());
            }
            if (to != null) {
                touched.computeIfAbsent(to, k -> new HashSet<>(base.getOrDefault(k, Set.of()))).add(v.id());
            }
        }
        return layered(base, touched, after);
    }

    /** {@code base} with the touched keys' sets put in (each in {@code order}), the emptied ones removed. */
    private static Map<String, Set<String>> layered(Map<String, Set<String>> base, Map<String, Set<String>> touched, Map<String, Integer> order) {
        Map<String, Set<String>> puts = new HashMap<>();
        Set<String> emptied = new HashSet<>();
        touched.forEach((k, set) -> {
            if (set.isEmpty()) {
                emptied.add(k);
            } else {
                List<String> sorted = new ArrayList<>(set);
                sorted.sort(java.util.Comparator.comparing(order::get));
                puts.put(k, sorted.size() == 1 ? Set.of(sorted.get(0)) : new LinkedHashSet<>(sorted));
            }
        });
        return LayeredMap.of(base, puts, emptied);
    }

    /**
     * An index of vnic lists (in vnic order) after the touched vnics changed from {@code was} to
     * {@code now}: only the lists of the keys they leave, join or stay in are copied
     * ({@link VnicList}), a vnic leaving its old place (by {@code before}) and taking its new one
     * (by {@code after}; the two agree on every vnic that stays), or taking the place of its old
     * version. The index map itself is layered over the old one ({@link LayeredMap}), not copied.
     */
    private static Map<String, List<Vnic>> reindexed(Map<String, List<Vnic>> base, List<Vnic> was, List<Vnic> now,
            Function<Vnic, List<String>> keys, Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, VnicList> touched = new HashMap<>();
        for (int i = 0; i < was.size(); i++) {
            Vnic old = was.get(i);
            Vnic v = now.get(i);
            List<String> newKeys = v == null ? List.of() : keys.apply(v);
            int place = v == null ? -1 : after.get(v.id());
            if (old != null) {
                int oldPlace = before.get(old.id());
                for (String k : keys.apply(old)) {
                    if (oldPlace != place || !newKeys.contains(k)) {
                        touched.put(k, list(touched, base, k).without(oldPlace));
                    }
                }
            }
            for (String k : newKeys) {
                touched.put(k, list(touched, base, k).with(v, place)); // in place of the old vnic where it stays
            }
        }
        if (touched.isEmpty()) {
            return base;
        }
        Map<String, List<Vnic>> puts = new HashMap<>();
        Set<String> emptied = new HashSet<>();
        touched.forEach((k, list) -> {
            if (list.isEmpty()) {
                emptied.add(k);
            } else {
                puts.put(k, list);
            }
        });
        return LayeredMap.of(base, puts, emptied);
    }

    private static VnicList list(Map<String, VnicList> touched, Map<String, List<Vnic>> base, String key) {
        VnicList list = touched.get(key);
        return list != null ? list : (VnicList) base.getOrDefault(key, VnicList.EMPTY);
    }

    private static Map<String, List<Vnic>> built(Map<String, VnicList.Builder> lists) {
        Map<String, List<Vnic>> out = new HashMap<>();
        lists.forEach((k, b) -> out.put(k, b.build()));
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static World empty(Policy policy) {
        return builder().policy(policy).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder().policy(policy).revision(revision);
        projects.values().forEach(b::project);
        groups.values().forEach(b::group);
        ipSets.values().forEach(b::ipSet);
        networks.values().forEach(b::network);
        hosts.values().forEach(b::host);
        instances.values().forEach(b::instance);
        vnics.values().forEach(b::vnic);
        return b;
    }

    public Policy policy() { return policy; }

    public long revision() { return revision; }

    public Map<String, Project> projects() { return projects; }

    public Map<String, SecurityGroup> groups() { return groups; }

    public Map<String, IpSet> ipSets() { return ipSets; }

    public Map<String, Network> networks() { return networks; }

    public Map<String, Host> hosts() { return hosts; }

    public Map<String, Instance> instances() { return instances; }

    public Map<String, Vnic> vnics() { return vnics; }

    public Optional<SecurityGroup> group(String id) { return Optional.ofNullable(groups.get(id)); }

    public Optional<Vnic> vnic(String id) { return Optional.ofNullable(vnics.get(id)); }

    /** The vnic with this MAC (the last in vnic order, were two to share one). */
    public Optional<Vnic> vnicByMac(MacAddress mac) {
        Map<String, Vnic> byMac = vnicsByMac;
        if (byMac == null) {
            byMac = new HashMap<>();
            for (Vnic v : vnics.values()) {
                byMac.put(v.mac().toString(), v);
            }
            vnicsByMac = byMac;
        }
        return Optional.ofNullable(byMac.get(mac.toString()));
    }

    public Optional<Network> network(String id) { return id == null ? Optional.empty() : Optional.ofNullable(networks.get(id)); }

    /** The vnics that have the group, in vnic order. */
    public List<Vnic> members(String groupId) {
        return membersByGroup.getOrDefault(groupId, List.of());
    }

    /** The groups with a rule whose remote is the given group. */
    public Set<String> referencingGroups(String groupId) {
        return referencingGroups.getOrDefault(groupId, Set.of());
    }

    /** The groups with a rule whose remote is the given ip set. */
    public Set<String> ipSetUsers(String ipSetId) {
        return ipSetUsers.getOrDefault(ipSetId, Set.of());
    }

    public List<Vnic> vnicsOnHost(String hostId) {
        return vnicsByHost.getOrDefault(hostId, List.of());
    }

    public List<Vnic> vnicsOnNetwork(String networkId) {
        return vnicsByNetwork.getOrDefault(networkId, List.of());
    }

    /** The instance's vnics, in vnic order. */
    public List<Vnic> vnicsOfInstance(String instanceId) {
        Set<String> ids = vnicIdsByInstance.getOrDefault(instanceId, Set.of());
        List<Vnic> out = new ArrayList<>(ids.size());
        ids.forEach(id -> out.add(vnics.get(id)));
        return out;
    }

    /** How many groups, ip sets and vnics the project holds. */
    public ProjectCounts counts(String projectId) {
        return counts.getOrDefault(projectId, ProjectCounts.NONE);
    }

    /** The vnic's groups that exist (unknown ids are ignored). */
    public List<SecurityGroup> groupsOf(Vnic v) {
        List<SecurityGroup> out = new ArrayList<>(v.securityGroupIds().size());
        for (String g : v.securityGroupIds()) {
            SecurityGroup sg = groups.get(g);
            if (sg != null) {
                out.add(sg);
            }
        }
        return out;
    }

    /** The current addresses of the group's members, of one IP version, in a stable order. */
    public List<InetAddress> memberAddresses(String groupId, IpVersion version) {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (Vnic v : members(groupId)) {
            out.addAll(v.addresses(version));
        }
        return List.copyOf(out);
    }

    /**
     * Whether two vnics are connected: they share a group, or a group of one has a rule whose
     * remote is a group of the other.
     */
    public boolean connected(Vnic a, Vnic b) {
        return !sharedGroups(a, b).isEmpty() || referenceBetween(a, b).isPresent() || referenceBetween(b, a).isPresent();
    }

    public List<String> sharedGroups(Vnic a, Vnic b) {
        return a.securityGroupIds().stream().filter(b.securityGroupIds()::contains).filter(groups::containsKey).toList();
    }

    /** A group of {@code owner} with a rule naming a group of {@code other}: [ownerGroup, rule id, otherGroup]. */
    public Optional<List<String>> referenceBetween(Vnic owner, Vnic other) {
        for (SecurityGroup g : groupsOf(owner)) {
            for (Rule r : g.rules()) {
                if (r.remote() instanceof Remote.GroupRemote ref && other.securityGroupIds().contains(ref.groupId())) {
                    return Optional.of(List.of(g.id(), String.valueOf(r.id()), ref.groupId()));
                }
            }
        }
        return Optional.empty();
    }

    /** A new world with the given revision. */
    public World atRevision(long rev) {
        return new World(this, rev);
    }

    /**
     * The vnics that one diff changed, each as it was ({@code before}, null if new) and as it is
     * ({@code after}, null if gone), at the same index.
     */
    public record VnicChanges(List<Vnic> before, List<Vnic> after) {}

    /** Names this world (its contents, whatever its revision) for {@link #vnicChangesSince}. */
    public Object version() {
        return version;
    }

    /**
     * The vnics that changed since the world of {@code earlier} (a {@link #version()}), if this
     * world was made from that one by applying one diff; empty otherwise, when anything may have
     * changed. Lets a compiler bring what it made of the earlier world's vnics up to date.
     */
    public Optional<VnicChanges> vnicChangesSince(Object earlier) {
        return earlier != null && earlier == appliedTo ? Optional.of(changes) : Optional.empty();
    }

    /**
     * This world with a change, equal to rebuilding it with the change (removals first, then the
     * puts), in the same orders and with the same indexes. The maps the change does not touch are
     * shared, those it touches take its changes as layers over this world's ({@link LayeredMap}),
     * and the indexes are updated only for the vnics, groups and keys it touches, so one
     * membership or rule change copies the index entries of the groups, host and network
     * involved, not the world.
     */
    public World apply(WorldChange c) {
        return new World(this, c, policy, revision);
    }

    /** This world with a slice diff's changes, policy and revision: see {@link #apply(WorldChange)}. */
    World apply(SliceDiff d) {
        return new World(this, WorldChange.of(d), d.policy(), d.revision());
    }

    /** Whether any of the world's maps holds this id. */
    public boolean holds(String id) {
        return object(id) != null;
    }

    /**
     * The object of any kind with this id, or null. A world made by {@link #apply} holds the very
     * objects of its base that the change does not touch, so comparing two worlds' answers by
     * identity tells whether an object changed between them.
     */
    public Object object(String id) {
        for (Map<String, ?> m : List.of(vnics, groups, instances, ipSets, hosts, networks, projects)) {
            Object o = m.get(id);
            if (o != null) {
                return o;
            }
        }
        return null;
    }

    public static final class Builder {
        private Policy policy = Policy.wakame();
        private long revision;
        private final Map<String, Project> projects = new LinkedHashMap<>();
        private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
        private final Map<String, IpSet> ipSets = new LinkedHashMap<>();
        private final Map<String, Network> networks = new LinkedHashMap<>();
        private final Map<String, Host> hosts = new LinkedHashMap<>();
        private final Map<String, Instance> instances = new LinkedHashMap<>();
        private final Map<String, Vnic> vnics = new LinkedHashMap<>();

        public Builder policy(Policy p) { this.policy = p; return this; }

        public Builder revision(long r) { this.revision = r; return this; }

        public Builder project(Project p) { projects.put(p.id(), p); return this; }

        public Builder group(SecurityGroup g) { groups.put(g.id(), g); return this; }

        public Builder ipSet(IpSet s) { ipSets.put(s.id(), s); return this; }

        public Builder network(Network n) { networks.put(n.id(), n); return this; }

        public Builder host(Host h) { hosts.put(h.id(), h); return this; }

        public Builder instance(Instance i) { instances.put(i.id(), i); return this; }

        public Builder vnic(Vnic v) { vnics.put(v.id(), v); return this; }

        /** Removes the object with this id, whatever its kind (ids carry their kind's prefix). */
        public Builder remove(String id) {
            projects.remove(id);
            groups.remove(id);
            ipSets.remove(id);
            networks.remove(id);
            hosts.remove(id);
            instances.remove(id);
            vnics.remove(id);
            return this;
        }

        /** Takes in a change: its removals, then its puts. */
        public Builder with(WorldChange c) {
            c.removed().forEach(this::remove);
            c.projects().forEach(this::project);
            c.groups().forEach(this::group);
            c.ipSets().forEach(this::ipSet);
            c.networks().forEach(this::network);
            c.hosts().forEach(this::host);
            c.instances().forEach(this::instance);
            c.vnics().forEach(this::vnic);
            return this;
        }

        public World build() { return new World(this); }
    }

    /** Indexes a collection by id, keeping order. */
    public static <T> Map<String, T> byId(Collection<T> items, Function<T, String> id) {
        return items.stream().collect(Collectors.toMap(id, t -> t, (a, b) -> b, LinkedHashMap::new));
    }
}
