package io.stockade.compiler;

import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The L2 table: unknown ports, anti-spoofing, vnic marks and isolation. */
final class BridgeTable {
    private final World world;
    private final List<Vnic> local;
    private final Marks marks;
    private final List<String> uplinks;
    private final boolean isolation;
    /** The groups whose MAC sets the chains name; a vnic's connected groups are often another's, so these are collected by set. */
    private final Set<Set<String>> macSets = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** The local vnics whose addresses are elements of the port address sets. */
    private final List<Vnic> addressed = new ArrayList<>();

    private final CompileCache cache;
    private final DropLog dropLog;
    private final Set<String> counters = new LinkedHashSet<>();
    private final List<NftChain> logChains = new ArrayList<>();

    BridgeTable(World world, List<Vnic> local, Marks marks, List<String> uplinks, DropLog dropLog, CompileCache cache) {
        this.world = world;
        this.cache = cache;
        this.dropLog = dropLog;
        this.local = local;
        this.marks = marks;
        this.uplinks = uplinks;
        this.isolation = world.policy().isolation();
    }

    NftTable build() {
        List<NftChain> chains = new ArrayList<>();
        List<String> srcPorts = new ArrayList<>();
        List<String> dstPorts = new ArrayList<>();
        chains.add(new NftChain("prerouting", "type filter hook prerouting priority -300; policy drop;",
                List.of("iifname vmap @src_port", "counter name " + Counters.UNKNOWN_PORT.name() + " drop")));
        counters.add(Counters.UNKNOWN_PORT.name());
        chains.add(new NftChain("forward", "type filter hook forward priority -100; policy accept;",
                List.of("oifname vmap @dst_port")));
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
            List<SecurityGroup> own = isolation ? world.groupsOf(v) : List.of();
            Set<String> connected = isolation && filtered ? cache.connected(own, world) : Set.of();
            own.forEach(g -> macSets.add(Set.of(g.id())));
            macSets.add(connected);
            boolean logs = Compiler.logsDrops(world, v);
            DropRules drops = new DropRules(v.id(), logs ? dropLog : null, logChains);
            counters.addAll(names.bridgeCounters());
            // Drop-log chains are made along with the rules that jump to them: those rules are made afresh.
            chains.add(new NftChain(src, null, cache.made(src, List.of(v, filtered, mark), !logs, () -> sourceRules(v, filtered, drops))));
            chains.add(new NftChain(dst, null, cache.made(dst, List.of(v, filtered, mark, isolation, own, connected), !logs,
                    () -> destinationRules(v, filtered, own, connected, drops))));
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
        sets.add(new NftSet("nd_unspecified", "icmpv6_type", false, List.of("nd-neighbor-solicit", "mld-listener-report", "mld2-listener-report")));
        sets.add(new NftSet("dhcp_server_ports", "inet_service", false, List.of("67", "547")));
        sets.add(new NftSet("router_messages", "icmpv6_type", false, List.of("nd-router-advert", "nd-redirect")));
        sets.add(new NftSet("vnic_protocols", "ether_type", false, List.of("arp", "ip", "ip6")));
        if (isolation) {
            // Kept from the last compile and brought up to date from the vnics a diff touched: an agent's
            // change costs what it touches, not a walk over the network, and an unchanged set is the
            // same object, which the delta skips without a diff.
            sets.add(new NftSet("vnic_macs", "ether_addr", false, cache.vnicMacs(world)));
            Set<String> named = new HashSet<>();
            macSets.forEach(named::addAll);
            for (String g : named.stream().sorted().toList()) {
                // The world keeps a group's member list the same object while no member changes.
                List<Vnic> members = world.members(g);
                CompileCache.SetName set = cache.macSetName(g);
                sets.add(new NftSet(set.name(), "ether_addr", false, cache.made(set.key(), List.of(members),
                        () -> macs(members.stream().filter(v -> v.hostId() != null).map(Vnic::mac).toList()))));
            }
        }
        return new NftTable("bridge", Compiler.TABLE, sets, chains, cache.made("counters bridge", List.copyOf(counters), () -> List.copyOf(counters)));
    }

    /**
     * Anti-spoofing of what the vnic sends, and its source mark. Addresses are elements of
     * host-wide sets keyed by port (no anonymous set per vnic: each would be one more kernel set
     * that every transaction's cache fill reads back).
     */
    private List<String> sourceRules(Vnic v, boolean filtered, DropRules drops) {
        List<String> r = new ArrayList<>();
        String pass = drops.accept(Counters.EGRESS);
        if (!filtered) {
            r.add("meta mark set " + marks.src(v.id()));
            r.add(pass);
            return r;
        }
        String spoof = drops.drop(Counters.EGRESS, Counters.Reason.SPOOFING);
        String mac = v.mac().toString();
        r.add("ether saddr != " + mac + " " + spoof);
        r.add("meta mark set " + marks.src(v.id()));
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
            List<InetAddress> own = new ArrayList<>(v.addresses(version));
            if (version == IpVersion.V6) {
                own.add(Ip.linkLocal(v.mac()));
            }
            own.forEach(a -> out.add(port + " . " + Ip.format(a)));
        }
        return List.copyOf(out);
    }

    /** The destination mark, the same-group flag, and isolation: only connected vnics and the outside reach this port. */
    private List<String> destinationRules(Vnic v, boolean filtered, List<SecurityGroup> own, Set<String> connected, DropRules drops) {
        List<String> r = new ArrayList<>();
        String pass = drops.accept(Counters.INGRESS);
        r.add("meta mark set meta mark or " + marks.dst(v.id()));
        if (!isolation) {
            r.add(pass);
            return r;
        }
        for (SecurityGroup g : own) {
            r.add("ether saddr @" + macSet(g.id()) + " meta mark set meta mark or " + Marks.hex(Marks.SAME_GROUP) + " " + pass);
        }
        if (filtered) {
            for (String g : connected) {
                r.add("ether saddr @" + macSet(g) + " " + pass);
            }
            r.add("ether saddr @vnic_macs " + drops.drop(Counters.INGRESS, Counters.Reason.ISOLATION));
        }
        r.add(pass);
        return r;
    }

    static String macSet(String groupId) {
        return NftNames.of("macs", groupId);
    }

    private static List<String> macs(List<MacAddress> macs) {
        return macs.stream().distinct().sorted().map(MacAddress::toString).toList();
    }
}
