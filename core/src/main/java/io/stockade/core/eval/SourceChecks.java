package io.stockade.core.eval;

import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Match;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import java.net.InetAddress;

/** What a vnic may send at all: its own MAC and addresses, and no DHCP server or router role. */
final class SourceChecks {
    private final World world;
    private final Vnic vnic;
    private final Evaluator.Trace trace;

    SourceChecks(World world, Vnic vnic, Evaluator.Trace trace) {
        this.world = world;
        this.vnic = vnic;
        this.trace = trace;
    }

    /** A drop verdict, or null when the frame may leave the vnic. */
    Verdict check(Packet p) {
        if (Evaluator.mode(world, vnic) == FirewallMode.PASSTHROUGH) {
            return null;
        }
        if (!p.srcMac().equals(vnic.mac())) {
            return spoofed("source MAC " + p.srcMac() + " is not the vnic's " + vnic.mac());
        }
        switch (p.kind()) {
            case ARP -> {
                if (!Ip.V4_ANY.equals(p.srcIp()) && !vnic.addresses(IpVersion.V4).contains(p.srcIp())) {
                    return spoofed("ARP sender " + Evaluator.fmt(p.srcIp()) + " is not an address of the vnic");
                }
            }
            case IPV4 -> {
                boolean own = vnic.addresses(IpVersion.V4).contains(p.srcIp());
                boolean dhcpDiscover = Ip.V4_ANY.equals(p.srcIp()) && Protocols.isDhcpRequest(p);
                if (!own && !dhcpDiscover) {
                    return spoofed("IPv4 source " + Evaluator.fmt(p.srcIp()) + " is not an address of the vnic");
                }
            }
            case IPV6 -> {
                if (!ownIpv6(p)) {
                    return spoofed("IPv6 source " + Evaluator.fmt(p.srcIp()) + " is not an address of the vnic nor its link-local address");
                }
            }
        }
        if (p.kind() != FrameKind.ARP && Protocols.isDhcpServerReply(p)) {
            return spoofed("a vnic may not act as a DHCP server (udp source port " + p.srcPort() + ")");
        }
        if (p.protocol() == Match.ICMPV6 && (p.icmpType() == Protocols.ICMPV6_RA || p.icmpType() == Protocols.ICMPV6_REDIRECT)) {
            return spoofed("a vnic may not send router advertisements or redirects (icmpv6 type " + p.icmpType() + ")");
        }
        trace.note("anti-spoofing: MAC and source address are the vnic's own");
        return null;
    }

    private boolean ownIpv6(Packet p) {
        InetAddress s = p.srcIp();
        if (vnic.addresses(IpVersion.V6).contains(s) || Ip.linkLocal(vnic.mac()).equals(s)) {
            return true;
        }
        // Duplicate address detection and MLD reports are sent from :: before an address is up.
        return Ip.V6_ANY.equals(s) && p.protocol() == Match.ICMPV6
                && (p.icmpType() == Protocols.ICMPV6_NS || p.icmpType() == Protocols.MLD2_REPORT || p.icmpType() == Protocols.MLD_REPORT);
    }

    private Verdict spoofed(String why) {
        return trace.drop(Reason.ANTI_SPOOFING, "anti-spoofing: " + why);
    }
}
