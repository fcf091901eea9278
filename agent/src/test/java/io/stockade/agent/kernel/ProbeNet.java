package io.stockade.agent.kernel;

import io.stockade.agent.Shell;
import io.stockade.agent.netns.Topology;
import io.stockade.core.eval.Endpoint;
import io.stockade.core.eval.FlowState;
import io.stockade.core.eval.FrameKind;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Match;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.testing.TestWorld;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A host namespace with a bridge, VMs for TestWorld's vnics (tap10.., 52:54:00:00:00:0a..,
 * 192.0.2.10.. and 2001:db8:1::a..) and an outside namespace on the uplink (198.51.100.7,
 * 203.0.113.9, 2001:db8:2::7). Each VM records what reaches its eth0 in nft sets at the netdev
 * ingress hook, so a test sends one real packet and asks whether it arrived.
 */
final class ProbeNet implements AutoCloseable {
    static final String HOST = "host";
    static final int VMS = 6;
    private static final String PROBE = """
            table netdev probe {
              set seen_l4v4 { type ipv4_addr . inet_proto . inet_service; size 65535; flags dynamic; }
              set seen_l4v6 { type ipv6_addr . inet_proto . inet_service; size 65535; flags dynamic; }
              set seen_icmp4 { type ipv4_addr . icmp_type; size 65535; flags dynamic; }
              set seen_icmp6 { type ipv6_addr . icmpv6_type; size 65535; flags dynamic; }
              set sent_l4v4 { type ipv4_addr . inet_proto . inet_service; size 65535; flags dynamic; }
              set sent_l4v6 { type ipv6_addr . inet_proto . inet_service; size 65535; flags dynamic; }
              set sent_icmp4 { type ipv4_addr . icmp_type; size 65535; flags dynamic; }
              set sent_icmp6 { type ipv6_addr . icmpv6_type; size 65535; flags dynamic; }
              chain watch {
                type filter hook ingress device eth0 priority 0;
                ip protocol { tcp, udp } add @seen_l4v4 { ip saddr . ip protocol . th dport }
                ip6 nexthdr { tcp, udp } add @seen_l4v6 { ip6 saddr . ip6 nexthdr . th dport }
                ip protocol icmp add @seen_icmp4 { ip saddr . icmp type }
                ip6 nexthdr icmpv6 add @seen_icmp6 { ip6 saddr . icmpv6 type }
              }
              chain sending {
                type filter hook egress device eth0 priority 0;
                ip protocol { tcp, udp } add @sent_l4v4 { ip daddr . ip protocol . th dport }
                ip6 nexthdr { tcp, udp } add @sent_l4v6 { ip6 daddr . ip6 nexthdr . th dport }
                ip protocol icmp add @sent_icmp4 { ip daddr . icmp type }
                ip6 nexthdr icmpv6 add @sent_icmp6 { ip6 daddr . icmpv6 type }
              }
            }
            """;
    /**
     * Sends, from a raw socket, a packet connection tracking finds invalid: {@code tcp-null} (a
     * TCP segment without flags, ports given) or {@code icmp-error} (ICMP type and code given,
     * quoting a UDP datagram 33000 -> 53 the receiver never sent). Arguments: family (4 or 6),
     * source, destination, kind, then the two numbers.
     */
    private static final String RAW_SEND = """
            import socket, struct, sys
            fam, src, dst, kind, a, b = sys.argv[1:7]
            v6 = fam == "6"
            af = socket.AF_INET6 if v6 else socket.AF_INET
            def csum(data):
                if len(data) % 2:
                    data += b"\\0"
                s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
                while s >> 16:
                    s = (s & 0xFFFF) + (s >> 16)
                return ~s & 0xFFFF
            def pseudo(proto, length):
                if v6:
                    return socket.inet_pton(af, src) + socket.inet_pton(af, dst) + struct.pack("!I3xB", length, proto)
                return socket.inet_pton(af, src) + socket.inet_pton(af, dst) + struct.pack("!xBH", proto, length)
            if kind == "tcp-null":
                proto = socket.IPPROTO_TCP
                seg = struct.pack("!HHIIBBHHH", int(a), int(b), 1, 0, 5 << 4, 0, 65535, 0, 0)
                seg = seg[:16] + struct.pack("!H", csum(pseudo(proto, len(seg)) + seg)) + seg[18:]
            else:
                proto = socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP
                udp = struct.pack("!HHHH", 33000, 53, 8, 0)
                if v6:
                    quoted = struct.pack("!IHBB", 6 << 28, 8, 17, 64) + socket.inet_pton(af, dst) + socket.inet_pton(af, src) + udp
                    seg = struct.pack("!BBHI", int(a), int(b), 0, 0) + quoted
                else:
                    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 1, 0, 64, 17, 0, socket.inet_pton(af, dst), socket.inet_pton(af, src))
                    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
                    seg = struct.pack("!BBHI", int(a), int(b), 0, 0) + ip + udp
                    seg = seg[:2] + struct.pack("!H", csum(seg)) + seg[4:]
            s = socket.socket(af, socket.SOCK_RAW, proto)
            s.bind((src, 0))
            s.sendto(seg, (dst, 0))
            """;
    private static final String FLUSH = "flush set netdev probe seen_l4v4; flush set netdev probe seen_l4v6; "
            + "flush set netdev probe seen_icmp4; flush set netdev probe seen_icmp6; flush set netdev probe sent_l4v4; "
            + "flush set netdev probe sent_l4v6; flush set netdev probe sent_icmp4; flush set netdev probe sent_icmp6";

    final Topology topology;
    final Shell host;
    private final Map<String, Topology.Vm> byMac = new HashMap<>();
    private final Topology.Vm outside;

    ProbeNet() {
        String prefix = "sk" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        topology = new Topology(prefix);
        try {
            topology.addHost(HOST);
            host = topology.hostShell(HOST);
            List<Topology.Vm> all = new ArrayList<>();
            for (int i = 0; i < VMS; i++) {
                int n = 10 + i;
                Topology.Vm vm = topology.addVm("v" + i, HOST, "tap" + n, String.format("52:54:00:00:00:%02x", n),
                        List.of("192.0.2." + n + "/24", "2001:db8:1::" + Integer.toHexString(n) + "/64"));
                all.add(vm);
            }
            outside = topology.addOutside("out", HOST, "uplink0", TestWorld.OUTSIDE_MAC.toString(),
                    List.of("198.51.100.7/24", "203.0.113.9/24", "2001:db8:2::7/64"));
            all.add(outside);
            for (Topology.Vm vm : all) {
                byMac.put(vm.mac(), vm);
                topology.neighbors(vm, all.stream().filter(o -> o != vm).toList());
                loadProbe(vm);
                if (vm != outside) {
                    topology.onLink(vm, "198.51.100.0/24");
                    topology.onLink(vm, "203.0.113.0/24");
                    topology.onLink(vm, "2001:db8:2::/64");
                } else {
                    topology.onLink(vm, "192.0.2.0/24");
                    topology.onLink(vm, "2001:db8:1::/64");
                }
            }
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    private static void loadProbe(Topology.Vm vm) {
        Shell.Result r = new Shell(vm.namespace()).run(PROBE, "nft", "-f", "-");
        if (!r.ok()) {
            throw new IllegalStateException("probe table in " + vm.namespace() + ": " + r.err());
        }
    }

    /** The namespace a packet leaves from or arrives in. */
    private Topology.Vm vmOf(World w, Endpoint e) {
        if (e instanceof Endpoint.OfVnic v) {
            Vnic vnic = w.vnics().get(v.vnicId());
            return byMac.get(vnic.mac().toString());
        }
        return outside;
    }

    /** Gives the vnic's VM one more address on eth0 (to send from an address that is not the vnic's). */
    void addAddress(World w, String vnicId, String cidr) {
        Topology.Vm vm = vmOf(w, new Endpoint.OfVnic(vnicId));
        Shell.Result r = topology.exec(vm.namespace(), "ip", "addr", "add", cidr, "dev", "eth0", "nodad");
        if (!r.ok()) {
            throw new IllegalStateException("ip addr add " + cidr + " in " + vm.namespace() + ": " + r.err());
        }
    }

    /** Sends an ARP request from the vnic's VM with the given sender address; true when the target answered. */
    /** What a vnic hears back when it asks who has {@code address}: arping's output, with the MAC of every reply. */
    String arpWhoHas(World w, String vnicId, String address) {
        Topology.Vm vm = vmOf(w, new Endpoint.OfVnic(vnicId));
        return new Shell(vm.namespace()).run(null, "arping", "-c", "2", "-w", "2", "-I", "eth0", address).out();
    }

    boolean arpFrom(World w, String vnicId, String sender, String target) {
        Topology.Vm vm = vmOf(w, new Endpoint.OfVnic(vnicId));
        return new Shell(vm.namespace()).run(null, "arping", "-c", "1", "-w", "1", "-I", "eth0", "-S", sender, target).ok();
    }

    /**
     * Sends the packet for real and tells whether it reached its destination's eth0: looked for
     * during a second when it should arrive (on a loaded machine its first hop can take longer than
     * 150 ms; an arrival ends the wait at once), during 150 ms when it should not. A packet that
     * did not arrive is one the firewall dropped only if it left its VM: the sending VM records
     * what leaves its eth0, and a send that never left (a sender that failed) is sent again.
     */
    boolean deliver(World w, Packet p, boolean expected) {
        return deliver(w, p, expected ? 40 : 6);
    }

    private boolean deliver(World w, Packet p, int attempts) {
        Topology.Vm from = vmOf(w, p.from());
        Topology.Vm to = vmOf(w, p.to());
        Shell src = new Shell(from.namespace());
        Shell dst = new Shell(to.namespace());
        for (int send = 0; send < 3; send++) {
            dst.run(null, "nft", FLUSH);
            src.run(null, "nft", FLUSH);
            send(from, p);
            for (int attempt = 0; attempt < attempts; attempt++) {
                sleep(25);
                if (recorded(dst, "seen", p.srcIp(), p)) {
                    return true;
                }
            }
            if (recorded(src, "sent", p.dstIp(), p)) {
                return false;
            }
        }
        throw new IllegalStateException(from.name() + " could not send " + p);
    }

    /** Whether a VM's probe set {@code kind} ("seen": arrived, "sent": left) holds the packet, by the address of its other end. */
    private static boolean recorded(Shell vm, String kind, InetAddress other, Packet p) {
        String v = Ip.version(other) == IpVersion.V4 ? "4" : "6";
        String key = p.isIcmp() ? Ip.format(other) + " . " + p.icmpType() : Ip.format(other) + " . " + p.protocol() + " . " + p.dstPort();
        return vm.run(null, "nft", "get", "element", "netdev", "probe", kind + (p.isIcmp() ? "_icmp" : "_l4v") + v, "{ " + key + " }").ok();
    }

    /**
     * After {@link #deliver} of an echo request: whether the destination's echo reply (the
     * packet {@code reply}) reached the requester. The reply was already sent by the kernel.
     */
    boolean deliverReplyOfLastPing(World w, Packet reply) {
        Shell dst = new Shell(vmOf(w, reply.to()).namespace());
        boolean v4 = Ip.version(reply.dstIp()) == IpVersion.V4;
        for (int attempt = 0; attempt < 12; attempt++) {
            if (dst.run(null, "nft", "get", "element", "netdev", "probe", v4 ? "seen_icmp4" : "seen_icmp6",
                    "{ " + Ip.format(reply.srcIp()) + " . " + reply.icmpType() + " }").ok()) {
                return true;
            }
            sleep(25);
        }
        return false;
    }

    /**
     * Sends one packet of the shape of {@code p} from the VM (source port and addresses as in p):
     * an invalid TCP packet or an ICMP message other than an echo request from a raw socket.
     */
    void send(Topology.Vm from, Packet p) {
        Shell s = new Shell(from.namespace());
        String dst = Ip.format(p.dstIp());
        String fam = Ip.version(p.dstIp()) == IpVersion.V4 ? "-4" : "-6";
        String src = Ip.format(p.srcIp());
        String v = fam.substring(1);
        if (p.protocol() == Match.TCP && p.state() == FlowState.INVALID) {
            s.run(null, "python3", "-c", RAW_SEND, v, src, dst, "tcp-null", Integer.toString(p.srcPort()), Integer.toString(p.dstPort()));
            return;
        }
        if (p.isIcmp() && p.icmpType() != 8 && p.icmpType() != 128) {
            s.run(null, "python3", "-c", RAW_SEND, v, src, dst, "icmp-error", Integer.toString(p.icmpType()), Integer.toString(p.icmpCode()));
            return;
        }
        switch (p.protocol()) {
            case Match.UDP -> s.run("x", "nc", fam, "-u", "-w0", "-s", src, "-p", Integer.toString(p.srcPort()), dst, Integer.toString(p.dstPort()));
            case Match.TCP -> s.run(null, "sh", "-c", "nc " + fam + " -z -w1 -s " + src + " -p " + p.srcPort() + " " + dst + " " + p.dstPort() + " >/dev/null 2>&1 &");
            case Match.ICMP, Match.ICMPV6 -> s.run(null, "sh", "-c", "ping " + fam + " -c1 -W1 -I " + src + " " + dst + " >/dev/null 2>&1 &");
            default -> throw new IllegalArgumentException("cannot send protocol " + p.protocol());
        }
    }

    /** Whether an ARP request for the destination's address reaches it (arping from the source). */
    boolean arp(World w, Packet p) {
        Topology.Vm from = vmOf(w, p.from());
        Topology.Vm to = vmOf(w, p.to());
        Shell.Result r = new Shell(from.namespace()).run(null, "arping", "-c", "1", "-w", "1", "-I", "eth0", Ip.format(p.dstIp()));
        return r.ok() && r.out().contains(to.mac());
    }

    void flushConntrack() {
        host.run(null, "conntrack", "-F");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static FrameKind kind(InetAddress a) {
        return Ip.version(a) == IpVersion.V4 ? FrameKind.IPV4 : FrameKind.IPV6;
    }

    @Override
    public void close() {
        topology.close();
    }
}
