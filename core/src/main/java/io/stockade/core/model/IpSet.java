package io.stockade.core.model;

import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A named list of CIDRs of one IP version that rules use as a remote. */
public record IpSet(String id, String projectId, String name, String description, IpVersion version, boolean global, List<Entry> entries) {

    public record Entry(Cidr cidr, String description) {
        public Entry {
            description = Names.description(description, "description");
        }
    }

    public IpSet {
        Ids.require(Ids.IP_SET, id, "id");
        Ids.require(Ids.PROJECT, projectId, "project");
        Names.requireName(name, "name");
        description = Names.description(description, "description");
        entries = List.copyOf(entries);
        Map<Cidr, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Cidr c = entries.get(i).cidr();
            if (c.version() != version) {
                throw new ValidationException("entries[" + i + "]", c + " is " + c.version().ethertype() + " but the ip set is " + version.ethertype());
            }
            if (seen.putIfAbsent(c, i) != null) {
                throw new ValidationException("entries[" + i + "]", "duplicate entry " + c);
            }
        }
    }

    public boolean contains(java.net.InetAddress a) {
        return entries.stream().anyMatch(e -> e.cidr().contains(a));
    }

    public IpSet withEntries(List<Entry> newEntries) {
        return new IpSet(id, projectId, name, description, version, global, newEntries);
    }

    /** One entry that a bulk add could not take, with the reason. */
    public record Rejected(String input, String reason) {}

    /** The outcome of a bulk add: the new entry list, what was skipped as duplicate, what was invalid. */
    public record BulkAdd(List<Entry> entries, List<Cidr> added, List<Cidr> duplicates, List<Rejected> invalid) {}

    /**
     * Adds entries given as text (a bare address becomes /32 or /128; host bits are normalized
     * away and reported), skipping duplicates and collecting invalid ones with their reason.
     */
    public BulkAdd bulkAdd(List<String> texts, List<String> descriptions) {
        List<Entry> out = new ArrayList<>(entries);
        List<Cidr> added = new ArrayList<>();
        List<Cidr> duplicates = new ArrayList<>();
        List<Rejected> invalid = new ArrayList<>();
        java.util.Set<Cidr> present = new java.util.HashSet<>();
        out.forEach(e -> present.add(e.cidr()));
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Cidr.Parsed parsed;
            try {
                parsed = Cidr.parseLoose(text, "entries[" + i + "]");
            } catch (ValidationException e) {
                invalid.add(new Rejected(text, e.getMessage()));
                continue;
            }
            Cidr c = parsed.cidr();
            if (c.version() != version) {
                invalid.add(new Rejected(text, "is " + c.version().ethertype() + " but the ip set is " + version.ethertype()));
                continue;
            }
            if (!parsed.exact()) {
                invalid.add(new Rejected(text, "host bits are set; did you mean " + c + "?"));
                continue;
            }
            if (!present.add(c)) {
                duplicates.add(c);
                continue;
            }
            String d = descriptions == null || i >= descriptions.size() ? "" : descriptions.get(i);
            out.add(new Entry(c, d));
            added.add(c);
        }
        return new BulkAdd(out, added, duplicates, invalid);
    }
}
