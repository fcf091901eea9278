package io.stockade.core.eval;

/** Where a frame enters or leaves the bridge: a vnic's tap, or an uplink (anything outside). */
public sealed interface Endpoint permits Endpoint.OfVnic, Endpoint.Outside {

    record OfVnic(String vnicId) implements Endpoint {}

    /** Through an uplink: the gateway, another host's vnic, or any outside address. */
    record Outside() implements Endpoint {}

    static Endpoint vnic(String id) {
        return new OfVnic(id);
    }

    static Endpoint outside() {
        return new Outside();
    }
}
