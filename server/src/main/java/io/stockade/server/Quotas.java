package io.stockade.server;

import io.stockade.core.model.IpSet;
import io.stockade.core.model.ProjectCounts;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.policy.Policy;
import io.stockade.store.Store;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Per-project quotas: how many groups, rules per group, ip sets, entries per ip set and vnics a
 * project may have. Each profile has defaults (the openstack profile Neutron's 10 groups and 100
 * rules); an admin overrides them per project (kept in the store beside tokens, not in the
 * revisioned world). The checks run inside a mutation, against the world it builds, so two
 * concurrent writes cannot both pass; they read the world's
 * per-project counts, kept as it changes (the largest group and ip set, shown in the quota's
 * usage, are found by a scan on read). Exceeding a quota is a 409 naming the field.
 */
public final class Quotas {
    /** A limited resource: its /v1 name and its Neutron quota name (null: Neutron has none). */
    public enum Resource {
        GROUPS("groups", "security_group"),
        RULES_PER_GROUP("rulesPerGroup", "security_group_rule"),
        IP_SETS("ipSets", "address_group"),
        ENTRIES_PER_IP_SET("entriesPerIpSet", null),
        VNICS("vnics", "port");

        public final String field;
        public final String neutron;

        Resource(String field, String neutron) {
            this.field = field;
            this.neutron = neutron;
        }
    }

    private final Store store;
    private final Policy policy;

    /** Each project's limits as read once, or null: read from the store each time. */
    private final Map<String, Map<Resource, Long>> read;

    public Quotas(Controller ctl) {
        this(ctl.store(), ctl.policy(), null);
    }

    private Quotas(Store store, Policy policy, Map<String, Map<Resource, Long>> read) {
        this.store = store;
        this.policy = policy;
        this.read = read;
    }

    /** These quotas with each project's limits read from the store once: for one write that checks many objects (an import). */
    Quotas readOnce() {
        return new Quotas(store, policy, new java.util.HashMap<>());
    }

    /** The profile's defaults. */
    public Map<Resource, Long> defaults() {
        Map<Resource, Long> d = new EnumMap<>(Resource.class);
        boolean openstack = Policy.OPENSTACK.equals(policy.profile());
        d.put(Resource.GROUPS, openstack ? 10L : 100L);
        d.put(Resource.RULES_PER_GROUP, openstack ? 100L : 1_000L);
        d.put(Resource.IP_SETS, openstack ? 10L : 100L);
        d.put(Resource.ENTRIES_PER_IP_SET, 10_000L);
        d.put(Resource.VNICS, openstack ? 500L : 1_000L);
        return d;
    }

    /** A project's limits: the defaults with the admin's overrides. */
    public Map<Resource, Long> limits(String projectId) {
        return read == null ? fromStore(projectId) : read.computeIfAbsent(projectId, this::fromStore);
    }

    private Map<Resource, Long> fromStore(String projectId) {
        Map<Resource, Long> l = defaults();
        store.quotas(projectId).forEach((k, v) -> {
            for (Resource r : Resource.values()) {
                if (r.field.equals(k)) {
                    l.put(r, v);
                }
            }
        });
        return l;
    }

    /** How much of each resource a project uses now (rules and entries: the fullest group and ip set). */
    public Map<Resource, Long> used(World w, String projectId) {
        Map<Resource, Long> u = new EnumMap<>(Resource.class);
        for (Resource r : List.of(Resource.GROUPS, Resource.IP_SETS, Resource.VNICS)) {
            u.put(r, count(w, projectId, r));
        }
        u.put(Resource.RULES_PER_GROUP, (long) w.groups().values().stream().filter(g -> g.projectId().equals(projectId))
                .mapToInt(g -> g.rules().size()).max().orElse(0));
        u.put(Resource.ENTRIES_PER_IP_SET, (long) w.ipSets().values().stream().filter(s -> s.projectId().equals(projectId))
                .mapToInt(s -> s.entries().size()).max().orElse(0));
        return u;
    }

    /** Before adding one more group, ip set or vnic to a project of world {@code w}: read from the world's counts, no scan. */
    public void requireRoomFor(World w, String projectId, Resource r) {
        require(projectId, r, count(w, projectId, r) + 1);
    }

    private static long count(World w, String projectId, Resource r) {
        ProjectCounts n = w.counts(projectId);
        return switch (r) {
            case GROUPS -> n.groups();
            case IP_SETS -> n.ipSets();
            case VNICS -> n.vnics();
            case RULES_PER_GROUP, ENTRIES_PER_IP_SET -> throw new IllegalArgumentException(r + " is counted per object, not per project");
        };
    }

    /** A group's rules after a change. */
    public void require(SecurityGroup g) {
        require(g.projectId(), Resource.RULES_PER_GROUP, g.rules().size());
    }

    /** An ip set's entries after a change. */
    public void require(IpSet s) {
        require(s.projectId(), Resource.ENTRIES_PER_IP_SET, s.entries().size());
    }

    /** A project's use of one resource after a change. */
    void require(String projectId, Resource r, long wanted) {
        long limit = limits(projectId).get(r);
        if (wanted > limit) {
            throw new io.stockade.server.command.Refusal.OverQuota(r.field, "quota exceeded: project " + projectId + " may have at most " + limit + " "
                    + r.field + " (asked for " + wanted + "); an admin can raise it: PUT /v1/projects/" + projectId + "/quota");
        }
    }
}
