package io.stockade.core.eval;

import io.stockade.core.model.Match;

/** Well-known packet shapes the evaluator treats specially. */
final class Protocols {
    static final int ICMPV6_RS = 133;
    static final int ICMPV6_RA = 134;
    static final int ICMPV6_NS = 135;
    static final int ICMPV6_NA = 136;
    static final int ICMPV6_REDIRECT = 137;
    static final int MLD_QUERY = 130;
    static final int MLD_REPORT = 131;
    static final int MLD_DONE = 132;
    static final int MLD2_REPORT = 143;

    private Protocols() {}

    /** Neighbor and router solicitation/advertisement, and MLD: IPv6's ARP. */
    static boolean isNeighborDiscovery(Packet p) {
        if (p.protocol() != Match.ICMPV6) {
            return false;
        }
        int t = p.icmpType();
        return (t >= MLD_QUERY && t <= ICMPV6_NA) || t == MLD2_REPORT;
    }

    /**
     * Whether connection tracking can open no flow with this packet judged as new: ICMP other
     * than a request (echo, timestamp, information, address mask; ICMPv6 echo and node
     * information) belongs to a flow or to none, so a new one is invalid to it.
     */
    static boolean opensNoFlow(Packet p) {
        int t = p.icmpType();
        return switch (p.protocol()) {
            case Match.ICMP -> t != 8 && t != 13 && t != 15 && t != 17;
            case Match.ICMPV6 -> t != 128 && t != 139 && !isNeighborDiscovery(p);
            default -> false;
        };
    }

    static boolean isDhcpServerReply(Packet p) {
        return p.protocol() == Match.UDP && (p.srcPort() == 67 || p.srcPort() == 547);
    }

    static boolean isDhcpRequest(Packet p) {
        return p.protocol() == Match.UDP && ((p.srcPort() == 68 && p.dstPort() == 67) || (p.srcPort() == 546 && p.dstPort() == 547));
    }

    static boolean isDns(int protocol, int port) {
        return (protocol == Match.UDP || protocol == Match.TCP) && port == 53;
    }
}
