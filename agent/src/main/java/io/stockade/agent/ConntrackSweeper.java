package io.stockade.agent;

import io.stockade.core.eval.Endpoint;
import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.FrameKind;
import io.stockade.core.eval.FlowState;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Cuts flows that lost their permission: every tracked flow touching one of the host's vnics is
 * judged again by the evaluator against the new slice, and the entries of flows it would now
 * drop are deleted, so their next packet meets the rules again.
 */
public final class ConntrackSweeper {
    private static final MacAddress OUTSIDE = new MacAddress(0x02_00_00_00_00_00L);

    private final Conntrack conntrack;

    public ConntrackSweeper(Conntrack conntrack) {
        this.conntrack = conntrack;
    }

    /** Deletes the entries of flows the slice no longer allows; returns how many. */
    public int sweep(World slice, String hostId) {
        Map<InetAddress, Vnic> byAddress = new HashMap<>();
        slice.vnics().values().forEach(v -> v.addresses().forEach(a -> byAddress.put(a, v)));
        int deleted = 0;
        for (Conntrack.Flow f : conntrack.list()) {
            Vnic src = byAddress.get(f.src());
            Vnic dst = byAddress.get(f.dst());
            boolean local = (src != null && hostId.equals(src.hostId())) || (dst != null && hostId.equals(dst.hostId()));
            if (!local) {
                continue;
            }
            if (!Evaluator.evaluate(slice, opening(f, src, dst, hostId)).allowed() && conntrack.delete(f)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** The packet that opened the flow, as this host's bridge saw it. */
    static Packet opening(Conntrack.Flow f, Vnic src, Vnic dst, String hostId) {
        Endpoint from = src != null && hostId.equals(src.hostId()) ? Endpoint.vnic(src.id()) : Endpoint.outside();
        Endpoint to = dst != null && hostId.equals(dst.hostId()) ? Endpoint.vnic(dst.id()) : Endpoint.outside();
        FrameKind kind = Ip.version(f.src()) == IpVersion.V4 ? FrameKind.IPV4 : FrameKind.IPV6;
        return new Packet(from, to, kind, src != null ? src.mac() : OUTSIDE, dst != null ? dst.mac() : OUTSIDE, f.src(), f.dst(),
                f.protocol(), f.sport(), f.dport(), f.icmpType(), f.icmpCode(), FlowState.NEW);
    }
}
