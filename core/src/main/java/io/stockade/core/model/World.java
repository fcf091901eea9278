package io.stockade.core.model;

import io.stockade.core.net.IpVersion;
import io.stockade.core.policy.Policy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
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
    private final Map<io.stockade.core.net.MacAddress, Vnic> vnicsByMac;

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
        this.vnicsByMac = w.vnicsByMac;
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
        this.membersByGroup = new HashMap<>();
        this.referencingGroups = new HashMap<>();
        this.ipSetUsers = new HashMap<>();
        this.vnicsByHost = new HashMap<>();
        this.vnicsByNetwork = new HashMap<>();
        this.vnicsByMac = new HashMap<>();
        for (Vnic v : vnics.values()) {
            for (String g : v.securityGroupIds()) {
                membersByGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(v);
            }
            if (v.hostId() != null) {
                vnicsByHost.computeIfAbsent(v.hostId(), k -> new ArrayList<>()).add(v);
            }
            if (v.networkId() != null) {
                vnicsByNetwork.computeIfAbsent(v.networkId(), k -> new ArrayList<>()).add(v);
            }
            vnicsByMac.put(v.mac(), v);
        }
        for (SecurityGroup g : groups.values()) {
            for (Rule r : g.rules()) {
                if (r.remote() instanceof Remote.GroupRemote ref) {
                    referencingGroups.computeIfAbsent(ref.groupId(), k -> new LinkedHashSet<>()).add(g.id());
                } else if (r.remote() instanceof Remote.IpSetRemote set) {
                    ipSetUsers.computeIfAbsent(set.ipSetId(), k -> new LinkedHashSet<>()).add(g.id());
                }
            }
        }
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

    public Optional<Vnic> vnicByMac(io.stockade.core.net.MacAddress mac) { return Optional.ofNullable(vnicsByMac.get(mac)); }

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

        public World build() { return new World(this); }
    }

    /** Indexes a collection by id, keeping order. */
    public static <T> Map<String, T> byId(Collection<T> items, Function<T, String> id) {
        return items.stream().collect(Collectors.toMap(id, t -> t, (a, b) -> b, LinkedHashMap::new));
    }
}
