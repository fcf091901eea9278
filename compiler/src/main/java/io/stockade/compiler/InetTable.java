package io.stockade.compiler;

import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.policy.Policy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The stateful L3/L4 table: flow state, SMTP, same-group access, egress and ingress per vnic. */
final class InetTable {
    private final World world;
    private final List<Vnic> local;
    private final Marks marks;
    private final Policy policy;
    /** Named address sets (references and ip sets) the rules use, by set name. */
    private final Map<String, NftSet> addressSets = new TreeMap<>();
    private final DropLog dropLog;
    private final List<NftChain> logChains = new ArrayList<>();

    InetTable(World world, List<Vnic> local, Marks marks, DropLog dropLog) {
        this.world = world;
        this.local = local;
        this.marks = marks;
        this.policy = world.policy();
        this.dropLog = dropLog;
    }

    NftTable build() {
        List<NftChain> chains = new ArrayList<>();
        List<NftSet> sets = new ArrayList<>();
        List<String> egress = new ArrayList<>();
        List<String> ingress = new ArrayList<>();
        List<String> egressStateless = new ArrayList<>();
        List<String> ingressStateless = new ArrayList<>();
        List<String> smtp = new ArrayList<>();
        List<String> counters = new ArrayList<>();
        for (Vnic v : local) {
            Counters.of(v.id()).stream().filter(c -> c.family().equals("inet")).forEach(c -> counters.add(c.name()));
            if (Compiler.mode(world, v) != FirewallMode.SECURITY_GROUPS) {
                continue;
            }
            boolean stateful = Compiler.stateful(world, v);
            String eg = NftNames.of("eg", v.id());
            String in = NftNames.of("in", v.id());
            RuleSets egSets = new RuleSets(world, eg, Direction.EGRESS, addressSets);
            RuleSets inSets = new RuleSets(world, in, Direction.INGRESS, addressSets);
            DropRules drops = new DropRules(v.id(), Compiler.logsDrops(world, v) ? dropLog : null, logChains);
            chains.add(new NftChain(eg, null, direction(v, Direction.EGRESS, egSets, drops)));
            chains.add(new NftChain(in, null, direction(v, Direction.INGRESS, inSets, drops)));
            sets.addAll(egSets.sets());
            sets.addAll(inSets.sets());
            (stateful ? egress : egressStateless).add(marks.src(v.id()) + " : jump " + eg);
            (stateful ? ingress : ingressStateless).add(marks.dst(v.id()) + " : jump " + in);
            boolean smtpAllowed = Optional.ofNullable(world.projects().get(v.projectId())).map(Project::smtpAllowed).orElse(false);
            if (policy.smtpBlock() && !smtpAllowed) {
                smtp.add(marks.src(v.id()) + " : jump smtp");
            }
        }
        chains.addAll(logChains);
        List<String> forward = new ArrayList<>();
        forward.add("icmpv6 type { 130, 131, 132, 133, 134, 135, 136, 143 } accept");
        if (policy.smtpBlock()) {
            forward.add("meta mark and " + Marks.hex(Marks.SRC_MASK) + " vmap @smtp");
            chains.add(new NftChain("smtp", null, List.of("tcp dport 25 drop")));
        }
        if (policy.isolation()) {
            forward.add("meta mark and " + Marks.hex(Marks.SAME_GROUP) + " == " + Marks.hex(Marks.SAME_GROUP) + " accept");
        }
        forward.add("meta mark and " + Marks.hex(Marks.SRC_MASK) + " vmap @egress_stateless");
        forward.add("meta mark and " + Marks.hex(Marks.DST_MASK) + " vmap @ingress_stateless");
        forward.add("ct state established,related accept");
        forward.add("meta mark and " + Marks.hex(Marks.SRC_MASK) + " vmap @egress");
        forward.add("meta mark and " + Marks.hex(Marks.DST_MASK) + " vmap @ingress");
        chains.add(0, new NftChain("forward", "type filter hook forward priority 0; policy accept;", forward));
        List<NftSet> all = new ArrayList<>();
        all.add(new NftSet("egress", "mark : verdict", false, egress));
        all.add(new NftSet("ingress", "mark : verdict", false, ingress));
        all.add(new NftSet("egress_stateless", "mark : verdict", false, egressStateless));
        all.add(new NftSet("ingress_stateless", "mark : verdict", false, ingressStateless));
        if (policy.smtpBlock()) {
            all.add(new NftSet("smtp", "mark : verdict", false, smtp));
        }
        all.addAll(addressSets.values());
        all.addAll(sets);
        return new NftTable("inet", Compiler.TABLE, all, chains, counters);
    }

    /** One direction of a vnic: infrastructure exceptions, no-group policy, rules, default. */
    private List<String> direction(Vnic v, Direction d, RuleSets sets, DropRules drops) {
        List<String> r = new ArrayList<>();
        if (policy.dhcpDnsAllowed()) {
            world.network(v.networkId()).ifPresent(n -> r.addAll(infrastructure(n, d)));
        }
        List<SecurityGroup> groups = world.groupsOf(v);
        if (groups.isEmpty()) {
            boolean allowed = policy.noGroup() == Policy.NoGroup.ALLOW_ALL
                    || (d == Direction.EGRESS && policy.noGroup() == Policy.NoGroup.DROP_INGRESS);
            if (!allowed) {
                r.add(drops.drop(d == Direction.EGRESS ? Counters.EGRESS : Counters.INGRESS, Counters.Reason.NO_RULE));
            }
            return r;
        }
        for (SecurityGroup g : groups) {
            g.rules().stream().filter(rule -> rule.direction() == d).forEach(sets::add);
        }
        r.addAll(sets.lines());
        Policy.Default dflt = d == Direction.EGRESS ? policy.egressDefault() : policy.ingressDefault();
        boolean drop = switch (dflt) {
            case ALLOW -> false;
            case DROP -> true;
            case DROP_IF_RULES -> groups.stream().anyMatch(g -> g.hasRules(d));
        };
        if (drop) {
            r.add(drops.drop(d == Direction.EGRESS ? Counters.EGRESS : Counters.INGRESS, Counters.Reason.NO_RULE));
        }
        return r;
    }

    /** DHCP and DNS with the network's own servers. */
    private static List<String> infrastructure(Network n, Direction d) {
        List<String> r = new ArrayList<>();
        List<InetAddress> dhcp4 = of(n.dhcpServers(), IpVersion.V4);
        List<InetAddress> dhcp6 = of(n.dhcpServers(), IpVersion.V6);
        List<InetAddress> dns4 = of(n.dnsServers(), IpVersion.V4);
        List<InetAddress> dns6 = of(n.dnsServers(), IpVersion.V6);
        if (d == Direction.EGRESS) {
            r.add("udp dport 67 ip daddr " + set(dhcp4, "255.255.255.255") + " return");
            r.add("udp dport 547 ip6 daddr " + set(dhcp6, "ff02::1:2") + " return");
            if (!dns4.isEmpty()) {
                r.add("meta l4proto { tcp, udp } th dport 53 ip daddr " + set(dns4, null) + " return");
            }
            if (!dns6.isEmpty()) {
                r.add("meta l4proto { tcp, udp } th dport 53 ip6 daddr " + set(dns6, null) + " return");
            }
        } else {
            if (!dhcp4.isEmpty()) {
                r.add("udp sport { 67, 547 } ip saddr " + set(dhcp4, null) + " return");
            }
            if (!dhcp6.isEmpty()) {
                r.add("udp sport { 67, 547 } ip6 saddr " + set(dhcp6, null) + " return");
            }
            if (!dns4.isEmpty()) {
                r.add("meta l4proto { tcp, udp } th sport 53 ip saddr " + set(dns4, null) + " return");
            }
            if (!dns6.isEmpty()) {
                r.add("meta l4proto { tcp, udp } th sport 53 ip6 saddr " + set(dns6, null) + " return");
            }
        }
        return r;
    }

    private static List<InetAddress> of(List<InetAddress> all, IpVersion v) {
        return all.stream().filter(a -> Ip.version(a) == v).toList();
    }

    private static String set(List<InetAddress> addresses, String extra) {
        List<String> items = new ArrayList<>(addresses.stream().map(Ip::format).toList());
        if (extra != null) {
            items.add(extra);
        }
        return "{ " + String.join(", ", items) + " }";
    }

    /** The named set of an ip set's CIDRs (largest only, so no two overlap). */
    static NftSet ipSet(IpSet s) {
        List<Cidr> sorted = s.entries().stream().map(IpSet.Entry::cidr).sorted().toList();
        List<String> out = new ArrayList<>();
        Cidr kept = null;
        for (Cidr c : sorted) {
            if (kept == null || !kept.contains(c)) {
                out.add(RuleSets.address(c));
                kept = c;
            }
        }
        return new NftSet(NftNames.of("ips", s.id()), s.version() == IpVersion.V4 ? "ipv4_addr" : "ipv6_addr", true, out);
    }
}
