package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Ip;
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
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Bulk import and export (issue 22). An export is a world, or what a member's project holds, in
 * the wire form of {@link WorldJson} with instances: {@code {"revision", "projects", "networks",
 * "hosts", "ipSets", "groups", "instances", "vnics"}}. An import takes that shape and makes every
 * object in it as ONE write: one transaction, one revision, one {@link WorldChange} that the
 * controller applies to its world ({@code World.apply}, no rebuild); all or nothing. Each object
 * passes the checks of its own create route (ids, names, placement, references, quotas), against
 * the world and the rest of the import, and no two vnics share a MAC, a device on a host or an
 * address on a network; an error names the object ({@code vnics[12]}, its id) and the field.
 * Ids given are kept (they must be new); objects without one get one. A member imports ip sets,
 * groups, instances and vnics into its own project, without placement fields; an admin anything.
 *
 * <p>Cost: each object is read once and checked by lookups by id; the world is walked once for
 * the quotas of the projects it already holds, once for its groups' rule ids (rule ids stay
 * unique), and once per network and host the import puts vnics on (their vnics' addresses and
 * devices). The write holds the controller's write lock while it is checked.
 */
public final class ImportOps {
    static final List<String> KINDS = List.of("projects", "networks", "hosts", "ipSets", "groups", "instances", "vnics");
    static final Set<String> FIELDS = with(Set.copyOf(KINDS), "revision");
    /** The largest import body read (a 100,000-vnic world is about 45 MiB). */
    static final long MAX_BYTES = 512L << 20;
    private static final Set<String> HOST_FIELDS = with(AdminRequests.HOST_FIELDS, "id");
    private static final Set<String> RULE_FIELDS = with(GroupRequests.RULE_FIELDS, "id");

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

    private static Set<String> with(Set<String> fields, String more) {
        Set<String> out = new HashSet<>(fields);
        out.add(more);
        return Set.copyOf(out);
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
    public Imported load(Caller c, JsonNode doc) {
        Body top = Body.of(doc, "", FIELDS);
        InputLimits.check(doc, "");
        top.integer("revision");
        Map<String, List<JsonNode>> in = new LinkedHashMap<>();
        for (String kind : KINDS) {
            List<JsonNode> given = top.objects(kind);
            in.put(kind, given == null ? List.of() : given);
        }
        if (!c.admin()) {
            for (String kind : List.of("projects", "networks", "hosts")) {
                if (!in.get(kind).isEmpty()) {
                    throw new ApiException(403, "forbidden", kind, "only an admin may import " + kind
                            + "; a member imports ip sets, groups, instances and vnics into its own project");
                }
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        WorldChange made = ctl.mutate(c, w -> {
            WorldChange change = new Staging(c, w).run(in);
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

        WorldChange run(Map<String, List<JsonNode>> in) {
            Set<String> projectNames = new HashSet<>();
            w.projects().values().forEach(p -> projectNames.add(p.name()));
            each(in, "projects", (b, i) -> {
                String name = b.string("name", true);
                String id = id(b, Ids.PROJECT, "project");
                if (ctl.store().everExisted(id)) {
                    throw ApiException.conflict("id", "a project with id " + id + " existed (ids are never reused)");
                }
                if (!projectNames.add(name)) {
                    throw ApiException.conflict("name", "a project named '" + name + "' exists");
                }
                out.project(new Project(id, name, Boolean.TRUE.equals(b.bool("smtpAllowed"))));
                newProjects.add(id);
            }, AdminRequests.PROJECT_FIELDS);
            each(in, "networks", (b, i) -> out.network(AdminOps.network(id(b, Ids.NETWORK, "network"), AdminRequests.network(b))), AdminRequests.NETWORK_FIELDS);
            Set<String> hostNames = new HashSet<>();
            w.hosts().values().forEach(h -> hostNames.add(h.name()));
            each(in, "hosts", (b, i) -> {
                String name = b.string("name", true);
                if (!hostNames.add(name)) {
                    throw ApiException.conflict("name", "a host named '" + name + "' exists");
                }
                out.host(new Host(id(b, Ids.HOST, "host"), name, b.string("bridge", false), b.has("uplinks") ? b.strings("uplinks") : List.of()));
            }, HOST_FIELDS);
            stage();
            each(in, "ipSets", (b, i) -> {
                IpSet s = ipSets.newIpSet(staged, c, IpSetRequests.create(b), given -> id(given, Ids.IP_SET, "ip set"));
                count(s.projectId(), 1);
                out.ipSet(s);
            }, IpSetRequests.FIELDS);
            stage();
            List<SecurityGroup> bare = new ArrayList<>();
            Map<String, Integer> defaults = new HashMap<>();
            each(in, "groups", (b, i) -> {
                // A project made by this import may bring its own default group (an export of an openstack world does).
                boolean isDefault = GroupOps.DEFAULT.equals(b.string("name", true)) && ctl.policy().defaultGroup();
                SecurityGroup g = groups.bare(staged, c, GroupRequests.create(b, RULE_FIELDS), given -> id(given, Ids.GROUP, "security group"),
                        isDefault && newProjects.contains(project(b)));
                if (isDefault && defaults.put(g.projectId(), i) != null) {
                    throw ApiException.conflict("name", "project " + g.projectId() + " has a default group already in this import");
                }
                count(g.projectId(), 0);
                bare.add(g);
                out.group(g);
            }, GroupRequests.GROUP_FIELDS);
            if (ctl.policy().defaultGroup()) {
                newProjects.stream().filter(p -> !defaults.containsKey(p)).sorted().forEach(p -> out.group(AdminOps.defaultGroup(ctl.policy(), p)));
            }
            stage();
            int[] at = {0};
            each(in, "groups", (b, i) -> {
                SecurityGroup g = bare.get(at[0]++);
                List<Rule> rules = groups.rules(staged, c, g, GroupRequests.create(b, RULE_FIELDS).rules());
                List<JsonNode> given = b.has("rules") ? b.objects("rules") : List.of();
                for (int r = 0; r < rules.size(); r++) {
                    if (r < given.size() && given.get(r).hasNonNull("id")) {
                        rules.set(r, rules.get(r).withId(ruleId(given.get(r).path("id").asText(), "rules[" + r + "].id")));
                    }
                }
                SecurityGroup full = GroupOps.withRules(g, rules);
                limits.require(full);
                out.group(full);
            }, GroupRequests.GROUP_FIELDS);
            each(in, "instances", (b, i) -> {
                String name = b.string("name", true);
                String project = GroupOps.projectFor(staged, c, b.string("project", false));
                out.instance(new Instance(id(b, Ids.INSTANCE, "instance"), project, name));
            }, VnicRequests.INSTANCE_FIELDS);
            stage();
            each(in, "vnics", (b, i) -> {
                Vnic v = vnics.newVnic(staged, c, VnicRequests.create(b), given -> id(given, Ids.VNIC, "vnic"));
                unique(v);
                count(v.projectId(), 2);
                out.vnic(v);
            }, VnicRequests.VNIC_FIELDS);
            requireQuotas();
            return out.build();
        }

        /** The project a group's request names (its id or name), or the caller's own. */
        private String project(Body b) {
            String p = b.string("project", false);
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

        private interface Check {
            void run(Body b, int index);
        }

        /** Checks the objects of one kind in turn; an error names the object and its field. */
        private void each(Map<String, List<JsonNode>> in, String kind, Check check, Set<String> fields) {
            List<JsonNode> list = in.get(kind);
            for (int i = 0; i < list.size(); i++) {
                JsonNode n = list.get(i);
                int index = i;
                named(kind, i, n, () -> {
                    check.run(Body.of(n, "", fields), index);
                    return null;
                });
            }
        }

        private static <T> T named(String kind, int i, JsonNode n, Supplier<T> f) {
            String where = kind + "[" + i + "]";
            String what = where + (n != null && n.path("id").isTextual() ? " (" + n.path("id").asText() + ")" : "");
            try {
                return f.get();
            } catch (ApiException | Refusal r) {
                ApiException e = r instanceof Refusal refusal ? ApiException.of(refusal) : (ApiException) r;
                return rethrow(new ApiException(e.status(), e.code(), e.field() == null ? where : where + "." + e.field(), what + ": " + e.getMessage())
                        .withPosition(e.line(), e.column()));
            } catch (ValidationException e) {
                return rethrow(ApiException.invalid(e.field() == null ? where : where + "." + e.field(), what + ": " + e.getMessage()));
            }
        }

        private static <T> T rethrow(ApiException e) {
            throw e;
        }

        /** The id an object asks for (of its kind's form, new to the world and the import), or a fresh one. */
        private String id(Body b, String prefix, String what) {
            return id(b.string("id", false), prefix, what);
        }

        private String id(String given, String prefix, String what) {
            if (given == null) {
                String fresh = Ids.newId(prefix);
                ids.add(fresh);
                return fresh;
            }
            Ids.require(prefix, given, "id");
            if (w.holds(given)) {
                throw ApiException.conflict("id", "a " + what + " with id " + given + " exists");
            }
            if (!ids.add(given)) {
                throw ApiException.conflict("id", "id " + given + " is given to two objects of this import");
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
                throw ApiException.conflict(field, "rule id " + given + " is taken");
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
                throw ApiException.conflict("mac", "MAC " + v.mac() + " is already " + owner(other));
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
                    throw ApiException.conflict("device", "device " + v.device() + " on host " + v.hostId() + " is already " + owner(holder));
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
                    throw ApiException.conflict("addresses", Ip.format(a) + " is already " + owner(holder) + " on this network");
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
            Predicate<String> held = p -> added.containsKey(p) && !newProjects.contains(p);
            if (added.keySet().stream().anyMatch(held)) {
                w.groups().values().forEach(g -> tally(used, held, g.projectId(), 0));
                w.ipSets().values().forEach(s -> tally(used, held, s.projectId(), 1));
                w.vnics().values().forEach(v -> tally(used, held, v.projectId(), 2));
            }
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

        private static void tally(Map<String, long[]> used, Predicate<String> held, String project, int resource) {
            if (held.test(project)) {
                used.computeIfAbsent(project, p -> new long[3])[resource]++;
            }
        }
    }
}
