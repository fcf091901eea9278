package io.stockade.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Instance;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Project;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.ValidationException;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.ProjectCounts;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Ip;
import io.stockade.server.command.ImportCommand;
import io.stockade.server.command.ImportCommand.Item;
import io.stockade.server.command.Refusal;
import io.stockade.wire.WorldJson;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bulk import and export (issue 22). An export is a world, or what a member's project holds, in
 * the wire form of {@link WorldJson} with instances: {@code {"revision", "projects", "networks",
 * "hosts", "ipSets", "groups", "instances", "vnics"}}. An import takes that shape and makes every
 * object in it as ONE write: one transaction, one revision, one {@link WorldChange} that the
 * controller applies to its world ({@code World.apply}, no rebuild); all or nothing. Each object
 * passes the checks of its own create route (ids, names, placement, references, quotas), against
 * the world and the rest of the import, and no two vnics share a MAC, a device on a host or an
 * address on a network; a refusal names the object ({@code vnics[12]}, its id) and the field. The document is read
 * into an {@link ImportCommand} by {@link ImportRequests}, before the write lock is taken.
 * Ids given are kept (they must be new); objects without one get one. A member imports ip sets,
 * groups, instances and vnics into its own project, without placement fields; an admin anything.
 *
 * <p>Cost: each object is read once and checked by lookups by id; the world is walked once for
 * the quotas of the projects it already holds, once for its groups' rule ids (rule ids stay
 * unique), and once per network and host the import puts vnics on (their vnics' addresses and
 * devices). The write holds the controller's write lock while it is checked (not while it is read).
 */
public final class ImportOps {
    /** What an import made: the revision of its write (the current one when it made nothing) and how many objects of each kind. */
    public record Imported(long revision, Map<String, Integer> counts) {}

    private final Controller ctl;
    private final GroupOps groups;
    private final IpSetOps ipSets;
    private final VnicOps vnics;
    private final Quotas quotas;

    public ImportOps(Controller ctl) {
        this.ctl = ctl;
        this.groups = new GroupOps(ctl);
        this.ipSets = new IpSetOps(ctl);
        this.vnics = new VnicOps(ctl);
        this.quotas = new Quotas(ctl);
    }

    /** The objects the caller sees, in the import's shape: everything for an admin, service or auditor; a member's project's own objects for a member. */
    public ObjectNode export(Caller c) {
        return export(ctl.json(), ctl.mapper().createObjectNode(), ctl.world(), c);
    }

    /** {@code w}'s objects that {@code c} sees, in the import's shape, put into {@code o}. */
    static ObjectNode export(WorldJson json, ObjectNode o, World w, Caller c) {
        boolean all = c.sees(null, false);
        o.put("revision", w.revision());
        add(o.putArray("projects"), all ? w.projects().values() : List.of(), json::project);
        add(o.putArray("networks"), all ? w.networks().values() : List.of(), json::network);
        add(o.putArray("hosts"), all ? w.hosts().values() : List.of(), json::host);
        add(o.putArray("ipSets"), w.ipSets().values().stream().filter(s -> all || !s.global() && s.projectId().equals(c.projectId())).toList(), json::ipSet);
        add(o.putArray("groups"), w.groups().values().stream().filter(g -> all || !g.global() && g.projectId().equals(c.projectId())).toList(), json::group);
        add(o.putArray("instances"), w.instances().values().stream().filter(i -> all || i.projectId().equals(c.projectId())).toList(), json::instance);
        add(o.putArray("vnics"), w.vnics().values().stream().filter(v -> all || v.projectId().equals(c.projectId())).toList(), json::vnic);
        return o;
    }

    private static <T> void add(ArrayNode to, Iterable<T> items, java.util.function.Function<T, ObjectNode> f) {
        items.forEach(t -> to.add(f.apply(t)));
    }

    /** Makes every object of an export in one write; see the class comment. */
    public Imported load(Caller c, ImportCommand command) {
        Map<String, List<?>> admins = new LinkedHashMap<>();
        admins.put("projects", command.projects());
        admins.put("networks", command.networks());
        admins.put("hosts", command.hosts());
        if (!c.admin()) {
            admins.forEach((kind, items) -> {
                if (!items.isEmpty()) {
                    throw new Refusal.Forbidden(kind, "only an admin may import " + kind
                            + "; a member imports ip sets, groups, instances and vnics into its own project");
                }
            });
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        WorldChange made = ctl.mutate(c, w -> {
            WorldChange change = new Staging(c, w).run(command);
            counts.clear();
            counts.put("projects", change.projects().size());
            counts.put("networks", change.networks().size());
            counts.put("hosts", change.hosts().size());
            counts.put("ipSets", change.ipSets().size());
            counts.put("groups", change.groups().size());
            counts.put("instances", change.instances().size());
            counts.put("vnics", change.vnics().size());
            return new Controller.Mutation<>(change, change, "import " + change.size() + " objects: " + counts);
        });
        String any = made.isEmpty() ? null : firstId(made);
        Controller.Meta meta = any == null ? null : ctl.meta(any);
        return new Imported(meta == null ? ctl.world().revision() : meta.revision(), counts);
    }

    private static String firstId(WorldChange c) {
        for (List<?> l : List.of(c.projects(), c.networks(), c.hosts(), c.ipSets(), c.groups(), c.instances(), c.vnics())) {
            if (!l.isEmpty()) {
                Object o = l.get(0);
                return switch (o) {
                    case Project p -> p.id();
                    case io.stockade.core.model.Network n -> n.id();
                    case Host h -> h.id();
                    case IpSet s -> s.id();
                    case SecurityGroup g -> g.id();
                    case Instance i -> i.id();
                    case Vnic v -> v.id();
                    default -> throw new IllegalStateException(o.getClass().getName());
                };
            }
        }
        return null;
    }

    /**
     * One import checked against one world: kind after kind, each staged into a world of its own
     * ({@code staged}: the world with the kinds before it) so that the single-object checks, which
     * resolve references in a world, see the imported objects too.
     */
    private final class Staging {
        private final Caller c;
        private final World w;
        private World staged;
        private final WorldChange.Builder out = WorldChange.builder();
        /** Every id this import gives an object. */
        private final Set<String> ids = new HashSet<>();
        private final Set<String> newProjects = new HashSet<>();
        /** Per project: how many groups, ip sets and vnics the import adds to it. */
        private final Map<String, long[]> added = new HashMap<>();
        private Set<String> ruleIds;
        private final Map<String, Vnic> byMac = new HashMap<>();
        private final Map<String, Map<String, String>> devicesByHost = new HashMap<>();
        private final Map<String, Map<InetAddress, String>> addressesByNetwork = new HashMap<>();
        /** The projects' limits, read once for the whole import. */
        private final Quotas limits = quotas.readOnce();

        Staging(Caller c, World w) {
            this.c = c;
            this.w = w;
            this.staged = w;
        }

        WorldChange run(ImportCommand in) {
            Set<String> projectNames = new HashSet<>();
            w.projects().values().forEach(p -> projectNames.add(p.name()));
            each(in.projects(), (p, i) -> {
                String id = id(p.id(), Ids.PROJECT, "project");
                if (ctl.store().everExisted(id)) {
                    throw new Refusal.Conflict("id", "a project with id " + id + " existed (ids are never reused)");
                }
                if (!projectNames.add(p.name())) {
                    throw new Refusal.Conflict("name", "a project named '" + p.name() + "' exists");
                }
                out.project(new Project(id, p.name(), p.smtpAllowed()));
                newProjects.add(id);
            });
            each(in.networks(), (n, i) -> out.network(AdminOps.network(id(n.id(), Ids.NETWORK, "network"), n)));
            Set<String> hostNames = new HashSet<>();
            w.hosts().values().forEach(h -> hostNames.add(h.name()));
            each(in.hosts(), (h, i) -> {
                if (!hostNames.add(h.name())) {
                    throw new Refusal.Conflict("name", "a host named '" + h.name() + "' exists");
                }
                out.host(new Host(id(h.id(), Ids.HOST, "host"), h.name(), h.bridge(), h.uplinks()));
            });
            stage();
            each(in.ipSets(), (command, i) -> {
                IpSet s = ipSets.newIpSet(staged, c, command, given -> id(given, Ids.IP_SET, "ip set"));
                count(s.projectId(), 1);
                out.ipSet(s);
            });
            stage();
            List<SecurityGroup> bare = new ArrayList<>();
            Map<String, Integer> defaults = new HashMap<>();
            each(in.groups(), (given, i) -> {
                // A project made by this import may bring its own default group (an export of an openstack world does).
                boolean isDefault = GroupOps.DEFAULT.equals(given.group().name()) && ctl.policy().defaultGroup();
                SecurityGroup g = groups.bare(staged, c, given.group(), id -> id(id, Ids.GROUP, "security group"),
                        isDefault && newProjects.contains(project(given.group().project())));
                if (isDefault && defaults.put(g.projectId(), i) != null) {
                    throw new Refusal.Conflict("name", "project " + g.projectId() + " has a default group already in this import");
                }
                count(g.projectId(), 0);
                bare.add(g);
                out.group(g);
            });
            if (ctl.policy().defaultGroup()) {
                newProjects.stream().filter(p -> !defaults.containsKey(p)).sorted().forEach(p -> out.group(AdminOps.defaultGroup(ctl.policy(), p)));
            }
            stage();
            each(in.groups(), (given, i) -> {
                SecurityGroup g = bare.get(i);
                List<Rule> rules = groups.rules(staged, c, g, given.group().rules());
                for (int r = 0; r < rules.size(); r++) {
                    String ruleId = given.ruleIds().get(r);
                    if (ruleId != null) {
                        rules.set(r, rules.get(r).withId(ruleId(ruleId, "rules[" + r + "].id")));
                    }
                }
                SecurityGroup full = GroupOps.withRules(g, rules);
                limits.require(full);
                out.group(full);
            });
            each(in.instances(), (instance, i) -> {
                String project = GroupOps.projectFor(staged, c, instance.project());
                out.instance(new Instance(id(instance.id(), Ids.INSTANCE, "instance"), project, instance.name()));
            });
            stage();
            each(in.vnics(), (command, i) -> {
                Vnic v = vnics.newVnic(staged, c, command, given -> id(given, Ids.VNIC, "vnic"));
                unique(v);
                count(v.projectId(), 2);
                out.vnic(v);
            });
            requireQuotas();
            return out.build();
        }

        /** The project a group names (its id or name), or the caller's own. */
        private String project(String p) {
            if (p == null) {
                return c.projectId();
            }
            Project found = staged.projects().get(p);
            return found != null ? found.id() : staged.projects().values().stream().filter(x -> x.name().equals(p)).map(Project::id).findFirst().orElse(p);
        }

        /** The world with everything imported so far, for the next kinds' references. */
        private void stage() {
            staged = w.apply(out.build());
        }

        /** Checks the objects of one kind in turn; a refusal names the object and its field. */
        private <T> void each(List<Item<T>> items, java.util.function.ObjIntConsumer<T> check) {
            for (int i = 0; i < items.size(); i++) {
                Item<T> item = items.get(i);
                try {
                    check.accept(item.command(), i);
                } catch (Refusal r) {
                    throw r.within(item.where(), item.what());
                } catch (ValidationException e) {
                    throw new Refusal.Invalid(e.field(), e.getMessage()).within(item.where(), item.what());
                }
            }
        }

        /** The id an object asks for (of its kind's form, new to the world and the import), or a fresh one. */
        private String id(String given, String prefix, String what) {
            if (given == null) {
                String fresh = Ids.newId(prefix);
                ids.add(fresh);
                return fresh;
            }
            Ids.require(prefix, given, "id");
            if (w.holds(given)) {
                throw new Refusal.Conflict("id", "a " + what + " with id " + given + " exists");
            }
            if (!ids.add(given)) {
                throw new Refusal.Conflict("id", "id " + given + " is given to two objects of this import");
            }
            return given;
        }

        /** A rule id given in the import: of the right form, and no other rule's (in the world or the import). */
        private String ruleId(String given, String field) {
            Ids.require(Ids.RULE, given, field);
            if (ruleIds == null) {
                ruleIds = new HashSet<>();
                w.groups().values().forEach(g -> g.rules().forEach(r -> ruleIds.add(r.id())));
            }
            if (!ruleIds.add(given)) {
                throw new Refusal.Conflict(field, "rule id " + given + " is taken");
            }
            return given;
        }

        private void count(String project, int resource) {
            added.computeIfAbsent(project, p -> new long[3])[resource]++;
        }

        /** No other vnic (of the world or the import) has its MAC, its device on its host, or one of its addresses on its network. */
        private void unique(Vnic v) {
            String mac = v.mac().toString();
            Vnic other = byMac.get(mac);
            if (other == null) {
                other = w.vnicByMac(v.mac()).orElse(null);
            }
            if (other != null) {
                throw new Refusal.Conflict("mac", "MAC " + v.mac() + " is already " + owner(other));
            }
            byMac.put(mac, v);
            if (v.hostId() != null && v.device() != null) {
                Map<String, String> devices = devicesByHost.computeIfAbsent(v.hostId(), h -> {
                    Map<String, String> m = new HashMap<>();
                    w.vnicsOnHost(h).forEach(o -> {
                        if (o.device() != null) {
                            m.put(o.device(), o.id());
                        }
                    });
                    return m;
                });
                String holder = devices.putIfAbsent(v.device(), v.id());
                if (holder != null) {
                    throw new Refusal.Conflict("device", "device " + v.device() + " on host " + v.hostId() + " is already " + owner(holder));
                }
            }
            if (v.addresses().isEmpty()) {
                return;
            }
            String network = v.networkId() == null ? "" : v.networkId();
            Map<InetAddress, String> taken = addressesByNetwork.computeIfAbsent(network, n -> {
                Map<InetAddress, String> m = new HashMap<>();
                Iterable<Vnic> there = v.networkId() != null ? w.vnicsOnNetwork(n) : w.vnics().values().stream().filter(o -> o.networkId() == null).toList();
                there.forEach(o -> o.addresses().forEach(a -> m.put(a, o.id())));
                return m;
            });
            for (InetAddress a : v.addresses()) {
                String holder = taken.putIfAbsent(a, v.id());
                if (holder != null) {
                    throw new Refusal.Conflict("addresses", Ip.format(a) + " is already " + owner(holder) + " on this network");
                }
            }
        }

        private String owner(Vnic o) {
            return ids.contains(o.id()) ? "vnic " + o.id() + "'s in this import" : VnicOps.owner(c, o);
        }

        private String owner(String vnicId) {
            Vnic o = w.vnics().get(vnicId);
            return o == null ? "vnic " + vnicId + "'s in this import" : VnicOps.owner(c, o);
        }

        /** Each project's groups, ip sets and vnics after the import, within its quotas. */
        private void requireQuotas() {
            Map<String, long[]> used = new HashMap<>();
            added.keySet().stream().filter(p -> !newProjects.contains(p)).forEach(p -> {
                ProjectCounts n = w.counts(p);
                used.put(p, new long[] {n.groups(), n.ipSets(), n.vnics()});
            });
            Quotas.Resource[] resources = {Quotas.Resource.GROUPS, Quotas.Resource.IP_SETS, Quotas.Resource.VNICS};
            String[] kinds = {"groups", "ipSets", "vnics"};
            added.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                long[] before = used.getOrDefault(e.getKey(), new long[3]);
                for (int r = 0; r < 3; r++) {
                    if (e.getValue()[r] > 0) {
                        try {
                            limits.require(e.getKey(), resources[r], before[r] + e.getValue()[r]);
                        } catch (Refusal.OverQuota q) {
                            throw new Refusal.OverQuota(kinds[r], q.getMessage());
                        }
                    }
                }
            });
        }
    }
}
