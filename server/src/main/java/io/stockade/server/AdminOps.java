package io.stockade.server;

import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Match;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Projects (with their default group), networks and hosts: the admin's side of the world. */
public final class AdminOps {
    static final Set<String> PROJECT_FIELDS = Set.of("id", "name", "smtpAllowed");
    static final Set<String> NETWORK_FIELDS = Set.of("id", "name", "subnets", "gateways", "dhcpServers", "dnsServers", "routerMacs", "mode");
    static final Set<String> HOST_FIELDS = Set.of("name", "bridge", "uplinks");

    private final Controller ctl;

    public AdminOps(Controller ctl) {
        this.ctl = ctl;
    }

    public Project createProject(Caller c, Body b) {
        c.requireAdmin();
        String name = b.string("name", true);
        return ctl.mutate(c, w -> {
            String id = b.has("id") ? Ids.require(Ids.PROJECT, b.string("id", true), "id") : Ids.newId(Ids.PROJECT);
            if (w.projects().containsKey(id) || ctl.store().everExisted(id)) {
                throw ApiException.conflict("id", "a project with id " + id + " exists or existed (ids are never reused)");
            }
            if (w.projects().values().stream().anyMatch(p -> p.name().equals(name))) {
                throw ApiException.conflict("name", "a project named '" + name + "' exists");
            }
            Project p = new Project(id, name, Boolean.TRUE.equals(b.bool("smtpAllowed")));
            WorldChange.Builder next = WorldChange.builder().project(p);
            if (ctl.policy().defaultGroup()) {
                next.group(defaultGroup(ctl.policy(), p.id()));
            }
            return new Controller.Mutation<>(next.build(), p, "create project " + name);
        });
    }

    /**
     * Makes the project's {@code default} group if its profile has one and the project has none
     * (a project from before the profile, or whose group an admin deleted), as Neutron makes it on
     * a project's first request. Nothing is written when it exists.
     */
    public void ensureDefaultGroup(Caller c, String projectId) {
        if (!ctl.policy().defaultGroup() || projectId == null || hasDefault(ctl.world(), projectId)) {
            return;
        }
        ctl.mutate(c, w -> {
            if (!w.projects().containsKey(projectId) || hasDefault(w, projectId)) {
                return new Controller.Mutation<>(WorldChange.NONE, null, "default security group of " + projectId + " exists");
            }
            return new Controller.Mutation<>(WorldChange.builder().group(defaultGroup(ctl.policy(), projectId)).build(), null,
                    "create the default security group of " + projectId);
        });
    }

    private static boolean hasDefault(World w, String projectId) {
        return w.groups().values().stream().anyMatch(g -> g.projectId().equals(projectId) && g.name().equals(GroupOps.DEFAULT));
    }

    /**
     * The {@code default} group of the openstack and cloudstack profiles: under openstack its
     * members reach each other (remote group = itself) and may send anything; under cloudstack it
     * starts empty (egress open until the first egress rule, ingress closed).
     */
    static SecurityGroup defaultGroup(Policy policy, String project) {
        String id = Ids.newId(Ids.GROUP);
        List<Rule> rules = new ArrayList<>();
        if (Policy.OPENSTACK.equals(policy.profile())) {
            rules.add(new Rule(Ids.newId(Ids.RULE), Direction.INGRESS, IpVersion.V4, new Match.AnyProtocol(), new Remote.GroupRemote(id), ""));
            rules.add(new Rule(Ids.newId(Ids.RULE), Direction.INGRESS, IpVersion.V6, new Match.AnyProtocol(), new Remote.GroupRemote(id), ""));
        }
        if (policy.newGroupEgressRules()) {
            rules.addAll(GroupOps.allowAllEgress());
        }
        return new SecurityGroup(id, project, "default", "Default security group", true, false, rules);
    }

    public Project updateProject(Caller c, String token, Body b) {
        c.requireAdmin();
        return ctl.mutate(c, w -> {
            Project p = Resolve.project(w, c, token);
            Project n = new Project(p.id(), b.has("name") ? b.string("name", true) : p.name(),
                    b.bool("smtpAllowed") == null ? p.smtpAllowed() : b.bool("smtpAllowed"));
            return new Controller.Mutation<>(WorldChange.builder().project(n).build(), n, "update project " + p.name());
        });
    }

    public void deleteProject(Caller c, String token) {
        c.requireAdmin();
        ctl.mutate(c, w -> {
            Project p = Resolve.project(w, c, token);
            List<String> owned = new ArrayList<>();
            w.groups().values().stream().filter(g -> g.projectId().equals(p.id()) && !g.name().equals("default")).forEach(g -> owned.add(g.id()));
            w.ipSets().values().stream().filter(s -> s.projectId().equals(p.id())).forEach(s -> owned.add(s.id()));
            w.instances().values().stream().filter(i -> i.projectId().equals(p.id())).forEach(i -> owned.add(i.id()));
            w.vnics().values().stream().filter(v -> v.projectId().equals(p.id())).forEach(v -> owned.add(v.id()));
            if (!owned.isEmpty()) {
                throw ApiException.conflict(null, "project " + p.id() + " still owns " + String.join(", ", owned));
            }
            WorldChange.Builder next = WorldChange.builder().remove(p.id());
            w.groups().values().stream().filter(g -> g.projectId().equals(p.id())).forEach(g -> next.remove(g.id()));
            return new Controller.Mutation<>(next.build(), null, "delete project " + p.name());
        });
    }

    public Network createNetwork(Caller c, Body b) {
        c.requireAdmin();
        String name = b.string("name", true);
        return ctl.mutate(c, w -> {
            Network n = network(b.has("id") ? Ids.require(Ids.NETWORK, b.string("id", true), "id") : Ids.newId(Ids.NETWORK), name, b);
            return new Controller.Mutation<>(WorldChange.builder().network(n).build(), n, "create network " + name);
        });
    }

    /** A network with this id and name and the other fields of a request. */
    static Network network(String id, String name, Body b) {
        return new Network(id, name,
                list(b, "subnets").stream().map(s -> Cidr.parse(s, "subnets")).toList(),
                list(b, "gateways").stream().map(s -> Ip.parse(s, "gateways")).toList(),
                list(b, "dhcpServers").stream().map(s -> Ip.parse(s, "dhcpServers")).toList(),
                list(b, "dnsServers").stream().map(s -> Ip.parse(s, "dnsServers")).toList(),
                list(b, "routerMacs").stream().map(s -> MacAddress.parse(s, "routerMacs")).toList(),
                b.has("mode") ? FirewallMode.parse(b.string("mode", true), "mode") : FirewallMode.SECURITY_GROUPS);
    }

    public void deleteNetwork(Caller c, String token) {
        c.requireAdmin();
        ctl.mutate(c, w -> {
            Network n = Resolve.network(w, token);
            List<String> users = w.vnicsOnNetwork(n.id()).stream().map(v -> v.id()).toList();
            if (!users.isEmpty()) {
                throw ApiException.conflict(null, "network " + n.id() + " has vnics: " + String.join(", ", users));
            }
            return new Controller.Mutation<>(WorldChange.builder().remove(n.id()).build(), null, "delete network " + n.name());
        });
    }

    public Host createHost(Caller c, Body b) {
        c.requireAdmin();
        String name = b.string("name", true);
        return ctl.mutate(c, w -> {
            if (w.hosts().values().stream().anyMatch(h -> h.name().equals(name))) {
                throw ApiException.conflict("name", "a host named '" + name + "' exists");
            }
            Host h = new Host(Ids.newId(Ids.HOST), name, b.string("bridge", false), b.has("uplinks") ? b.strings("uplinks") : List.of());
            return new Controller.Mutation<>(WorldChange.builder().host(h).build(), h, "create host " + name);
        });
    }

    /** An agent announces its host: created on first start, bridge and uplinks kept current. */
    public Host register(Caller c, String name, Body b) {
        if (!c.admin() && !(c.role() == Caller.Role.HOST && name.equals(c.hostName()))) {
            throw ApiException.forbidden("only an admin or the host's own token may register host " + name);
        }
        return ctl.mutate(c, w -> {
            Host existing = w.hosts().values().stream().filter(h -> h.name().equals(name) || h.id().equals(name)).findFirst().orElse(null);
            String bridge = b.has("bridge") ? b.string("bridge", true) : existing == null ? null : existing.bridge();
            List<String> uplinks = b.has("uplinks") ? b.strings("uplinks") : existing == null ? List.of() : existing.uplinks();
            Host h = new Host(existing == null ? Ids.newId(Ids.HOST) : existing.id(), existing == null ? name : existing.name(), bridge, uplinks);
            return new Controller.Mutation<>(WorldChange.builder().host(h).build(), h, "register host " + h.name());
        });
    }

    public void deleteHost(Caller c, String token) {
        c.requireAdmin();
        ctl.mutate(c, w -> {
            Host h = Resolve.host(w, token);
            List<String> vnics = w.vnicsOnHost(h.id()).stream().map(v -> v.id()).toList();
            if (!vnics.isEmpty()) {
                throw ApiException.conflict(null, "host " + h.id() + " has vnics: " + String.join(", ", vnics));
            }
            return new Controller.Mutation<>(WorldChange.builder().remove(h.id()).build(), null, "delete host " + h.name());
        });
    }

    private static List<String> list(Body b, String field) {
        List<String> v = b.strings(field);
        return v == null ? List.of() : v;
    }
}
