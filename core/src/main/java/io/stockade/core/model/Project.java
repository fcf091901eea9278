package io.stockade.core.model;

/** A tenant. Every group, ip set, instance and vnic belongs to one. */
public record Project(String id, String name, boolean smtpAllowed) {
    public Project {
        Ids.require(Ids.PROJECT, id, "id");
        Names.requireName(name, "name");
    }
}
