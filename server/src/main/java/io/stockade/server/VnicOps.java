package io.stockade.server;

import io.stockade.core.model.Host;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Instance;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Instances and their vnics, and which groups each vnic has. */
public final class VnicOps {
    static final Set<String> INSTANCE_FIELDS = Set.of("id", "name", "project");
    static final Set<String> VNIC_FIELDS = Set.of("id", "name", "project", "instance", "host", "device", "mac", "addresses", "network",
            "securityGroups", "portSecurity", "logDrops", "description", Placement.OUTSIDE_SUBNETS);

    private final Controller ctl;
    private final Quotas quotas;

    public VnicOps(Controller ctl) {
        this.ctl = ctl;
        this.quotas = new Quotas(ctl);
    }

    public Instance createInstance(Caller c, Body b) {
        String name = b.string("name", true);
        return ctl.mutate(c, w -> {
            Instance i = new Instance(Ids.newId(Ids.INSTANCE), GroupOps.projectFor(w, c, b.string("project", false)), name);
            return new Controller.Mutation<>(WorldChange.builder().instance(i).build(), i, "create instance " + name);
        });
    }

    /** Deletes an instance and its vnics. */
    public void deleteInstance(Caller c, String token) {
        ctl.mutate(c, w -> {
            Instance i = Resolve.instance(w, c, token);
            WorldChange.Builder next = WorldChange.builder().remove(i.id());
            w.vnics().values().stream().filter(v -> i.id().equals(v.instanceId())).forEach(v -> next.remove(v.id()));
            return new Controller.Mutation<>(next.build(), null, "delete instance " + i.name());
        });
    }

    /** Sets the same groups on every vnic of an instance, in one revision. */
    public List<Vnic> setInstanceGroups(Caller c, String token, Body b) {
        List<String> tokens = groupsField(b);
        return ctl.mutate(c, w -> {
            Instance i = Resolve.instance(w, c, token);
            WorldChange.Builder next = WorldChange.builder();
            List<Vnic> changed = new ArrayList<>();
            for (Vnic v : w.vnics().values()) {
                if (i.id().equals(v.instanceId())) {
                    Vnic n = v.withGroups(groups(w, c, v.projectId(), tokens));
                    next.vnic(n);
                    changed.add(n);
                }
            }
            WorldChange change = next.build();
            World built = w.apply(change);
            changed.forEach(v -> GroupOps.requireOneStatefulness(built, v));
            List<Object> names = changed.isEmpty() ? List.copyOf(tokens) : List.copyOf(groupNames(w, changed.get(0).securityGroupIds()));
            return new Controller.Mutation<>(change, changed, "set groups of instance " + i.name() + " to " + names);
        });
    }

    public Vnic createVnic(Caller c, Body b) {
        return ctl.mutate(c, w -> {
            Vnic v = newVnic(w, c, b, given -> GroupOps.newId(Ids.VNIC, given, w.vnics(), "vnic"));
            quotas.requireRoomFor(w, v.projectId(), Quotas.Resource.VNICS);
            checkVnic(w, c, v);
            return new Controller.Mutation<>(WorldChange.builder().vnic(v).build(), v, "create vnic " + v.id());
        });
    }

    /**
     * A new vnic from a request's fields, checked against world {@code w} (which need not hold it):
     * its references resolve, its placement and groups are the caller's to give. Not checked here:
     * the project's quota and that no other vnic has its MAC, device or addresses. {@code id}
     * turns the requested id (or null) into the vnic's.
     */
    Vnic newVnic(World w, Caller c, Body b, java.util.function.UnaryOperator<String> id) {
        Instance instance = b.has("instance") ? Resolve.instance(w, c, b.string("instance", true)) : null;
        String project = instance != null ? instance.projectId() : GroupOps.projectFor(w, c, b.string("project", false));
        String vnicId = id.apply(b.string("id", false));
        MacAddress mac = MacAddress.parse(b.string("mac", true), "mac");
        Vnic v = new Vnic(vnicId, project, b.string("name", false), instance == null ? null : instance.id(),
                hostId(w, b.string("host", false)), b.string("device", false), mac, addresses(b),
                b.has("network") ? Resolve.network(w, b.string("network", true)).id() : null,
                b.has("securityGroups") ? groups(w, c, project, groupsField(b)) : List.of(), !Boolean.FALSE.equals(b.bool("portSecurity")),
                Boolean.TRUE.equals(b.bool("logDrops")), b.string("description", false));
        Placement.check(w, c, null, v, b);
        // The vnic's groups are all stateful or all stateless (its groups are in w whether or not the vnic is).
        GroupOps.requireOneStatefulness(w, v);
        return v;
    }

    /** Changes where a vnic is (host, device: a migration), its addresses, port security, drop logging, name or description. */
    public Vnic updateVnic(Caller c, String token, Body b) {
        return ctl.mutate(c, w -> {
            Vnic v = Resolve.vnic(w, c, token);
            Vnic n = new Vnic(v.id(), v.projectId(), b.has("name") ? b.string("name", false) : v.name(),
                    b.node().has("instance") ? instanceOf(w, c, v, b.string("instance", false)) : v.instanceId(),
                    b.node().has("host") ? hostId(w, b.string("host", false)) : v.hostId(),
                    b.node().has("device") ? b.string("device", false) : v.device(),
                    b.has("mac") ? MacAddress.parse(b.string("mac", true), "mac") : v.mac(),
                    b.has("addresses") ? addresses(b) : v.addresses(),
                    b.has("network") ? Resolve.network(w, b.string("network", true)).id() : v.networkId(),
                    b.has("securityGroups") ? groups(w, c, v.projectId(), groupsField(b)) : v.securityGroupIds(),
                    b.bool("portSecurity") == null ? v.portSecurity() : b.bool("portSecurity"),
                    b.bool("logDrops") == null ? v.logDrops() : b.bool("logDrops"),
                    b.has("description") ? b.string("description", false) : v.description());
            Placement.check(w, c, v, n, b);
            WorldChange change = WorldChange.builder().vnic(n).build();
            checkVnic(w, c, n);
            GroupOps.requireOneStatefulness(w.apply(change), n);
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
        });
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
            throw ApiException.invalid("instance", "instance " + i.name() + " is in another project than vnic " + v.id());
        }
        return i.id();
    }

    public void deleteVnic(Caller c, String token) {
        ctl.mutate(c, w -> {
            Vnic v = Resolve.vnic(w, c, token);
            return new Controller.Mutation<>(WorldChange.builder().remove(v.id()).build(), null, "delete vnic " + v.id());
        });
    }

    public Vnic setGroups(Caller c, String token, Body b) {
        List<String> tokens = groupsField(b);
        return ctl.mutate(c, w -> {
            Vnic v = Resolve.vnic(w, c, token);
            Vnic n = v.withGroups(groups(w, c, v.projectId(), tokens));
            WorldChange change = WorldChange.builder().vnic(n).build();
            GroupOps.requireOneStatefulness(w.apply(change), n);
            return new Controller.Mutation<>(change, n, new AuditDiff()
                    .field("securityGroups", groupNames(w, v.securityGroupIds()), groupNames(w, n.securityGroupIds()))
                    .describe("set groups of vnic " + v.id()));
        });
    }

    private static List<String> groupsField(Body b) {
        List<String> g = b.strings("securityGroups");
        if (g == null) {
            throw ApiException.badRequest("securityGroups", "is required: a list of group ids or names");
        }
        return g;
    }

    /** Resolves group tokens usable by a vnic of the project: its own groups or global ones, at most maxGroupsPerVnic. */
    private List<String> groups(World w, Caller c, String project, List<String> tokens) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            SecurityGroup g;
            try {
                g = Resolve.referencable(w, c, project, tokens.get(i));
            } catch (ApiException e) {
                throw new ApiException(e.status(), e.code(), "securityGroups[" + i + "]", e.getMessage());
            }
            if (!ids.add(g.id())) {
                throw ApiException.invalid("securityGroups[" + i + "]", "security group " + g.id() + " is listed twice");
            }
        }
        int max = ctl.policy().maxGroupsPerVnic();
        if (ids.size() > max) {
            throw ApiException.conflict("securityGroups", "a vnic may have at most " + max + " groups (knob maxGroupsPerVnic), got " + ids.size());
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

    private static List<InetAddress> addresses(Body b) {
        List<String> given = b.strings("addresses");
        List<InetAddress> out = new ArrayList<>();
        if (given != null) {
            for (int i = 0; i < given.size(); i++) {
                out.add(Ip.parse(given.get(i), "addresses[" + i + "]"));
            }
        }
        return out;
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
            throw ApiException.conflict("mac", "MAC " + v.mac() + " is already " + owner(c, o));
        });
        if (v.hostId() != null && v.device() != null) {
            for (Vnic o : others.vnicsOnHost(v.hostId())) {
                if (!o.id().equals(v.id()) && v.device().equals(o.device())) {
                    throw ApiException.conflict("device", "device " + v.device() + " on host " + v.hostId() + " is already " + owner(c, o));
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
                    throw ApiException.conflict("addresses", Ip.format(a) + " is already " + owner(c, o) + " on this network");
                }
            }
        }
    }
}
