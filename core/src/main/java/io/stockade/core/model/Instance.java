package io.stockade.core.model;

/** A virtual machine; its vnics refer to it. */
public record Instance(String id, String projectId, String name) {
    public Instance {
        Ids.require(Ids.INSTANCE, id, "id");
        Ids.require(Ids.PROJECT, projectId, "project");
        Names.requireName(name, "name");
    }
}
