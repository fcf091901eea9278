package io.stockade.server;

import io.stockade.core.model.Host;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Instance;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Ip;
import io.stockade.server.command.Refusal;
import io.stockade.server.command.VnicCommand.CreateInstance;
import io.stockade.server.command.VnicCommand.CreateVnic;
import io.stockade.server.command.VnicCommand.DeleteInstance;
import io.stockade.server.command.VnicCommand.DeleteVnic;
import io.stockade.server.command.VnicCommand.SetInstanceGroups;
import io.stockade.server.command.VnicCommand.SetVnicGroups;
import io.stockade.server.command.VnicCommand.UpdateVnic;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Instances and their vnics, and which groups each vnic has. */
public final class VnicOps {
    private final Controller ctl;
    private final Quotas quotas;

    public VnicOps(Controller ctl) {
        this.ctl = ctl;
        this.quotas = new Quotas(ctl);
    }

    public Instance create(Caller c, CreateInstance command) {
        return ctl.mutate(c, w -> create(w, c, command));
    }

    Controller.Mutation<Instance> create(World w, Caller c, CreateInstance command) {
        Instance i = new Instance(Ids.newId(Ids.INSTANCE), GroupOps.projectFor(w, c, command.project()), command.name());
        return new Controller.Mutation<>(WorldChange.builder().instance(i).build(), i, "create instance " + command.name());
    }

    public void delete(Caller c, DeleteInstance command) {
        ctl.mutate(c, w -> delete(w, c, command));
    }

    /** Deletes an instance and its vnics. */
    Controller.Mutation<Void> delete(World w, Caller c, DeleteInstance command) {
        Instance i = Resolve.instance(w, c, command.instance());
        WorldChange.Builder next = WorldChange.builder().remove(i.id());
        w.vnicsOfInstance(i.id()).forEach(v -> next.remove(v.id()));
        return new Controller.Mutation<>(next.build(), null, "delete instance " + i.name());
    }

    public List<Vnic> set(Caller c, SetInstanceGroups command) {
        return ctl.mutate(c, w -> set(w, c, command));
    }

    /** Sets the same groups on every vnic of an instance, in one revision. */
    Controller.Mutation<List<Vnic>> set(World w, Caller c, SetInstanceGroups command) {
        List<String> tokens = command.groups();
        Instance i = Resolve.instance(w, c, command.instance());
        WorldChange.Builder next = WorldChange.builder();
        List<Vnic> changed = new ArrayList<>();
        for (Vnic v : w.vnicsOfInstance(i.id())) {
            Vnic n = v.withGroups(groups(w, c, v.projectId(), tokens));
            next.vnic(n);
            changed.add(n);
        }
        WorldChange change = next.build();
        changed.forEach(v -> GroupOps.requireOneStatefulness(w, v)); // the change holds vnics only: w's groups are the groups after it
        List<Object> names = changed.isEmpty() ? List.copyOf(tokens) : List.copyOf(groupNames(w, changed.get(0).securityGroupIds()));
        return new Controller.Mutation<>(change, changed, "set groups of instance " + i.name() + " to " + names);
    }

    public Vnic create(Caller c, CreateVnic command) {
        return ctl.mutate(c, w -> create(w, c, command));
    }

    Controller.Mutation<Vnic> create(World w, Caller c, CreateVnic command) {
        Vnic v = newVnic(w, c, command, given -> GroupOps.newId(Ids.VNIC, given, w.vnics(), "vnic"));
        quotas.requireRoomFor(w, v.projectId(), Quotas.Resource.VNICS);
        checkVnic(w, c, v);
        return new Controller.Mutation<>(WorldChange.builder().vnic(v).build(), v, "create vnic " + v.id());
    }

    /**
     * A new vnic from a request's fields, checked against world {@code w} (which need not hold it):
     * its references resolve, its placement and groups are the caller's to give. Not checked here:
     * the project's quota and that no other vnic has its MAC, device or addresses. {@code id}
     * turns the requested id (or null) into the vnic's.
     */
    Vnic newVnic(World w, Caller c, CreateVnic command, java.util.function.UnaryOperator<String> id) {
        Instance instance = command.instance() != null ? Resolve.instance(w, c, command.instance()) : null;
        String project = instance != null ? instance.projectId() : GroupOps.projectFor(w, c, command.project());
        Vnic v = new Vnic(id.apply(command.id()), project, command.name(), instance == null ? null : instance.id(),
                hostId(w, command.host()), command.device(), command.mac(), command.addresses(),
                command.network() != null ? Resolve.network(w, command.network()).id() : null,
                groups(w, c, project, command.groups()), command.portSecurity(), command.logDrops(), command.description());
        Placement.check(w, c, null, v, command.outsideSubnets());
        // The vnic's groups are all stateful or all stateless (its groups are in w whether or not the vnic is).
        GroupOps.requireOneStatefulness(w, v);
        return v;
    }

    /** Changes where a vnic is (host, device: a migration), its addresses, port security, drop logging, name or description. */
    public Vnic update(Caller c, UpdateVnic command) {
        return ctl.mutate(c, w -> update(w, c, command));
    }

    Controller.Mutation<Vnic> update(World w, Caller c, UpdateVnic command) {
        Vnic v = Resolve.vnic(w, c, command.vnic());
        Vnic n = new Vnic(v.id(), v.projectId(), command.name().or(v.name()),
                command.instance().or(v.instanceId(), token -> instanceOf(w, c, v, token)),
                command.host().or(v.hostId(), token -> hostId(w, token)),
                command.device().or(v.device()),
                command.mac().or(v.mac()),
                command.addresses().or(v.addresses()),
                command.network().or(v.networkId(), token -> Resolve.network(w, token).id()),
                command.groups().or(v.securityGroupIds(), tokens -> groups(w, c, v.projectId(), tokens)),
                command.portSecurity().or(v.portSecurity()),
                command.logDrops().or(v.logDrops()),
                command.description().or(v.description()));
        Placement.check(w, c, v, n, command.outsideSubnets());
        WorldChange change = WorldChange.builder().vnic(n).build();
        checkVnic(w, c, n);
        GroupOps.requireOneStatefulness(w, n); // the change holds this vnic only: w's groups are the groups after it
        return new Controller.Mutation<>(change, n, new AuditDiff()
                .field("name", v.name(), n.name())
                .field("instance", instanceName(w, v.instanceId()), instanceName(w, n.instanceId()))
                .field("host", hostName(w, v.hostId()), hostName(w, n.hostId()))
                .field("device", v.device(), n.device())
                .field("mac", v.mac(), n.mac())
                .field("addresses", v.addresses().stream().map(Ip::format).toList(), n.addresses().stream().map(Ip::format).toList())
                .field("network", v.networkId(), n.networkId())
                .field("securityGroups", groupNames(w, v.securityGroupIds()), groupNames(w, n.securityGroupIds()))
                .field("portSecurity", v.portSecurity(), n.portSecurity())
                .field("logDrops", v.logDrops(), n.logDrops())
                .field("description", v.description(), n.description())
                .describe("update vnic " + v.id()));
    }

    /** Group names for the audit log, in the vnic's order. */
    private static List<String> groupNames(World w, List<String> ids) {
        return ids.stream().map(id -> w.group(id).map(SecurityGroup::name).orElse(id)).toList();
    }

    private static String instanceName(World w, String id) {
        return id == null ? null : w.instances().containsKey(id) ? w.instances().get(id).name() : id;
    }

    private static String hostName(World w, String id) {
        return id == null ? null : w.hosts().containsKey(id) ? w.hosts().get(id).name() : id;
    }

    /** The instance a vnic moves to (null or blank: none), which must be of the vnic's project. */
    private static String instanceOf(World w, Caller c, Vnic v, String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        Instance i = Resolve.instance(w, c, token);
        if (!i.projectId().equals(v.projectId())) {
            throw new Refusal.Invalid("instance", "instance " + i.name() + " is in another project than vnic " + v.id());
        }
        return i.id();
    }

    public void delete(Caller c, DeleteVnic command) {
        ctl.mutate(c, w -> delete(w, c, command));
    }

    Controller.Mutation<Void> delete(World w, Caller c, DeleteVnic command) {
        Vnic v = Resolve.vnic(w, c, command.vnic());
        return new Controller.Mutation<>(WorldChange.builder().remove(v.id()).build(), null, "delete vnic " + v.id());
    }

    public Vnic set(Caller c, SetVnicGroups command) {
        return ctl.mutate(c, w -> set(w, c, command));
    }

    Controller.Mutation<Vnic> set(World w, Caller c, SetVnicGroups command) {
        Vnic v = Resolve.vnic(w, c, command.vnic());
        Vnic n = v.withGroups(groups(w, c, v.projectId(), command.groups()));
        WorldChange change = WorldChange.builder().vnic(n).build();
        GroupOps.requireOneStatefulness(w, n); // the change holds this vnic only: w's groups are the groups after it
        return new Controller.Mutation<>(change, n, new AuditDiff()
                .field("securityGroups", groupNames(w, v.securityGroupIds()), groupNames(w, n.securityGroupIds()))
                .describe("set groups of vnic " + v.id()));
    }

    /** Resolves group tokens usable by a vnic of the project: its own groups or global ones, at most maxGroupsPerVnic. */
    private List<String> groups(World w, Caller c, String project, List<String> tokens) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            SecurityGroup g;
            try {
                g = Resolve.referencable(w, c, project, tokens.get(i));
            } catch (Refusal r) {
                throw r.about("securityGroups[" + i + "]");
            }
            if (!ids.add(g.id())) {
                throw new Refusal.Invalid("securityGroups[" + i + "]", "security group " + g.id() + " is listed twice");
            }
        }
        int max = ctl.policy().maxGroupsPerVnic();
        if (ids.size() > max) {
            throw new Refusal.Conflict("securityGroups", "a vnic may have at most " + max + " groups (knob maxGroupsPerVnic), got " + ids.size());
        }
        return new ArrayList<>(ids);
    }

    private static String hostId(World w, String token) {
        if (token == null) {
            return null;
        }
        Host h = Resolve.host(w, token);
        return h.id();
    }

    static String owner(Caller c, Vnic o) {
        return c.sees(o.projectId(), false) ? "vnic " + o.id() + "'s" : "in use by another project";
    }

    /**
     * No two vnics share a MAC, nor an address on one network, nor a device on one host (the
     * vnic's own former self aside), found through the world's indexes (by MAC, host, network):
     * the vnics of the world without a network are walked only for a vnic with addresses and no network.
     */
    private static void checkVnic(World others, Caller c, Vnic v) {
        others.vnicByMac(v.mac()).filter(o -> !o.id().equals(v.id())).ifPresent(o -> {
            throw new Refusal.Conflict("mac", "MAC " + v.mac() + " is already " + owner(c, o));
        });
        if (v.hostId() != null && v.device() != null) {
            for (Vnic o : others.vnicsOnHost(v.hostId())) {
                if (!o.id().equals(v.id()) && v.device().equals(o.device())) {
                    throw new Refusal.Conflict("device", "device " + v.device() + " on host " + v.hostId() + " is already " + owner(c, o));
                }
            }
        }
        if (v.addresses().isEmpty()) {
            return;
        }
        Iterable<Vnic> sameNetwork = v.networkId() != null ? others.vnicsOnNetwork(v.networkId())
                : others.vnics().values().stream().filter(o -> o.networkId() == null).toList();
        for (Vnic o : sameNetwork) {
            if (o.id().equals(v.id())) {
                continue;
            }
            for (InetAddress a : v.addresses()) {
                if (o.addresses().contains(a)) {
                    throw new Refusal.Conflict("addresses", Ip.format(a) + " is already " + owner(c, o) + " on this network");
                }
            }
        }
    }
}
