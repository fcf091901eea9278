package io.stockade.agent.drops;

import io.stockade.compiler.Counters;
import io.stockade.core.model.Match;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Turns a logged packet into a {@link Drop}: the vnic, direction and reason from the log prefix
 * the compiler wrote ({@code stockade VNIC DIRECTION REASON}), the 5-tuple from the packet, and
 * the rule that would have been needed from {@link DropAdvisor} against the agent's slice.
 */
public final class DropDecoder {
    private static final int ETH_IP4 = 0x0800;
    private static final int ETH_IP6 = 0x86dd;
    private static final int ETH_ARP = 0x0806;

    private DropDecoder() {}

    /** The drop, or empty when the packet is not one of Stockade's drop logs or is too short to read. */
    public static Optional<Drop> decode(NflogPacket p, World slice) {
        String[] f = p.prefix().strip().split(" ");
        if (f.length != 4 || !f[0].equals("stockade")) {
            return Optional.empty();
        }
        Counters.Reason reason;
        try {
            reason = Counters.Reason.parse(f[3]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<Tuple> t = tuple(p);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Tuple x = t.get();
        DropAdvisor.Needed needed = slice == null ? null : DropAdvisor.needed(slice, f[1], f[2], reason, p, x);
        boolean icmp = x.icmp();
        return Optional.of(new Drop(p.time().toString(), f[1], f[2], reason.wire(), x.protocolName(), Ip.format(x.src()), icmp ? -1 : x.srcPort(),
                Ip.format(x.dst()), icmp ? -1 : x.dstPort(), icmp ? x.srcPort() : -1, icmp ? x.dstPort() : -1, needed == null ? null : needed.group(), needed == null ? null : needed.rule()));
    }

    /**
     * What the payload says: addresses, IP protocol (0 for ARP) and ports, or for ICMP its type and
     * code in the port fields.
     */
    record Tuple(InetAddress src, InetAddress dst, int protocol, int srcPort, int dstPort) {
        String protocolName() {
            return switch (protocol) {
                case 0 -> "arp";
                case Match.TCP -> "tcp";
                case Match.UDP -> "udp";
                case Match.ICMP -> "icmp";
                case Match.ICMPV6 -> "icmpv6";
                default -> Integer.toString(protocol);
            };
        }

        boolean icmp() {
            return protocol == Match.ICMP || protocol == Match.ICMPV6;
        }
    }

    static Optional<Tuple> tuple(NflogPacket p) {
        byte[] b = p.payload();
        int proto = p.hwProtocol();
        if (proto == 0 && b.length > 0) {
            proto = (b[0] & 0xf0) == 0x40 ? ETH_IP4 : (b[0] & 0xf0) == 0x60 ? ETH_IP6 : 0;
        }
        if (proto == ETH_ARP && b.length >= 28) {
            return Optional.of(new Tuple(Ip.fromBytes(Arrays.copyOfRange(b, 14, 18)), Ip.fromBytes(Arrays.copyOfRange(b, 24, 28)), 0, -1, -1));
        }
        if (proto == ETH_IP4 && b.length >= 20 && (b[0] & 0xf0) == 0x40) {
            int ihl = (b[0] & 0x0f) * 4;
            int l4 = b[9] & 0xff;
            boolean firstFragment = (((b[6] & 0x1f) << 8) | (b[7] & 0xff)) == 0;
            return Optional.of(withPorts(Ip.fromBytes(Arrays.copyOfRange(b, 12, 16)), Ip.fromBytes(Arrays.copyOfRange(b, 16, 20)),
                    l4, b, firstFragment ? ihl : -1));
        }
        if (proto == ETH_IP6 && b.length >= 40 && (b[0] & 0xf0) == 0x60) {
            return Optional.of(withPorts(Ip.fromBytes(Arrays.copyOfRange(b, 8, 24)), Ip.fromBytes(Arrays.copyOfRange(b, 24, 40)),
                    b[6] & 0xff, b, 40));
        }
        return Optional.empty();
    }

    private static Tuple withPorts(InetAddress src, InetAddress dst, int l4, byte[] b, int at) {
        if (at >= 0 && b.length >= at + 4 && (l4 == Match.TCP || l4 == Match.UDP)) {
            return new Tuple(src, dst, l4, u16(b, at), u16(b, at + 2));
        }
        if (at >= 0 && b.length >= at + 2 && (l4 == Match.ICMP || l4 == Match.ICMPV6)) {
            return new Tuple(src, dst, l4, b[at] & 0xff, b[at + 1] & 0xff);
        }
        return new Tuple(src, dst, l4, -1, -1);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
