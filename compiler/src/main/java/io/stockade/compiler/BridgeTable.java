package io.stockade.compiler;

import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
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
import java.util.stream.Collectors;

/** The L2 table: unknown ports, anti-spoofing, vnic marks and isolation. */
final class BridgeTable {
    private final World world;
    private final List<Vnic> local;
    private final Marks marks;
    private final List<String> uplinks;
    private final boolean isolation;
    private final Set<String> macSets = new TreeSet<>();
    private final DropLog dropLog;
    private final Set<String> counters = new LinkedHashSet<>();
    private final List<NftChain> logChains = new ArrayList<>();

    BridgeTable(World world, List<Vnic> local, Marks marks, List<String> uplinks, DropLog dropLog) {
        this.world = world;
        this.local = local;
        this.marks = marks;
        this.uplinks = uplinks;
        this.isolation = world.policy().isolation();
        this.dropLog = dropLog;
    }

    NftTable build() {
        List<NftChain> chains = new ArrayList<>();
        List<String> srcPorts = new ArrayList<>();
        List<String> dstPorts = new ArrayList<>();
        chains.add(new NftChain("prerouting", "type filter hook prerouting priority -300; policy drop;",
                List.of("iifname @uplinks accept", "iifname vmap @src_port", "counter name " + Counters.UNKNOWN_PORT.name() + " drop")));
        counters.add(Counters.UNKNOWN_PORT.name());
        chains.add(new NftChain("forward", "type filter hook forward priority -100; policy accept;",
                List.of("oifname vmap @dst_port")));
        for (Vnic v : local) {
            String src = NftNames.of("src", v.id());
            String dst = NftNames.of("dst", v.id());
            DropRules drops = new DropRules(v.id(), Compiler.logsDrops(world, v) ? dropLog : null, logChains);
            Counters.of(v.id()).stream().filter(c -> c.family().equals("bridge")).forEach(c -> counters.add(c.name()));
            chains.add(new NftChain(src, null, sourceRules(v, drops)));
            chains.add(new NftChain(dst, null, destinationRules(v, drops)));
            srcPorts.add(NftNames.quote(v.device()) + " : jump " + src);
            dstPorts.add(NftNames.quote(v.device()) + " : jump " + dst);
        }
        chains.addAll(logChains);
        List<NftSet> sets = new ArrayList<>();
        sets.add(new NftSet("uplinks", "ifname", false, uplinks.stream().map(NftNames::quote).toList()));
        sets.add(new NftSet("src_port", "ifname : verdict", false, srcPorts));
        sets.add(new NftSet("dst_port", "ifname : verdict", false, dstPorts));
        if (isolation) {
            sets.add(new NftSet("vnic_macs", "ether_addr", false, macs(world.vnics().values().stream()
                    .filter(v -> v.hostId() != null && Compiler.filtered(world, v)).toList())));
            for (String g : macSets) {
                sets.add(new NftSet(macSet(g), "ether_addr", false, macs(world.members(g).stream().filter(v -> v.hostId() != null).toList())));
            }
        }
        return new NftTable("bridge", Compiler.TABLE, sets, chains, List.copyOf(counters));
    }

    /** Anti-spoofing of what the vnic sends, and its source mark. */
    private List<String> sourceRules(Vnic v, DropRules drops) {
        List<String> r = new ArrayList<>();
        String pass = drops.accept(Counters.EGRESS);
        if (!Compiler.filtered(world, v)) {
            r.add("meta mark set " + marks.src(v.id()));
            r.add(pass);
            return r;
        }
        String spoof = drops.drop(Counters.EGRESS, Counters.Reason.SPOOFING);
        String mac = v.mac().toString();
        List<InetAddress> v4 = v.addresses(IpVersion.V4);
        List<InetAddress> v6 = new ArrayList<>(v.addresses(IpVersion.V6));
        v6.add(Ip.linkLocal(v.mac()));
        r.add("ether saddr != " + mac + " " + spoof);
        r.add("meta mark set " + marks.src(v.id()));
        r.add("arp saddr ether != " + mac + " " + spoof);
        r.add("arp saddr ip != " + set(v4, "0.0.0.0") + " " + spoof);
        r.add("ip saddr 0.0.0.0 udp sport 68 udp dport 67 " + pass);
        r.add((v4.isEmpty() ? "ether type ip " : "ip saddr != " + set(v4, null) + " ") + spoof);
        r.add("ip6 saddr :: icmpv6 type { nd-neighbor-solicit, mld-listener-report, mld2-listener-report } " + pass);
        r.add("ip6 saddr != " + set(v6, null) + " " + spoof);
        r.add("ip protocol udp udp sport { 67, 547 } " + spoof);
        r.add("ip6 nexthdr udp udp sport { 67, 547 } " + spoof);
        r.add("icmpv6 type { nd-router-advert, nd-redirect } " + spoof);
        r.add("ether type != { arp, ip, ip6 } " + spoof);
        r.add(pass);
        return r;
    }

    /** The destination mark, the same-group flag, and isolation: only connected vnics and the outside reach this port. */
    private List<String> destinationRules(Vnic v, DropRules drops) {
        List<String> r = new ArrayList<>();
        String pass = drops.accept(Counters.INGRESS);
        r.add("meta mark set meta mark or " + marks.dst(v.id()));
        if (!isolation) {
            r.add(pass);
            return r;
        }
        List<SecurityGroup> own = world.groupsOf(v);
        for (SecurityGroup g : own) {
            macSets.add(g.id());
            r.add("ether saddr @" + macSet(g.id()) + " meta mark set meta mark or " + Marks.hex(Marks.SAME_GROUP) + " " + pass);
        }
        if (Compiler.filtered(world, v)) {
            for (String g : connectedGroups(own)) {
                macSets.add(g);
                r.add("ether saddr @" + macSet(g) + " " + pass);
            }
            r.add("ether saddr @vnic_macs " + drops.drop(Counters.INGRESS, Counters.Reason.ISOLATION));
        }
        r.add(pass);
        return r;
    }

    /** Groups linked to the vnic's groups by a reference rule, either way (not the vnic's own). */
    private Set<String> connectedGroups(List<SecurityGroup> own) {
        Set<String> ownIds = own.stream().map(SecurityGroup::id).collect(Collectors.toSet());
        Set<String> out = new TreeSet<>();
        for (SecurityGroup g : own) {
            for (Rule rule : g.rules()) {
                if (rule.remote() instanceof Remote.GroupRemote ref && world.groups().containsKey(ref.groupId())) {
                    out.add(ref.groupId());
                }
            }
            out.addAll(world.referencingGroups(g.id()));
        }
        out.removeAll(ownIds);
        return out;
    }

    static String macSet(String groupId) {
        return NftNames.of("macs", groupId);
    }

    private static List<String> macs(List<Vnic> vnics) {
        return vnics.stream().map(Vnic::mac).distinct().sorted().map(io.stockade.core.net.MacAddress::toString).toList();
    }

    private static String set(List<InetAddress> addresses, String extra) {
        Set<String> items = new LinkedHashSet<>();
        addresses.forEach(a -> items.add(Ip.format(a)));
        if (extra != null) {
            items.add(extra);
        }
        return "{ " + String.join(", ", items) + " }";
    }
}
