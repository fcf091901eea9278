package io.stockade.core.model;

/** Which way a rule opens traffic, seen from the vnic: into it, or out of it. */
public enum Direction {
    INGRESS("ingress"),
    EGRESS("egress");

    private final String wire;

    Direction(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Direction parse(String text, String field) {
        for (Direction d : values()) {
            if (d.wire.equalsIgnoreCase(text == null ? "" : text.strip())) {
                return d;
            }
        }
        throw new ValidationException(field, "must be ingress or egress, got '" + text + "'");
    }
}
