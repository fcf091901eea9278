package io.stockade.server;

import io.stockade.core.model.Direction;
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
import io.stockade.core.net.IpVersion;
import io.stockade.core.policy.Policy;
import io.stockade.server.command.AdminCommand.CreateHost;
import io.stockade.server.command.AdminCommand.CreateNetwork;
import io.stockade.server.command.AdminCommand.CreateProject;
import io.stockade.server.command.AdminCommand.DeleteHost;
import io.stockade.server.command.AdminCommand.DeleteNetwork;
import io.stockade.server.command.AdminCommand.DeleteProject;
import io.stockade.server.command.AdminCommand.EnsureDefaultGroup;
import io.stockade.server.command.AdminCommand.RegisterHost;
import io.stockade.server.command.AdminCommand.UpdateProject;
import io.stockade.server.command.Refusal;
import java.util.ArrayList;
import java.util.List;

/** Projects (with their default group), networks and hosts: the admin's side of the world. */
public final class AdminOps {
    private final Controller ctl;

    public AdminOps(Controller ctl) {
        this.ctl = ctl;
    }

    public Project create(Caller c, CreateProject command) {
        return ctl.mutate(c, w -> create(w, c, command));
    }

    Controller.Mutation<Project> create(World w, Caller c, CreateProject command) {
        c.requireAdmin();
        String id = command.id() != null ? Ids.require(Ids.PROJECT, command.id(), "id") : Ids.newId(Ids.PROJECT);
        if (w.projects().containsKey(id) || ctl.store().everExisted(id)) {
            throw new Refusal.Conflict("id", "a project with id " + id + " exists or existed (ids are never reused)");
        }
        if (w.projects().values().stream().anyMatch(p -> p.name().equals(command.name()))) {
            throw new Refusal.Conflict("name", "a project named '" + command.name() + "' exists");
        }
        Project p = new Project(id, command.name(), command.smtpAllowed());
        WorldChange.Builder next = WorldChange.builder().project(p);
        if (ctl.policy().defaultGroup()) {
            next.group(defaultGroup(ctl.policy(), p.id()));
        }
        return new Controller.Mutation<>(next.build(), p, "create project " + command.name());
    }

    /**
     * Makes the project's {@code default} group if its profile has one and the project has none
     * (a project from before the profile, or whose group an admin deleted), as Neutron makes it on
     * a project's first request. Nothing is written when it exists.
     */
    public void ensure(Caller c, EnsureDefaultGroup command) {
        String projectId = command.project();
        if (!ctl.policy().defaultGroup() || projectId == null || hasDefault(ctl.world(), projectId)) {
            return;
        }
        ctl.mutate(c, w -> ensure(w, command));
    }

    Controller.Mutation<Void> ensure(World w, EnsureDefaultGroup command) {
        String projectId = command.project();
        if (!ctl.policy().defaultGroup() || projectId == null || !w.projects().containsKey(projectId) || hasDefault(w, projectId)) {
            return new Controller.Mutation<>(WorldChange.NONE, null, "default security group of " + projectId + " exists");
        }
        return new Controller.Mutation<>(WorldChange.builder().group(defaultGroup(ctl.policy(), projectId)).build(), null,
                "create the default security group of " + projectId);
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

    public Project update(Caller c, UpdateProject command) {
        return ctl.mutate(c, w -> update(w, c, command));
    }

    Controller.Mutation<Project> update(World w, Caller c, UpdateProject command) {
        c.requireAdmin();
        Project p = Resolve.project(w, c, command.project());
        Project n = new Project(p.id(), command.name().or(p.name()), command.smtpAllowed().or(p.smtpAllowed()));
        return new Controller.Mutation<>(WorldChange.builder().project(n).build(), n, "update project " + p.name());
    }

    public void delete(Caller c, DeleteProject command) {
        ctl.mutate(c, w -> delete(w, c, command));
    }

    Controller.Mutation<Void> delete(World w, Caller c, DeleteProject command) {
        c.requireAdmin();
        Project p = Resolve.project(w, c, command.project());
        List<String> owned = new ArrayList<>();
        w.groups().values().stream().filter(g -> g.projectId().equals(p.id()) && !g.name().equals("default")).forEach(g -> owned.add(g.id()));
        w.ipSets().values().stream().filter(s -> s.projectId().equals(p.id())).forEach(s -> owned.add(s.id()));
        w.instances().values().stream().filter(i -> i.projectId().equals(p.id())).forEach(i -> owned.add(i.id()));
        w.vnics().values().stream().filter(v -> v.projectId().equals(p.id())).forEach(v -> owned.add(v.id()));
        if (!owned.isEmpty()) {
            throw new Refusal.Conflict(null, "project " + p.id() + " still owns " + String.join(", ", owned));
        }
        WorldChange.Builder next = WorldChange.builder().remove(p.id());
        w.groups().values().stream().filter(g -> g.projectId().equals(p.id())).forEach(g -> next.remove(g.id()));
        return new Controller.Mutation<>(next.build(), null, "delete project " + p.name());
    }

    public Network create(Caller c, CreateNetwork command) {
        return ctl.mutate(c, w -> create(w, c, command));
    }

    /** The same for every world: a network refers to nothing. */
    Controller.Mutation<Network> create(World w, Caller c, CreateNetwork command) {
        c.requireAdmin();
        Network n = network(command.id() != null ? Ids.require(Ids.NETWORK, command.id(), "id") : Ids.newId(Ids.NETWORK), command);
        return new Controller.Mutation<>(WorldChange.builder().network(n).build(), n, "create network " + command.name());
    }

    /** The network a command makes, with this id. */
    static Network network(String id, CreateNetwork command) {
        return new Network(id, command.name(), command.subnets(), command.gateways(), command.dhcpServers(), command.dnsServers(),
                command.routerMacs(), command.mode());
    }

    public void delete(Caller c, DeleteNetwork command) {
        ctl.mutate(c, w -> delete(w, c, command));
    }

    Controller.Mutation<Void> delete(World w, Caller c, DeleteNetwork command) {
        c.requireAdmin();
        Network n = Resolve.network(w, command.network());
        List<String> users = w.vnicsOnNetwork(n.id()).stream().map(v -> v.id()).toList();
        if (!users.isEmpty()) {
            throw new Refusal.Conflict(null, "network " + n.id() + " has vnics: " + String.join(", ", users));
        }
        return new Controller.Mutation<>(WorldChange.builder().remove(n.id()).build(), null, "delete network " + n.name());
    }

    public Host create(Caller c, CreateHost command) {
        return ctl.mutate(c, w -> create(w, c, command));
    }

    Controller.Mutation<Host> create(World w, Caller c, CreateHost command) {
        c.requireAdmin();
        if (w.hosts().values().stream().anyMatch(h -> h.name().equals(command.name()))) {
            throw new Refusal.Conflict("name", "a host named '" + command.name() + "' exists");
        }
        Host h = new Host(Ids.newId(Ids.HOST), command.name(), command.bridge(), command.uplinks());
        return new Controller.Mutation<>(WorldChange.builder().host(h).build(), h, "create host " + command.name());
    }

    public Host register(Caller c, RegisterHost command) {
        return ctl.mutate(c, w -> register(w, c, command));
    }

    /** An agent announces its host: created on first start, bridge and uplinks kept current. Only an admin or the host's own token may. */
    Controller.Mutation<Host> register(World w, Caller c, RegisterHost command) {
        String name = command.host();
        if (!c.admin() && !(c.role() == Caller.Role.HOST && name.equals(c.hostName()))) {
            throw new Refusal.Forbidden(null, "only an admin or the host's own token may register host " + name);
        }
        Host existing = w.hosts().values().stream().filter(h -> h.name().equals(name) || h.id().equals(name)).findFirst().orElse(null);
        String bridge = command.bridge().or(existing == null ? null : existing.bridge());
        List<String> uplinks = command.uplinks().or(existing == null ? List.of() : existing.uplinks());
        Host h = new Host(existing == null ? Ids.newId(Ids.HOST) : existing.id(), existing == null ? name : existing.name(), bridge, uplinks);
        return new Controller.Mutation<>(WorldChange.builder().host(h).build(), h, "register host " + h.name());
    }

    public void delete(Caller c, DeleteHost command) {
        ctl.mutate(c, w -> delete(w, c, command));
    }

    Controller.Mutation<Void> delete(World w, Caller c, DeleteHost command) {
        c.requireAdmin();
        Host h = Resolve.host(w, command.host());
        List<String> vnics = w.vnicsOnHost(h.id()).stream().map(v -> v.id()).toList();
        if (!vnics.isEmpty()) {
            throw new Refusal.Conflict(null, "host " + h.id() + " has vnics: " + String.join(", ", vnics));
        }
        return new Controller.Mutation<>(WorldChange.builder().remove(h.id()).build(), null, "delete host " + h.name());
    }
}
