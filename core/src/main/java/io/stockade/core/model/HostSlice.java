package io.stockade.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of the world one host's firewall depends on, itself a {@link World}: the host's
 * vnics, their groups, the groups their rules reference and the groups that reference them (with
 * those groups' members, for reference rules and isolation), every vnic on the same networks (so
 * a frame from an unconnected vnic on another host is known as a vnic, not as outside), and the
 * ip sets, networks and projects these need. Compiling a host's slice gives the same ruleset as
 * compiling the whole world for that host, so agents get slices instead of the world.
 */
public final class HostSlice {
    private HostSlice() {}

    /**
     * What a host's slice is made of, found from the host's own vnics through the world's indexes:
     * its vnics' groups ({@code groups}), those with the groups they reference and that reference
     * them ({@code related}: each with all its members), the ip sets the vnics' groups use, and
     * the vnics' networks (each with all its vnics) and projects.
     */
    private record Parts(String hostId, Set<String> related, Set<String> ipSets, Set<String> networks, Set<String> projects) {
        static Parts of(World w, String hostId) {
            Set<String> groups = new LinkedHashSet<>();
            Set<String> networks = new LinkedHashSet<>();
            Set<String> projects = new LinkedHashSet<>();
            for (Vnic v : w.vnicsOnHost(hostId)) {
                groups.addAll(v.securityGroupIds());
                if (v.networkId() != null) {
                    networks.add(v.networkId());
                }
                projects.add(v.projectId());
            }
            Set<String> related = new LinkedHashSet<>(groups);
            Set<String> ipSets = new LinkedHashSet<>();
            for (String g : groups) {
                related.addAll(w.referencingGroups(g));
                w.group(g).ifPresent(sg -> sg.rules().forEach(r -> {
                    if (r.remote() instanceof Remote.GroupRemote ref) {
                        related.add(ref.groupId());
                    } else if (r.remote() instanceof Remote.IpSetRemote set) {
                        ipSets.add(set.ipSetId());
                    }
                }));
            }
            return new Parts(hostId, related, ipSets, networks, projects);
        }

        /** Whether the slice holds this vnic: it is on the host, on one of the networks or in one of the related groups. */
        boolean holds(Vnic v) {
            if (hostId.equals(v.hostId())) {
                return true;
            }
            if (v.networkId() != null && networks.contains(v.networkId())) {
                return true;
            }
            for (String g : v.securityGroupIds()) {
                if (related.contains(g)) {
                    return true;
                }
            }
            return false;
        }
    }

    public static World of(World w, String hostId) {
        World.Builder b = World.builder().policy(w.policy()).revision(w.revision());
        Host host = w.hosts().get(hostId);
        if (host != null) {
            b.host(host);
        }
        Parts p = Parts.of(w, hostId);
        w.vnicsOnHost(hostId).forEach(b::vnic); // every vnic of the host, also one in no group and on no network
        for (String g : p.related()) {
            w.group(g).ifPresent(b::group);
            w.members(g).forEach(b::vnic);
        }
        p.networks().forEach(n -> w.vnicsOnNetwork(n).forEach(b::vnic));
        p.ipSets().forEach(id -> {
            IpSet s = w.ipSets().get(id);
            if (s != null) {
                b.ipSet(s);
            }
        });
        p.networks().forEach(id -> w.network(id).ifPresent(b::network));
        p.projects().forEach(id -> {
            Project project = w.projects().get(id);
            if (project != null) {
                b.project(project);
            }
        });
        return b.build();
    }

    /**
     * The diff that brings a host's slice of the world before a change up to the slice of
     * {@code next} (that world after the change, policy unchanged), found from the ids the change
     * touches and the indexes, not by a walk of either slice's vnics: the vnics among
     * {@code touched}, and those of the groups and networks that enter or leave the slice. Applied
     * to {@code slice}, it gives what {@link #of} gives for {@code next} (the same objects; new ones
     * last in each map). {@code touched} needs only the vnics of the change that the slice holds or
     * may take in: those on the host, on a network of the slice, or in a group of it.
     */
    public static SliceDiff update(World slice, World next, String hostId, Collection<String> touched) {
        Parts was = Parts.of(slice, hostId);
        Parts now = Parts.of(next, hostId);
        Set<String> deleted = new LinkedHashSet<>();
        Host host = next.hosts().get(hostId);
        List<Host> hosts = new ArrayList<>();
        if (host != null && host != slice.hosts().get(hostId) && !host.equals(slice.hosts().get(hostId))) {
            hosts.add(host);
        } else if (host == null && slice.hosts().containsKey(hostId)) {
            deleted.add(hostId);
        }
        List<SecurityGroup> groups = wanted(slice.groups(), next.groups(), now.related(), deleted);
        List<IpSet> ipSets = wanted(slice.ipSets(), next.ipSets(), now.ipSets(), deleted);
        List<Network> networks = wanted(slice.networks(), next.networks(), now.networks(), deleted);
        List<Project> projects = wanted(slice.projects(), next.projects(), now.projects(), deleted);

        Set<String> candidates = new LinkedHashSet<>(touched);
        for (String g : symmetricDifference(was.related(), now.related())) {
            slice.members(g).forEach(v -> candidates.add(v.id()));
            next.members(g).forEach(v -> candidates.add(v.id()));
        }
        for (String n : symmetricDifference(was.networks(), now.networks())) {
            slice.vnicsOnNetwork(n).forEach(v -> candidates.add(v.id()));
            next.vnicsOnNetwork(n).forEach(v -> candidates.add(v.id()));
        }
        List<Vnic> vnics = new ArrayList<>();
        for (String id : candidates) {
            Vnic v = next.vnics().get(id);
            Vnic held = slice.vnics().get(id);
            if (v != null && now.holds(v)) {
                if (v != held && !v.equals(held)) {
                    vnics.add(v);
                }
            } else if (held != null) {
                deleted.add(id);
            }
        }
        return new SliceDiff(next.revision(), next.policy(), projects, groups, ipSets, networks, hosts, vnics, deleted);
    }

    /** The objects of {@code ids} that {@code next} has and differ from the slice's; the slice's others go to {@code deleted}. */
    private static <T> List<T> wanted(Map<String, T> held, Map<String, T> next, Set<String> ids, Set<String> deleted) {
        List<T> out = new ArrayList<>();
        for (String id : ids) {
            T t = next.get(id);
            T old = held.get(id);
            if (t != null && t != old && !t.equals(old)) {
                out.add(t);
            }
        }
        for (String id : held.keySet()) {
            if (!ids.contains(id) || !next.containsKey(id)) {
                deleted.add(id);
            }
        }
        return out;
    }

    private static Set<String> symmetricDifference(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>();
        a.stream().filter(x -> !b.contains(x)).forEach(out::add);
        b.stream().filter(x -> !a.contains(x)).forEach(out::add);
        return out;
    }
}
