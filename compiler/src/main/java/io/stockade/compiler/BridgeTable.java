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
    private static final NftRule.Match[] FAST4 = {NftRule.not("th sport", "67"), NftRule.not("th sport", "547")};
    private static final NftRule.Match[] FAST6 = {NftRule.not("meta l4proto", "ipv6-icmp"), NftRule.not("th sport", "67"), NftRule.not("th sport", "547")};
    private static final NftSet.Type PORT_VERDICT = NftSet.Type.of("ifname").to("verdict");
    private static final NftSet.Type FAST_PATH4 = NftSet.Type.of("ifname", "ether_addr", "ipv4_addr").to("counter");
    private static final NftSet.Type FAST_PATH6 = NftSet.Type.of("ifname", "ether_addr", "ipv6_addr").to("counter");

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
        List<NftElement> srcPorts = new ArrayList<>();
        List<NftElement> dstPorts = new ArrayList<>();
        chains.add(new NftChain("prerouting", new NftChain.Base("filter", "prerouting", -300, "drop"),
                List.of(NftRule.of(Verdict.ACCEPT, new NftRule.CountBy("iifname . ether saddr . ip saddr", "pass_src4")).after(FAST4),
                        NftRule.of(Verdict.ACCEPT, new NftRule.CountBy("iifname . ether saddr . ip6 saddr", "pass_src6")).after(FAST6),
                        NftRule.of(new Verdict.Vmap("iifname", "src_port")),
                        NftRule.of(Verdict.DROP, new NftRule.Count(Counters.UNKNOWN_PORT.name())))));
        counters.add(Counters.UNKNOWN_PORT.name());
        chains.add(new NftChain("forward", new NftChain.Base("filter", "forward", -100, "accept"),
                List.of(NftRule.of(Verdict.ACCEPT, new NftRule.CountBy("oifname . ether daddr . ip daddr", "pass_dst4")),
                        NftRule.of(Verdict.ACCEPT, NftRule.not("meta l4proto", "ipv6-icmp"), new NftRule.CountBy("oifname . ether daddr . ip6 daddr", "pass_dst6")),
                        NftRule.of(new Verdict.Vmap("oifname", "dst_port")))));
        // Uplinks are accepted by the same lookup that dispatches vnic ports: one lookup per frame.
        uplinks.stream().distinct().forEach(u -> srcPorts.add(NftElement.of(NftNames.quote(u)).to(Verdict.ACCEPT)));
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
        sets.add(new NftSet("src_port", PORT_VERDICT, false, cache.made("map src_port", srcPorts, () -> srcPorts)));
        sets.add(new NftSet("dst_port", PORT_VERDICT, false, cache.made("map dst_port", dstPorts, () -> dstPorts)));
        sets.add(new NftSet("port_ip4", NftSet.Type.of("ifname", "ipv4_addr"), false, cache.made("set port_ip4", addressed, () -> portAddresses(IpVersion.V4))));
        sets.add(new NftSet("port_ip6", NftSet.Type.of("ifname", "ipv6_addr"), false, cache.made("set port_ip6", addressed, () -> portAddresses(IpVersion.V6))));
        sets.add(new NftSet("pass_src4", FAST_PATH4, false, cache.made("map pass_src4", addressed, () -> fastPath(IpVersion.V4, Counters.EGRESS))));
        sets.add(new NftSet("pass_src6", FAST_PATH6, false, cache.made("map pass_src6", addressed, () -> fastPath(IpVersion.V6, Counters.EGRESS))));
        sets.add(new NftSet("pass_dst4", FAST_PATH4, false, cache.made("map pass_dst4", addressed, () -> fastPath(IpVersion.V4, Counters.INGRESS))));
        sets.add(new NftSet("pass_dst6", FAST_PATH6, false, cache.made("map pass_dst6", addressed, () -> fastPath(IpVersion.V6, Counters.INGRESS))));
        sets.add(constants("nd_unspecified", "icmpv6_type", "nd-neighbor-solicit", "mld-listener-report", "mld2-listener-report"));
        sets.add(constants("dhcp_server_ports", "inet_service", "67", "547"));
        sets.add(constants("router_messages", "icmpv6_type", "nd-router-advert", "nd-redirect"));
        sets.add(constants("vnic_protocols", "ether_type", "arp", "ip", "ip6"));
        sets.addAll(macSets.sets());
        return new NftTable("bridge", Compiler.TABLE, sets, chains, cache.made("counters bridge", List.copyOf(counters), () -> List.copyOf(counters)));
    }

    /**
     * Anti-spoofing of what the vnic sends, for the frames the fast path did not take. Addresses
     * are elements of host-wide sets keyed by port (no anonymous set per vnic: each would be one
     * more kernel set that every transaction's cache fill reads back).
     */
    private List<NftRule> sourceRules(Vnic v, boolean filtered, DropRules drops) {
        List<NftRule> r = new ArrayList<>();
        NftRule pass = drops.accept(Counters.EGRESS);
        if (!filtered) {
            r.add(pass);
            return r;
        }
        NftRule spoof = drops.drop(Counters.EGRESS, Counters.Reason.SPOOFING);
        String mac = v.mac().toString();
        r.add(spoof.after(NftRule.not("ether saddr", mac)));
        // IPv4 first and done with early: most frames walk the fewest rules.
        r.add(pass.after(NftRule.is("ip saddr", "0.0.0.0"), NftRule.is("udp sport", "68"), NftRule.is("udp dport", "67")));
        r.add(spoof.after(NftRule.notIn("iifname . ip saddr", "port_ip4")));
        r.add(spoof.after(NftRule.is("ip protocol", "udp"), NftRule.in("udp sport", "dhcp_server_ports")));
        r.add(pass.after(NftRule.is("ether type", "ip")));
        r.add(spoof.after(NftRule.not("arp saddr ether", mac)));
        r.add(spoof.after(NftRule.not("arp saddr ip", "0.0.0.0"), NftRule.notIn("iifname . arp saddr ip", "port_ip4")));
        r.add(pass.after(NftRule.is("ether type", "arp")));
        r.add(pass.after(NftRule.is("ip6 saddr", "::"), NftRule.in("icmpv6 type", "nd_unspecified")));
        r.add(spoof.after(NftRule.notIn("iifname . ip6 saddr", "port_ip6")));
        r.add(spoof.after(NftRule.is("ip6 nexthdr", "udp"), NftRule.in("udp sport", "dhcp_server_ports")));
        r.add(spoof.after(NftRule.in("icmpv6 type", "router_messages")));
        r.add(spoof.after(NftRule.notIn("ether type", "vnic_protocols")));
        r.add(pass);
        return r;
    }

    /** A set of constants of one type. */
    private static NftSet constants(String name, String type, String... values) {
        return new NftSet(name, NftSet.Type.of(type), false, java.util.Arrays.stream(values).map(NftElement::of).toList());
    }

    /** The filtered vnics' addresses of one version (IPv6 with the link-local one) as elements of the host's port address set. */
    private List<NftElement> portAddresses(IpVersion version) {
        Set<NftElement> out = new TreeSet<>(BY_KEY);
        for (Vnic v : addressed) {
            String port = NftNames.quote(v.device());
            addresses(v, version).forEach(a -> out.add(NftElement.of(port, Ip.format(a))));
        }
        return List.copyOf(out);
    }

    /** Elements in the order of their keys' text, as nft lists them. */
    private static final java.util.Comparator<NftElement> BY_KEY = java.util.Comparator.comparing(e -> String.join(" . ", e.key()));

    /** The fast path of one version and direction: port, MAC and address of each filtered vnic, to the vnic's pass counter. */
    private List<NftElement> fastPath(IpVersion version, String direction) {
        Set<NftElement> out = new TreeSet<>(BY_KEY);
        for (Vnic v : addressed) {
            String port = NftNames.quote(v.device());
            String mac = v.mac().toString();
            NftElement.CounterRef counter = new NftElement.CounterRef(Counters.pass(v.id(), direction).name());
            addresses(v, version).forEach(a -> out.add(NftElement.of(port, mac, Ip.format(a)).to(counter)));
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
    private List<NftRule> destinationRules(Vnic v, boolean filtered, MacSets.Peers peers, DropRules drops) {
        List<NftRule> r = new ArrayList<>();
        NftRule pass = drops.accept(Counters.INGRESS);
        r.add(NftRule.of(Verdict.CONTINUE, new NftRule.MarkSet(marks.dst(v.id()))));
        if (!macSets.isolation()) {
            r.add(pass);
            return r;
        }
        for (SecurityGroup g : peers.own()) {
            r.add(pass.after(NftRule.in("ether saddr", MacSets.of(g.id())), new NftRule.MarkSet(marks.sameGroup(v.id()))));
        }
        if (filtered) {
            for (String g : peers.connected()) {
                r.add(pass.after(NftRule.in("ether saddr", MacSets.of(g))));
            }
            r.add(drops.drop(Counters.INGRESS, Counters.Reason.ISOLATION).after(NftRule.in("ether saddr", "vnic_macs")));
        }
        r.add(pass);
        return r;
    }
}
