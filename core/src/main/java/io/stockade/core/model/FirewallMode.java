package io.stockade.core.model;

/** How much a network's vnics are filtered. */
public enum FirewallMode {
    /** Isolation, anti-spoofing and the groups' rules. */
    SECURITY_GROUPS("security-groups"),
    /** Isolation and anti-spoofing only; no user rules. */
    ISOLATION_ONLY("isolation-only"),
    /** No filtering at all. */
    PASSTHROUGH("passthrough");

    private final String wire;

    FirewallMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static FirewallMode parse(String text, String field) {
        for (FirewallMode m : values()) {
            if (m.wire.equals(text)) {
                return m;
            }
        }
        throw new ValidationException(field, "must be security-groups, isolation-only or passthrough, got '" + text + "'");
    }
}
