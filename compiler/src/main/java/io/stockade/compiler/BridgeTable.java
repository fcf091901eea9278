package io.stockade.compiler;

import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The L2 table: unknown ports, anti-spoofing, destination marks and isolation.
 *
 * <p>Each hook first tries a fast path of one lookup, taken by nearly every frame a vnic sends
 * or receives: a unicast IP packet (not ICMPv6, not from a DHCP server's port) whose port, MAC
 * and address belong together. The lookup checks them and counts the frame on the vnic's pass
 * counter ({@code counter name KEY map @pass_...}); a miss falls through to the per-port chains,
 * which judge every other frame in full. A fast-path frame to a vnic carries no mark and has its
 * isolation judged in the inet table, once per new flow: its destination is the owner of its
 * port, MAC and address, so a reply of an allowed flow cannot be steered to another port.
 */
final class BridgeTable {
    /** Frames that may take a fast path: IPv6 without ICMPv6 (neighbour discovery, router messages), neither from a DHCP server's port. */
    private static final String FAST4 = "th sport != 67 th sport != 547 ";
    private static final String FAST6 = "meta l4proto != ipv6-icmp th sport != 67 th sport != 547 ";

    private final World world;
    private final List<Vnic> local;
    private final Marks marks;
    private final List<String> uplinks;
    private final MacSets macSets;
    /** The local vnics whose addresses are elements of the port address sets and of the fast paths. */
    private final List<Vnic> addressed = new ArrayList<>();

    private final CompileCache cache;
    private final DropLog dropLog;
    private final Set<String> counters = new LinkedHashSet<>();
    private final List<NftChain> logChains = new ArrayList<>();

    BridgeTable(World world, List<Vnic> local, Marks marks, List<String> uplinks, MacSets macSets, DropLog dropLog, CompileCache cache) {
        this.world = world;
        this.cache = cache;
        this.dropLog = dropLog;
        this.local = local;
        this.marks = marks;
        this.uplinks = uplinks;
        this.macSets = macSets;
    }

    NftTable build() {
        List<NftChain> chains = new ArrayList<>();
        List<String> srcPorts = new ArrayList<>();
        List<String> dstPorts = new ArrayList<>();
        chains.add(new NftChain("prerouting", "type filter hook prerouting priority -300; policy drop;",
                List.of(FAST4 + "counter name iifname . ether saddr . ip saddr map @pass_src4 accept",
                        FAST6 + "counter name iifname . ether saddr . ip6 saddr map @pass_src6 accept",
                        "iifname vmap @src_port", "counter name " + Counters.UNKNOWN_PORT.name() + " drop")));
        counters.add(Counters.UNKNOWN_PORT.name());
        chains.add(new NftChain("forward", "type filter hook forward priority -100; policy accept;",
                List.of("counter name oifname . ether daddr . ip daddr map @pass_dst4 accept",
                        "meta l4proto != ipv6-icmp counter name oifname . ether daddr . ip6 daddr map @pass_dst6 accept",
                        "oifname vmap @dst_port")));
        // Uplinks are accepted by the same lookup that dispatches vnic ports: one lookup per frame.
        uplinks.stream().distinct().forEach(u -> srcPorts.add(NftNames.quote(u) + " : accept"));
        for (Vnic v : local) {
            CompileCache.VnicNames names = cache.names(v);
            String src = names.src();
            String dst = names.dst();
            boolean filtered = Compiler.filtered(world, v);
            int mark = marks.index(v.id());
            if (filtered) {
                addressed.add(v);
            }
            MacSets.Peers peers = macSets.peers(v, filtered);
            boolean logs = Compiler.logsDrops(world, v);
            DropRules drops = new DropRules(v.id(), logs ? dropLog : null, logChains);
            counters.addAll(names.bridgeCounters());
            // Drop-log chains are made along with the rules that jump to them: those rules are made afresh.
            chains.add(new NftChain(src, null, cache.made(src, List.of(v, filtered), !logs, () -> sourceRules(v, filtered, drops))));
            chains.add(new NftChain(dst, null, cache.made(dst, List.of(v, filtered, mark, macSets.isolation(), peers.own(), peers.connected()), !logs,
                    () -> destinationRules(v, filtered, peers, drops))));
            if (!uplinks.contains(v.device())) {
                srcPorts.add(names.srcPort());
            }
            dstPorts.add(names.dstPort());
        }
        chains.addAll(logChains);
        // Lists equal to the last compile's are that same object, which the delta skips at once.
        List<NftSet> sets = new ArrayList<>();
        sets.add(new NftSet("src_port", "ifname : verdict", false, cache.made("map src_port", srcPorts, () -> srcPorts)));
        sets.add(new NftSet("dst_port", "ifname : verdict", false, cache.made("map dst_port", dstPorts, () -> dstPorts)));
        sets.add(new NftSet("port_ip4", "ifname . ipv4_addr", false, cache.made("set port_ip4", addressed, () -> portAddresses(IpVersion.V4))));
        sets.add(new NftSet("port_ip6", "ifname . ipv6_addr", false, cache.made("set port_ip6", addressed, () -> portAddresses(IpVersion.V6))));
        sets.add(new NftSet("pass_src4", "ifname . ether_addr . ipv4_addr : counter", false,
                cache.made("map pass_src4", addressed, () -> fastPath(IpVersion.V4, Counters.EGRESS))));
        sets.add(new NftSet("pass_src6", "ifname . ether_addr . ipv6_addr : counter", false,
                cache.made("map pass_src6", addressed, () -> fastPath(IpVersion.V6, Counters.EGRESS))));
        sets.add(new NftSet("pass_dst4", "ifname . ether_addr . ipv4_addr : counter", false,
                cache.made("map pass_dst4", addressed, () -> fastPath(IpVersion.V4, Counters.INGRESS))));
        sets.add(new NftSet("pass_dst6", "ifname . ether_addr . ipv6_addr : counter", false,
                cache.made("map pass_dst6", addressed, () -> fastPath(IpVersion.V6, Counters.INGRESS))));
        sets.add(new NftSet("nd_unspecified", "icmpv6_type", false, List.of("nd-neighbor-solicit", "mld-listener-report", "mld2-listener-report")));
        sets.add(new NftSet("dhcp_server_ports", "inet_service", false, List.of("67", "547")));
        sets.add(new NftSet("router_messages", "icmpv6_type", false, List.of("nd-router-advert", "nd-redirect")));
        sets.add(new NftSet("vnic_protocols", "ether_type", false, List.of("arp", "ip", "ip6")));
        sets.addAll(macSets.sets());
        return new NftTable("bridge", Compiler.TABLE, sets, chains, cache.made("counters bridge", List.copyOf(counters), () -> List.copyOf(counters)));
    }

    /**
     * Anti-spoofing of what the vnic sends, for the frames the fast path did not take. Addresses
     * are elements of host-wide sets keyed by port (no anonymous set per vnic: each would be one
     * more kernel set that every transaction's cache fill reads back).
     */
    private List<String> sourceRules(Vnic v, boolean filtered, DropRules drops) {
        List<String> r = new ArrayList<>();
        String pass = drops.accept(Counters.EGRESS);
        if (!filtered) {
            r.add(pass);
            return r;
        }
        String spoof = drops.drop(Counters.EGRESS, Counters.Reason.SPOOFING);
        String mac = v.mac().toString();
        r.add("ether saddr != " + mac + " " + spoof);
        // IPv4 first and done with early: most frames walk the fewest rules.
        r.add("ip saddr 0.0.0.0 udp sport 68 udp dport 67 " + pass);
        r.add("iifname . ip saddr != @port_ip4 " + spoof);
        r.add("ip protocol udp udp sport @dhcp_server_ports " + spoof);
        r.add("ether type ip " + pass);
        r.add("arp saddr ether != " + mac + " " + spoof);
        r.add("arp saddr ip != 0.0.0.0 iifname . arp saddr ip != @port_ip4 " + spoof);
        r.add("ether type arp " + pass);
        r.add("ip6 saddr :: icmpv6 type @nd_unspecified " + pass);
        r.add("iifname . ip6 saddr != @port_ip6 " + spoof);
        r.add("ip6 nexthdr udp udp sport @dhcp_server_ports " + spoof);
        r.add("icmpv6 type @router_messages " + spoof);
        r.add("ether type != @vnic_protocols " + spoof);
        r.add(pass);
        return r;
    }

    /** The filtered vnics' addresses of one version (IPv6 with the link-local one) as elements of the host's port address set. */
    private List<String> portAddresses(IpVersion version) {
        Set<String> out = new TreeSet<>();
        for (Vnic v : addressed) {
            String port = NftNames.quote(v.device());
            addresses(v, version).forEach(a -> out.add(port + " . " + Ip.format(a)));
        }
        return List.copyOf(out);
    }

    /** The fast path of one version and direction: port, MAC and address of each filtered vnic, to the vnic's pass counter. */
    private List<String> fastPath(IpVersion version, String direction) {
        Set<String> out = new TreeSet<>();
        for (Vnic v : addressed) {
            String key = NftNames.quote(v.device()) + " . " + v.mac() + " . ";
            String counter = " : \"" + Counters.pass(v.id(), direction).name() + "\"";
            addresses(v, version).forEach(a -> out.add(key + Ip.format(a) + counter));
        }
        return List.copyOf(out);
    }

    private static List<InetAddress> addresses(Vnic v, IpVersion version) {
        List<InetAddress> own = new ArrayList<>(v.addresses(version));
        if (version == IpVersion.V6) {
            own.add(Ip.linkLocal(v.mac()));
        }
        return own;
    }

    /**
     * The destination mark, the same-group flag, and isolation: only connected vnics and the
     * outside reach this port, for the frames the fast path did not take.
     */
    private List<String> destinationRules(Vnic v, boolean filtered, MacSets.Peers peers, DropRules drops) {
        List<String> r = new ArrayList<>();
        String pass = drops.accept(Counters.INGRESS);
        r.add("meta mark set " + marks.dst(v.id()));
        if (!macSets.isolation()) {
            r.add(pass);
            return r;
        }
        for (SecurityGroup g : peers.own()) {
            r.add("ether saddr @" + MacSets.of(g.id()) + " meta mark set " + marks.sameGroup(v.id()) + " " + pass);
        }
        if (filtered) {
            for (String g : peers.connected()) {
                r.add("ether saddr @" + MacSets.of(g) + " " + pass);
            }
            r.add("ether saddr @vnic_macs " + drops.drop(Counters.INGRESS, Counters.Reason.ISOLATION));
        }
        r.add(pass);
        return r;
    }
}
