package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.model.Ids;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Ip sets: named CIDR lists of one version; bulk add skips duplicates and reports invalid entries. */
public final class IpSetOps {
    static final Set<String> FIELDS = Set.of("id", "name", "description", "project", "version", "global", "entries");

    private final Controller ctl;
    private final Quotas quotas;

    public IpSetOps(Controller ctl) {
        this.ctl = ctl;
        this.quotas = new Quotas(ctl);
    }

    public IpSet create(Caller c, Body b) {
        b.string("name", true);
        return ctl.mutate(c, w -> {
            IpSet s = newIpSet(w, c, b, given -> GroupOps.newId(Ids.IP_SET, given, w.ipSets(), "ip set"));
            quotas.requireRoomFor(w, s.projectId(), Quotas.Resource.IP_SETS);
            return new Controller.Mutation<>(WorldChange.builder().ipSet(s).build(), s, "create ip set " + s.name());
        });
    }

    /**
     * A new ip set from a request's fields, checked against world {@code w}: its project is the
     * caller's to use, only an admin makes a global one, its entries are valid and within the
     * quota. Not checked here: the project's quota of ip sets. {@code id} turns the requested id
     * (or null) into the set's.
     */
    IpSet newIpSet(World w, Caller c, Body b, java.util.function.UnaryOperator<String> id) {
        String name = b.string("name", true);
        Integer version = b.integer("version");
        boolean global = Boolean.TRUE.equals(b.bool("global"));
        if (global) {
            c.requireAdmin();
        }
        IpVersion v = IpVersion.ofNumber(version == null ? 4 : version, "version");
        IpSet empty = new IpSet(id.apply(b.string("id", false)), GroupOps.projectFor(w, c, b.string("project", false)), name,
                b.string("description", false), v, global, List.of());
        IpSet s = empty;
        if (b.has("entries")) {
            IpSet.BulkAdd added = empty.bulkAdd(texts(b), descriptions(b));
            if (!added.invalid().isEmpty()) {
                IpSet.Rejected r = added.invalid().get(0);
                throw ApiException.invalid("entries", "'" + r.input() + "' " + r.reason());
            }
            s = empty.withEntries(added.entries());
        }
        quotas.require(s);
        return s;
    }

    public IpSet update(Caller c, String token, Body b) {
        return ctl.mutate(c, w -> {
            IpSet s = editable(w, c, token);
            IpVersion v = b.has("version") ? IpVersion.ofNumber(b.integer("version"), "version") : s.version();
            if (v != s.version() && !s.entries().isEmpty()) {
                throw ApiException.conflict("version", "ip set " + s.id() + " has entries; its version cannot change");
            }
            if (v != s.version() && !w.ipSetUsers(s.id()).isEmpty()) {
                throw ApiException.conflict("version", "ip set " + s.id() + " is used by rules of " + w.ipSetUsers(s.id()));
            }
            IpSet next = new IpSet(s.id(), s.projectId(), b.has("name") ? b.string("name", true) : s.name(),
                    b.has("description") ? b.string("description", false) : s.description(), v, s.global(), s.entries());
            return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), next, new AuditDiff()
                    .field("name", s.name(), next.name())
                    .field("description", s.description(), next.description())
                    .field("version", s.version().number(), next.version().number())
                    .describe("update ip set " + s.name()));
        });
    }

    public void delete(Caller c, String token) {
        ctl.mutate(c, w -> {
            IpSet s = editable(w, c, token);
            if (!w.ipSetUsers(s.id()).isEmpty()) {
                throw ApiException.conflict(null, "ip set " + s.id() + " is used by rules of groups: " + String.join(", ", w.ipSetUsers(s.id())));
            }
            return new Controller.Mutation<>(WorldChange.builder().remove(s.id()).build(), null, "delete ip set " + s.name());
        });
    }

    /** Adds entries; duplicates are skipped and invalid ones reported, the valid ones are added. */
    public IpSet.BulkAdd addEntries(Caller c, String token, Body b) {
        return ctl.mutate(c, w -> {
            IpSet s = editable(w, c, token);
            IpSet.BulkAdd r = s.bulkAdd(texts(b), descriptions(b));
            IpSet next = s.withEntries(r.entries());
            quotas.require(next);
            return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), r, "add " + r.added().size() + " entries to " + s.name() + ": " + r.added());
        });
    }

    public IpSet removeEntries(Caller c, String token, Body b) {
        return ctl.mutate(c, w -> {
            IpSet s = editable(w, c, token);
            List<Cidr> gone = new ArrayList<>();
            List<String> texts = texts(b);
            for (int i = 0; i < texts.size(); i++) {
                gone.add(Cidr.parseLoose(texts.get(i), "entries[" + i + "]").cidr());
            }
            IpSet next = s.withEntries(s.entries().stream().filter(e -> !gone.contains(e.cidr())).toList());
            return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), next, "remove " + (s.entries().size() - next.entries().size()) + " entries from " + s.name() + ": "
                    + s.entries().stream().map(IpSet.Entry::cidr).filter(gone::contains).toList());
        });
    }

    /**
     * Adds every entry or none (Neutron's address-group {@code add_addresses}): an invalid entry
     * or one already there is refused, naming it. An empty set that no rule uses takes
     * the family of what is added.
     */
    public IpSet addAll(Caller c, String token, List<String> texts) {
        return ctl.mutate(c, w -> {
            IpSet s = editable(w, c, token);
            if (s.entries().isEmpty() && !texts.isEmpty() && w.ipSetUsers(s.id()).isEmpty()) {
                IpVersion v = Cidr.parseLoose(texts.get(0), "entries[0]").cidr().version();
                s = new IpSet(s.id(), s.projectId(), s.name(), s.description(), v, s.global(), s.entries());
            }
            IpSet.BulkAdd r = s.bulkAdd(texts, List.of());
            if (!r.invalid().isEmpty()) {
                IpSet.Rejected bad = r.invalid().get(0);
                throw ApiException.invalid("entries[" + texts.indexOf(bad.input()) + "]", "'" + bad.input() + "' " + bad.reason());
            }
            if (!r.duplicates().isEmpty()) {
                throw ApiException.invalid("entries", "already in ip set " + s.id() + ": "
                        + String.join(", ", r.duplicates().stream().map(Cidr::toString).toList()));
            }
            IpSet next = s.withEntries(r.entries());
            quotas.require(next);
            return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), next, "add " + r.added().size() + " entries to " + s.name() + ": " + r.added());
        });
    }

    /** Removes every entry or none: one that is not in the set is a 404 naming it. */
    public IpSet removeAll(Caller c, String token, List<String> texts) {
        return ctl.mutate(c, w -> {
            IpSet s = editable(w, c, token);
            List<Cidr> gone = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                gone.add(Cidr.parseLoose(texts.get(i), "entries[" + i + "]").cidr());
            }
            List<Cidr> missing = gone.stream().filter(g -> s.entries().stream().noneMatch(e -> e.cidr().equals(g))).toList();
            if (!missing.isEmpty()) {
                throw new ApiException(404, "not_found", "entries", "not in ip set " + s.id() + ": "
                        + String.join(", ", missing.stream().map(Cidr::toString).toList()));
            }
            IpSet next = s.withEntries(s.entries().stream().filter(e -> !gone.contains(e.cidr())).toList());
            return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), next, "remove " + gone.size() + " entries from " + s.name() + ": " + gone);
        });
    }

    private static IpSet editable(World w, Caller c, String token) {
        IpSet s = Resolve.ipSet(w, c, token);
        if (s.global() && !c.admin()) {
            throw ApiException.forbidden("ip set " + s.id() + " is global: only an admin may change it");
        }
        return s;
    }

    /** Entries given as strings, or as objects {"cidr", "description"}. */
    private static List<String> texts(Body b) {
        List<String> out = new ArrayList<>();
        List<JsonNode> entries = b.objects("entries");
        if (entries == null) {
            throw ApiException.badRequest("entries", "is required: a list of CIDRs or {\"cidr\",\"description\"} objects");
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            if (e.isTextual()) {
                out.add(e.asText());
            } else {
                out.add(Body.of(e, "entries[" + i + "].", Set.of("cidr", "description")).string("cidr", true));
            }
        }
        return out;
    }

    private static List<String> descriptions(Body b) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : b.objects("entries")) {
            out.add(e.isObject() ? e.path("description").asText("") : "");
        }
        return out;
    }
}
