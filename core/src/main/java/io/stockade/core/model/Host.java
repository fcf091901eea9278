package io.stockade.core.model;

import java.util.List;

/**
 * A hypervisor host: its bridge and the bridge ports that are uplinks (every other port that is
 * not a known vnic's tap is dropped).
 */
public record Host(String id, String name, String bridge, List<String> uplinks) {
    public Host {
        Ids.require(Ids.HOST, id, "id");
        Names.requireName(name, "name");
        if (bridge == null || bridge.isBlank()) {
            bridge = "br0";
        }
        Devices.require(bridge, "bridge");
        uplinks = List.copyOf(uplinks);
        for (int i = 0; i < uplinks.size(); i++) {
            Devices.require(uplinks.get(i), "uplinks[" + i + "]");
        }
    }
}
