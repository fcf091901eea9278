package io.stockade.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What an update changed, for the audit log: "field before → after" for each field that differs. */
final class AuditDiff {
    private final List<String> parts = new ArrayList<>();

    AuditDiff field(String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            parts.add(name + " " + show(before) + " → " + show(after));
        }
        return this;
    }

    /** "update vnic vif-x: securityGroups [a] → [a, b]; logDrops false → true", or "…: no change". */
    String describe(String action) {
        return action + ": " + (parts.isEmpty() ? "no change" : String.join("; ", parts));
    }

    private static String show(Object v) {
        if (v == null) {
            return "none";
        }
        return v instanceof String s && s.isEmpty() ? "\"\"" : v.toString();
    }
}
