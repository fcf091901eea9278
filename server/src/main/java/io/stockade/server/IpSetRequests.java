package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.server.command.IpSetCommand.CreateIpSet;
import io.stockade.server.command.IpSetCommand.Entry;
import io.stockade.server.command.IpSetCommand.UpdateIpSet;
import io.stockade.server.command.Patch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code /v1} requests on ip sets read as commands; what needs the world is left to {@link IpSetOps}. */
final class IpSetRequests {
    static final Set<String> FIELDS = Set.of("id", "name", "description", "project", "version", "global", "entries");
    static final Set<String> ENTRIES_FIELDS = Set.of("entries");

    private IpSetRequests() {}

    static CreateIpSet create(Body b) {
        String name = b.string("name", true);
        Integer version = b.integer("version");
        boolean global = Boolean.TRUE.equals(b.bool("global"));
        IpVersion v = IpVersion.ofNumber(version == null ? 4 : version, "version");
        return new CreateIpSet(b.string("id", false), name, b.string("description", false), b.string("project", false), v, global,
                b.has("entries") ? entries(b) : List.of());
    }

    static UpdateIpSet update(String ipSet, Body b) {
        return new UpdateIpSet(ipSet, b.has("name") ? Patch.to(b.string("name", true)) : Patch.keep(),
                b.has("description") ? Patch.to(b.string("description", false)) : Patch.keep(),
                b.has("version") ? Patch.to(IpVersion.ofNumber(b.integer("version"), "version")) : Patch.keep());
    }

    /** {@code entries}, required: CIDRs as strings, or objects {@code {"cidr", "description"}}. */
    static List<Entry> entries(Body b) {
        List<JsonNode> given = b.objects("entries");
        if (given == null) {
            throw ApiException.badRequest("entries", "is required: a list of CIDRs or {\"cidr\",\"description\"} objects");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            JsonNode e = given.get(i);
            String text = e.isTextual() ? e.asText() : Body.of(e, "entries[" + i + "].", Set.of("cidr", "description")).string("cidr", true);
            out.add(new Entry(text, e.isObject() ? e.path("description").asText("") : ""));
        }
        return out;
    }

    /** {@code entries} to remove, each read as a CIDR (a bare address as its host route). */
    static List<Cidr> cidrs(Body b) {
        return cidrs(entries(b).stream().map(Entry::text).toList());
    }

    /** Texts read as CIDRs; one that is none is refused naming {@code entries[i]}. */
    static List<Cidr> cidrs(List<String> texts) {
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(Cidr.parseLoose(texts.get(i), "entries[" + i + "]").cidr());
        }
        return out;
    }
}
