package io.stockade.server;

import io.stockade.core.model.Ids;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.server.command.IpSetCommand.AddEntries;
import io.stockade.server.command.IpSetCommand.AddEveryEntry;
import io.stockade.server.command.IpSetCommand.CreateIpSet;
import io.stockade.server.command.IpSetCommand.DeleteIpSet;
import io.stockade.server.command.IpSetCommand.Entry;
import io.stockade.server.command.IpSetCommand.RemoveEntries;
import io.stockade.server.command.IpSetCommand.RemoveEveryEntry;
import io.stockade.server.command.IpSetCommand.UpdateIpSet;
import io.stockade.server.command.Refusal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Ip sets: named CIDR lists of one version; bulk add skips duplicates and reports invalid entries. */
public final class IpSetOps {
    private final Controller ctl;
    private final Quotas quotas;

    public IpSetOps(Controller ctl) {
        this.ctl = ctl;
        this.quotas = new Quotas(ctl);
    }

    public IpSet create(Caller c, CreateIpSet command) {
        return ctl.mutate(c, w -> create(w, c, command));
    }

    Controller.Mutation<IpSet> create(World w, Caller c, CreateIpSet command) {
        IpSet s = newIpSet(w, c, command, given -> GroupOps.newId(Ids.IP_SET, given, w.ipSets(), "ip set"));
        quotas.requireRoomFor(w, s.projectId(), Quotas.Resource.IP_SETS);
        return new Controller.Mutation<>(WorldChange.builder().ipSet(s).build(), s, "create ip set " + s.name());
    }

    /**
     * A new ip set from a request's fields, checked against world {@code w}: its project is the
     * caller's to use, only an admin makes a global one, its entries are valid and within the
     * quota. Not checked here: the project's quota of ip sets. {@code id} turns the requested id
     * (or null) into the set's.
     */
    IpSet newIpSet(World w, Caller c, CreateIpSet command, java.util.function.UnaryOperator<String> id) {
        if (command.global()) {
            c.requireAdmin();
        }
        IpSet empty = new IpSet(id.apply(command.id()), GroupOps.projectFor(w, c, command.project()), command.name(), command.description(),
                command.version(), command.global(), List.of());
        IpSet.BulkAdd added = empty.bulkAdd(texts(command.entries()), descriptions(command.entries()));
        if (!added.invalid().isEmpty()) {
            IpSet.Rejected r = added.invalid().get(0);
            throw new Refusal.Invalid("entries", "'" + r.input() + "' " + r.reason());
        }
        IpSet s = empty.withEntries(added.entries());
        quotas.require(s);
        return s;
    }

    public IpSet update(Caller c, UpdateIpSet command) {
        return ctl.mutate(c, w -> update(w, c, command));
    }

    Controller.Mutation<IpSet> update(World w, Caller c, UpdateIpSet command) {
        IpSet s = editable(w, c, command.ipSet());
        IpVersion v = command.version().or(s.version());
        if (v != s.version() && !s.entries().isEmpty()) {
            throw new Refusal.Conflict("version", "ip set " + s.id() + " has entries; its version cannot change");
        }
        if (v != s.version() && !w.ipSetUsers(s.id()).isEmpty()) {
            throw new Refusal.Conflict("version", "ip set " + s.id() + " is used by rules of " + w.ipSetUsers(s.id()));
        }
        IpSet next = new IpSet(s.id(), s.projectId(), command.name().or(s.name()), command.description().or(s.description()), v, s.global(),
                s.entries());
        return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), next, new AuditDiff()
                .field("name", s.name(), next.name())
                .field("description", s.description(), next.description())
                .field("version", s.version().number(), next.version().number())
                .describe("update ip set " + s.name()));
    }

    public void delete(Caller c, DeleteIpSet command) {
        ctl.mutate(c, w -> delete(w, c, command));
    }

    Controller.Mutation<Void> delete(World w, Caller c, DeleteIpSet command) {
        IpSet s = editable(w, c, command.ipSet());
        if (!w.ipSetUsers(s.id()).isEmpty()) {
            throw new Refusal.Conflict(null, "ip set " + s.id() + " is used by rules of groups: " + String.join(", ", w.ipSetUsers(s.id())));
        }
        return new Controller.Mutation<>(WorldChange.builder().remove(s.id()).build(), null, "delete ip set " + s.name());
    }

    public IpSet.BulkAdd add(Caller c, AddEntries command) {
        return ctl.mutate(c, w -> add(w, c, command));
    }

    /** Adds entries; duplicates are skipped and invalid ones reported, the valid ones are added. */
    Controller.Mutation<IpSet.BulkAdd> add(World w, Caller c, AddEntries command) {
        IpSet s = editable(w, c, command.ipSet());
        IpSet.BulkAdd r = s.bulkAdd(texts(command.entries()), descriptions(command.entries()));
        IpSet next = s.withEntries(r.entries());
        quotas.require(next);
        return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), r, "add " + r.added().size() + " entries to " + s.name() + ": " + r.added());
    }

    public IpSet remove(Caller c, RemoveEntries command) {
        return ctl.mutate(c, w -> remove(w, c, command));
    }

    Controller.Mutation<IpSet> remove(World w, Caller c, RemoveEntries command) {
        IpSet s = editable(w, c, command.ipSet());
        Set<Cidr> gone = new HashSet<>(command.entries());
        IpSet next = without(s, gone);
        return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), next, "remove " + (s.entries().size() - next.entries().size()) + " entries from " + s.name() + ": "
                + s.entries().stream().map(IpSet.Entry::cidr).filter(gone::contains).toList());
    }

    /**
     * Adds every entry or none (Neutron's address-group {@code add_addresses}): an invalid entry
     * or one already there is refused, naming it. An empty set that no rule uses takes
     * the family of what is added.
     */
    public IpSet add(Caller c, AddEveryEntry command) {
        return ctl.mutate(c, w -> add(w, c, command));
    }

    Controller.Mutation<IpSet> add(World w, Caller c, AddEveryEntry command) {
        List<String> texts = command.entries();
        IpSet s = editable(w, c, command.ipSet());
        if (s.entries().isEmpty() && !texts.isEmpty() && w.ipSetUsers(s.id()).isEmpty()) {
            IpVersion v = Cidr.parseLoose(texts.get(0), "entries[0]").cidr().version();
            s = new IpSet(s.id(), s.projectId(), s.name(), s.description(), v, s.global(), s.entries());
        }
        IpSet.BulkAdd r = s.bulkAdd(texts, List.of());
        if (!r.invalid().isEmpty()) {
            IpSet.Rejected bad = r.invalid().get(0);
            throw new Refusal.Invalid("entries[" + texts.indexOf(bad.input()) + "]", "'" + bad.input() + "' " + bad.reason());
        }
        if (!r.duplicates().isEmpty()) {
            throw new Refusal.Invalid("entries", "already in ip set " + s.id() + ": "
                    + String.join(", ", r.duplicates().stream().map(Cidr::toString).toList()));
        }
        IpSet next = s.withEntries(r.entries());
        quotas.require(next);
        return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), next, "add " + r.added().size() + " entries to " + s.name() + ": " + r.added());
    }

    public IpSet remove(Caller c, RemoveEveryEntry command) {
        return ctl.mutate(c, w -> remove(w, c, command));
    }

    /** Removes every entry or none: one that is not in the set is not found, naming it. */
    Controller.Mutation<IpSet> remove(World w, Caller c, RemoveEveryEntry command) {
        IpSet s = editable(w, c, command.ipSet());
        List<Cidr> gone = command.entries();
        Set<Cidr> held = new HashSet<>();
        s.entries().forEach(e -> held.add(e.cidr()));
        List<Cidr> missing = gone.stream().filter(g -> !held.contains(g)).toList();
        if (!missing.isEmpty()) {
            throw new Refusal.NotFound("entries", "not in ip set " + s.id() + ": "
                    + String.join(", ", missing.stream().map(Cidr::toString).toList()));
        }
        IpSet next = without(s, new HashSet<>(gone));
        return new Controller.Mutation<>(WorldChange.builder().ipSet(next).build(), next, "remove " + gone.size() + " entries from " + s.name() + ": " + gone);
    }

    /** The set without the entries of {@code gone}, the others in their order (a lookup each: a bulk remove from a big set is not quadratic). */
    private static IpSet without(IpSet s, Set<Cidr> gone) {
        return s.withEntries(s.entries().stream().filter(e -> !gone.contains(e.cidr())).toList());
    }

    private static IpSet editable(World w, Caller c, String token) {
        IpSet s = Resolve.ipSet(w, c, token);
        if (s.global() && !c.admin()) {
            throw new Refusal.Forbidden(null, "ip set " + s.id() + " is global: only an admin may change it");
        }
        return s;
    }

    private static List<String> texts(List<Entry> entries) {
        return entries.stream().map(Entry::text).toList();
    }

    private static List<String> descriptions(List<Entry> entries) {
        return entries.stream().map(Entry::description).toList();
    }
}
