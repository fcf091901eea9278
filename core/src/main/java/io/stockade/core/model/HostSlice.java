package io.stockade.core.model;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The part of the world one host's firewall depends on, itself a {@link World}: the host's
 * vnics, their groups, the groups their rules reference and the groups that reference them (with
 * those groups' members, for reference rules and isolation), every vnic on the same networks (so
 * a frame from an unconnected vnic on another host is known as a vnic, not as outside), and the
 * ip sets, networks and projects these need. Compiling a host's slice gives the same ruleset as
 * compiling the whole world for that host, so agents get slices instead of the world.
 * {@link SliceIndex} keeps, change by change, which slices hold what.
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
}
