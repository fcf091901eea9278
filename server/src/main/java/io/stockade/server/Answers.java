package io.stockade.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.IpSet;
import io.stockade.core.ruletext.RuleTextError;
import io.stockade.core.ruletext.RuleTextWarning;
import io.stockade.store.ChangeRecord;
import io.stockade.store.TokenRecord;
import java.util.List;
import java.util.Map;

/**
 * The answers of the operations outside the object kinds (audit, tokens, policy, whoami, events,
 * rule-text check, bulk ip-set entries, quotas): the handlers answer with these, and
 * {@link OpenApi} renders its examples with them, so the document describes what is sent.
 */
final class Answers {
    private Answers() {}

    /** Liveness: whether the store answers, and the revision this controller holds. */
    static ObjectNode health(ObjectMapper mapper, boolean ok, long revision) {
        return mapper.createObjectNode().put("status", ok ? "ok" : "store unavailable").put("revision", revision);
    }

    static ObjectNode policy(ObjectMapper mapper, Map<String, String> knobs) {
        ObjectNode o = mapper.createObjectNode();
        knobs.forEach(o::put);
        return o;
    }

    /** The change log from a revision on; a detail that is not JSON is shown as its text. */
    static ObjectNode audit(ObjectMapper mapper, long revision, List<ChangeRecord> changes) {
        ArrayNode items = mapper.createArrayNode();
        for (ChangeRecord r : changes) {
            ObjectNode o = items.addObject().put("revision", r.revision()).put("at", r.at()).put("actor", r.actor()).put("kind", r.kind())
                    .put("object", r.objectId()).put("project", r.projectId()).put("action", r.action());
            try {
                o.set("detail", mapper.readTree(r.detail()));
            } catch (java.io.IOException e) {
                o.put("detail", r.detail());
            }
        }
        return mapper.createObjectNode().put("revision", revision).set("items", items);
    }

    static ObjectNode tokens(ObjectMapper mapper, List<TokenRecord> tokens) {
        ArrayNode items = mapper.createArrayNode();
        tokens.forEach(t -> items.addObject().put("id", t.id()).put("role", t.role()).put("project", t.projectId())
                .put("host", t.hostName()).put("description", t.description()).put("createdAt", t.createdAt()));
        return mapper.createObjectNode().set("items", items);
    }

    /** A token just made: its secret, shown this once. */
    static ObjectNode createdToken(ObjectMapper mapper, String secret, String role, String project, String host) {
        return mapper.createObjectNode().put("token", secret).put("role", role).put("project", project).put("host", host);
    }

    static ObjectNode whoami(ObjectMapper mapper, Caller c, String projectName, String profile, long revision) {
        return mapper.createObjectNode().put("tokenId", c.tokenId()).put("role", c.role().name().toLowerCase()).put("project", c.projectId())
                .put("projectName", projectName).put("host", c.hostName()).put("profile", profile).put("revision", revision);
    }

    static ObjectNode events(ObjectMapper mapper, long revision, boolean changed) {
        return mapper.createObjectNode().put("revision", revision).put("changed", changed);
    }

    /** Rule text checked: its canonical lines, or its errors; warnings either way. */
    static ObjectNode ruleTextCheck(ObjectMapper mapper, List<String> rules, List<RuleTextWarning> warnings, List<RuleTextError> errors) {
        ObjectNode o = mapper.createObjectNode();
        rules.forEach(o.putArray("rules")::add);
        ArrayNode e = o.putArray("errors");
        errors.forEach(x -> e.addObject().put("line", x.line()).put("column", x.column()).put("message", x.message()));
        ArrayNode w = o.putArray("warnings");
        warnings.forEach(x -> w.addObject().put("line", x.line()).put("column", x.column()).put("message", x.message()));
        return o.put("valid", errors.isEmpty());
    }

    /** Entries added in bulk: which were added, which were there already, which are invalid and why; the set after. */
    static ObjectNode bulkAdd(ObjectMapper mapper, IpSet.BulkAdd r, ObjectNode ipSet) {
        ObjectNode o = mapper.createObjectNode();
        ArrayNode added = o.putArray("added");
        r.added().forEach(c -> added.add(c.toString()));
        ArrayNode duplicates = o.putArray("duplicates");
        r.duplicates().forEach(c -> duplicates.add(c.toString()));
        ArrayNode invalid = o.putArray("invalid");
        r.invalid().forEach(i -> invalid.addObject().put("entry", i.input()).put("reason", i.reason()));
        return o.set("ipSet", ipSet);
    }

    static ObjectNode quota(ObjectMapper mapper, String projectId, Map<Quotas.Resource, Long> limits, Map<Quotas.Resource, Long> defaults,
            Map<Quotas.Resource, Long> used) {
        ObjectNode o = mapper.createObjectNode().put("project", projectId);
        for (Quotas.Resource r : Quotas.Resource.values()) {
            o.putObject(r.field).put("limit", limits.get(r)).put("default", defaults.get(r)).put("used", used.get(r));
        }
        return o;
    }
}
