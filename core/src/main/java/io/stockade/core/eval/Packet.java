package io.stockade.core.eval;

import io.stockade.core.model.Match;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;

/**
 * A frame crossing a host's bridge from {@code from} to {@code to}. For ARP, {@code srcIp} is
 * the sender and {@code dstIp} the target address. Ports are -1 where the protocol has none;
 * {@code icmpType}/{@code icmpCode} are -1 for non-ICMP packets. {@code protocol} is the IP
 * protocol number (0 for ARP).
 */
public record Packet(
        Endpoint from,
        Endpoint to,
        FrameKind kind,
        MacAddress srcMac,
        MacAddress dstMac,
        InetAddress srcIp,
        InetAddress dstIp,
        int protocol,
        int srcPort,
        int dstPort,
        int icmpType,
        int icmpCode,
        FlowState state) {

    public boolean isIcmp() {
        return protocol == Match.ICMP || protocol == Match.ICMPV6;
    }

    public boolean hasPorts() {
        return srcPort >= 0 && dstPort >= 0;
    }

    /** The same packet in another flow state. */
    public Packet withState(FlowState s) {
        return new Packet(from, to, kind, srcMac, dstMac, srcIp, dstIp, protocol, srcPort, dstPort, icmpType, icmpCode, s);
    }

    /**
     * The same flow's packet in the other direction: endpoints, addresses and ports swapped; an
     * echo request becomes its reply and an echo reply its request.
     */
    public Packet reversed() {
        int type = icmpType;
        if (protocol == Match.ICMP && (icmpType == 0 || icmpType == 8)) {
            type = 8 - icmpType;
        } else if (protocol == Match.ICMPV6 && (icmpType == 128 || icmpType == 129)) {
            type = 257 - icmpType;
        }
        return new Packet(to, from, kind, dstMac, srcMac, dstIp, srcIp, protocol, dstPort, srcPort, type, icmpCode, FlowState.NEW);
    }

    public static Packet tcp(Endpoint from, Endpoint to, MacAddress srcMac, MacAddress dstMac, InetAddress src, InetAddress dst, int sport, int dport) {
        return new Packet(from, to, kind(src), srcMac, dstMac, src, dst, Match.TCP, sport, dport, -1, -1, FlowState.NEW);
    }

    public static Packet udp(Endpoint from, Endpoint to, MacAddress srcMac, MacAddress dstMac, InetAddress src, InetAddress dst, int sport, int dport) {
        return new Packet(from, to, kind(src), srcMac, dstMac, src, dst, Match.UDP, sport, dport, -1, -1, FlowState.NEW);
    }

    public static Packet icmp(Endpoint from, Endpoint to, MacAddress srcMac, MacAddress dstMac, InetAddress src, InetAddress dst, int type, int code) {
        int proto = src instanceof java.net.Inet4Address ? Match.ICMP : Match.ICMPV6;
        return new Packet(from, to, kind(src), srcMac, dstMac, src, dst, proto, -1, -1, type, code, FlowState.NEW);
    }

    public static Packet arp(Endpoint from, Endpoint to, MacAddress srcMac, InetAddress sender, InetAddress target) {
        return new Packet(from, to, FrameKind.ARP, srcMac, MacAddress.BROADCAST, sender, target, 0, -1, -1, -1, -1, FlowState.NEW);
    }

    private static FrameKind kind(InetAddress a) {
        return a instanceof java.net.Inet4Address ? FrameKind.IPV4 : FrameKind.IPV6;
    }
}
