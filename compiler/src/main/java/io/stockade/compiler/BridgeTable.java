package io.stockade.compiler;

import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The L2 table: unknown ports, anti-spoofing, destination marks and isolation.
 *
 * <p>Each hook first tries a fast path of one lookup, taken by nearly every frame a vnic sends
 * or receives: a unicast IP packet (not ICMPv6, not from a DHCP server's port) whose port, MAC
 * and address belong together. The lookup checks them and counts the frame on the element it
 * found (the fast path's sets are counted); a miss falls through to the port dispatch, whose
 * element counts the frame into the per-port chains, which judge every other frame in full, and
 * whose catch-all element drops (and counts) the frames of unknown ports. A fast-path frame to
 * a vnic carries no mark and has its isolation judged in the inet table, once per new flow: its
 * destination is the owner of its port, MAC and address, so a reply of an allowed flow cannot be
 * steered to another port.
 */
final class BridgeTable {
    /** Frames that may take a fast path: IPv6 without ICMPv6 (neighbour discovery, router messages), neither from a DHCP server's port. */
    private static final NftRule.Match[] FAST4 = {NftRule.not("th sport", "67"), NftRule.not("th sport", "547")};
    private static final NftRule.Match[] FAST6 = {NftRule.not("meta l4proto", "ipv6-icmp"), NftRule.not("th sport", "67"), NftRule.not("th sport", "547")};
    private static final NftSet.Type PORT_VERDICT = NftSet.Type.of("ifname").to("verdict");
    private static final NftSet.Type FAST_PATH4 = NftSet.Type.of("ifname", "ether_addr", "ipv4_addr");
    private static final NftSet.Type FAST_PATH6 = NftSet.Type.of("ifname", "ether_addr", "ipv6_addr");

    private final World world;
    private final List<Vnic> local;
    private final Marks marks;
    private final List<String> uplinks;
    private final MacSets macSets;
    /** The local vnics whose addresses are elements of the port address sets and of the fast paths. */
    private final List<Vnic> addressed = new ArrayList<>();

    private final CompileCache cache;
    private final DropLog dropLog;
    /** Each local vnic's tallies (the same list object while its port stays). */
    private final List<List<Counters.Tally>> tallies = new ArrayList<>();

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
        DropRules drops = new DropRules(dropLog).set(SPOOFING, "ifname").set(ISOLATION, "ifname");
        chains.add(new NftChain("prerouting", new NftChain.Base("filter", "prerouting", -300, "drop"),
                List.of(NftRule.of(Verdict.ACCEPT, NftRule.in("iifname . ether saddr . ip saddr", Counters.PASS_SRC4)).after(FAST4),
                        NftRule.of(Verdict.ACCEPT, NftRule.in("iifname . ether saddr . ip6 saddr", Counters.PASS_SRC6)).after(FAST6),
                        NftRule.of(new Verdict.Vmap("iifname", Counters.SRC_PORT)))));
        chains.add(new NftChain("forward", new NftChain.Base("filter", "forward", -100, "accept"),
                List.of(NftRule.of(Verdict.ACCEPT, NftRule.in("oifname . ether daddr . ip daddr", Counters.PASS_DST4)),
                        NftRule.of(Verdict.ACCEPT, NftRule.not("meta l4proto", "ipv6-icmp"), NftRule.in("oifname . ether daddr . ip6 daddr", Counters.PASS_DST6)),
                        NftRule.of(new Verdict.Vmap("oifname", Counters.DST_PORT)))));
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
            String port = NftNames.quote(v.device());
            boolean dispatched = !uplinks.contains(v.device());
            if (filtered) {
                drops.add(Counters.drop(v.id(), Counters.EGRESS, Counters.Reason.SPOOFING), port);
                if (macSets.isolation()) {
                    drops.add(Counters.drop(v.id(), Counters.INGRESS, Counters.Reason.ISOLATION), port);
                }
            }
            tallies.add(cache.made("tally bridge " + v.id(), List.of(v.device(), dispatched), () -> Counters.bridge(v.id(), port, dispatched)));
            // Drop-log chains are made along with the rules that go to them: those rules are made afresh.
            chains.add(new NftChain(src, null, cache.made(src, List.of(v, filtered), !logs, () -> sourceRules(v, filtered, drops, logs))));
            chains.add(new NftChain(dst, null, cache.made(dst, List.of(v, filtered, mark, macSets.isolation(), peers.own(), peers.connected()), !logs,
                    () -> destinationRules(v, filtered, peers, drops, logs))));
            if (dispatched) {
                srcPorts.add(names.srcPort());
            }
            dstPorts.add(names.dstPort());
        }
        // Frames of any other port are dropped, and counted, by the catch-all element.
        srcPorts.add(NftElement.of(Counters.CATCH_ALL).to(Verdict.DROP));
        chains.addAll(drops.logChains());
        // Lists equal to the last compile's are that same object, which the delta skips at once.
        List<NftSet> sets = new ArrayList<>();
        sets.add(new NftSet(Counters.SRC_PORT, PORT_VERDICT, false, true, false, cache.made("map src_port", srcPorts, () -> srcPorts)));
        sets.add(new NftSet(Counters.DST_PORT, PORT_VERDICT, false, true, false, cache.made("map dst_port", dstPorts, () -> dstPorts)));
        sets.add(new NftSet("port_ip4", NftSet.Type.of("ifname", "ipv4_addr"), false, cache.made("set port_ip4", addressed, () -> portAddresses(IpVersion.V4))));
        sets.add(new NftSet("port_ip6", NftSet.Type.of("ifname", "ipv6_addr"), false, cache.made("set port_ip6", addressed, () -> portAddresses(IpVersion.V6))));
        sets.add(new NftSet(Counters.PASS_SRC4, FAST_PATH4, false, true, false, cache.made("set fast path 4", addressed, () -> fastPath(IpVersion.V4))));
        sets.add(new NftSet(Counters.PASS_SRC6, FAST_PATH6, false, true, false, cache.made("set fast path 6", addressed, () -> fastPath(IpVersion.V6))));
        // Both directions' fast paths hold the same elements: each counts the frames of its own hook.
        sets.add(new NftSet(Counters.PASS_DST4, FAST_PATH4, false, true, false, cache.made("set fast path 4", addressed, () -> fastPath(IpVersion.V4))));
        sets.add(new NftSet(Counters.PASS_DST6, FAST_PATH6, false, true, false, cache.made("set fast path 6", addressed, () -> fastPath(IpVersion.V6))));
        sets.addAll(drops.sets(cache));
        sets.add(constants("nd_unspecified", "icmpv6_type", "nd-neighbor-solicit", "mld-listener-report", "mld2-listener-report"));
        sets.add(constants("dhcp_server_ports", "inet_service", "67", "547"));
        sets.add(constants("router_messages", "icmpv6_type", "nd-router-advert", "nd-redirect"));
        sets.add(constants("vnic_protocols", "ether_type", "arp", "ip", "ip6"));
        sets.addAll(macSets.sets());
        return new NftTable("bridge", Compiler.TABLE, sets, chains, cache.made("tallies bridge", tallies, () -> {
            List<Counters.Tally> all = new ArrayList<>(UNKNOWN_PORT);
            tallies.forEach(all::addAll);
            return all;
        }));
    }

    /** The catch-all element of the source port dispatch counts the frames of unknown ports. */
    private static final List<Counters.Tally> UNKNOWN_PORT = List.of(new Counters.Tally(Counters.SRC_PORT, Counters.CATCH_ALL, Counters.UNKNOWN_PORT, 1));
    /** The bridge's drop sets, keyed by port. */
    private static final String SPOOFING = Counters.dropSet("bridge", Counters.EGRESS, Counters.Reason.SPOOFING);
    private static final String ISOLATION = Counters.dropSet("bridge", Counters.INGRESS, Counters.Reason.ISOLATION);

    /**
     * Anti-spoofing of what the vnic sends, for the frames the fast path did not take. Addresses
     * are elements of host-wide sets keyed by port (no anonymous set per vnic: each would be one
     * more kernel set that every transaction's cache fill reads back).
     */
    private List<NftRule> sourceRules(Vnic v, boolean filtered, DropRules drops, boolean logs) {
        List<NftRule> r = new ArrayList<>();
        NftRule pass = NftRule.of(Verdict.ACCEPT);
        if (!filtered) {
            r.add(pass);
            return r;
        }
        NftRule spoof = drops.drop(Counters.drop(v.id(), Counters.EGRESS, Counters.Reason.SPOOFING), "iifname", logs);
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
        ByKey out = new ByKey();
        for (Vnic v : addressed) {
            String port = NftNames.quote(v.device());
            addresses(v, version).forEach(a -> out.add(NftElement.of(port, Ip.format(a))));
        }
        return out.list();
    }

    /**
     * Elements in the order of their keys' text, as nft lists them, the first of equal keys kept;
     * each key's text is made once, not at every comparison (that was a third of a 1,000-vnic
     * host's compile).
     */
    private static final class ByKey {
        private final java.util.TreeMap<String, NftElement> elements = new java.util.TreeMap<>();

        void add(NftElement e) {
            elements.putIfAbsent(String.join(" . ", e.key()), e);
        }

        List<NftElement> list() {
            return List.copyOf(elements.values());
        }
    }

    /** The fast path of one version: port, MAC and address of each filtered vnic. */
    private List<NftElement> fastPath(IpVersion version) {
        ByKey out = new ByKey();
        for (Vnic v : addressed) {
            String port = NftNames.quote(v.device());
            String mac = v.mac().toString();
            addresses(v, version).forEach(a -> out.add(NftElement.of(port, mac, Ip.format(a))));
        }
        return out.list();
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
    private List<NftRule> destinationRules(Vnic v, boolean filtered, MacSets.Peers peers, DropRules drops, boolean logs) {
        List<NftRule> r = new ArrayList<>();
        NftRule pass = NftRule.of(Verdict.ACCEPT);
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
            r.add(drops.drop(Counters.drop(v.id(), Counters.INGRESS, Counters.Reason.ISOLATION), "oifname", logs).after(NftRule.in("ether saddr", "vnic_macs")));
        }
        r.add(pass);
        return r;
    }
}
