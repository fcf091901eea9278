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
import java.util.Set;
import java.util.TreeMap;

/**
 * The stateful L3/L4 table: flow state, SMTP, isolation of new flows that took the bridge's fast
 * path, same-group access, egress and ingress per vnic. A packet meets its source vnic's egress
 * through its source MAC (anti-spoofed by the bridge, unique among vnics) and its destination
 * vnic's ingress through its destination MAC (fast path: the bridge checked that port, MAC and
 * address belong to that vnic) or through the mark the bridge's per-port chain set (every other
 * frame, such as a broadcast, which reaches several ports).
 *
 * <p>Isolation of a fast-path flow is judged here once, before anything else can let it through:
 * at the head of the destination's ingress chain when no vnic of the host has an egress chain (a
 * same-group packet then meets no rule before it), else in a chain of its own ({@code iso_<vnic>})
 * dispatched before the egress chains.
 */
final class InetTable {
    private final World world;
    private final List<Vnic> local;
    private final Marks marks;
    private final Policy policy;
    private final CompileCache cache;
    private final MacSets macSets;
    /** Named address sets (references and ip sets) the rules use, by set name. */
    private final Map<String, NftSet> addressSets = new TreeMap<>();
    private final Set<Network> usedNetworks = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The groups whose sets are already in. */
    private final Set<SecurityGroup> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The compiled rules of the local vnics' groups whose sets the table holds, in the order first used. */
    private final List<RuleSets.Compiled> ruleSets = new ArrayList<>();

    private final DropLog dropLog;

    /** The elements of the verdict maps that send a packet to a vnic's chain by its destination: by mark and by MAC. */
    private record ToDestination(List<NftElement> byMark, List<NftElement> byMac) {
        ToDestination() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        void add(Marks marks, Vnic v, Verdict verdict) {
            byMark.add(NftElement.of(Marks.hex(marks.dst(v.id()))).to(verdict));
            byMac.add(InetTable.byMac(v, verdict));
        }

        boolean isEmpty() {
            return byMark.isEmpty();
        }
    }

    InetTable(World world, List<Vnic> local, Marks marks, MacSets macSets, DropLog dropLog, CompileCache cache) {
        this.dropLog = dropLog;
        this.world = world;
        this.local = local;
        this.marks = marks;
        this.policy = world.policy();
        this.cache = cache;
        this.macSets = macSets;
    }

    NftTable build() {
        List<NftChain> chains = new ArrayList<>();
        List<NftElement> egress = new ArrayList<>();
        List<NftElement> egressStateless = new ArrayList<>();
        ToDestination ingress = new ToDestination();
        ToDestination ingressStateless = new ToDestination();
        List<NftElement> isolated = new ArrayList<>();
        List<NftElement> smtp = new ArrayList<>();
        DropRules drops = new DropRules(dropLog);
        for (String d : List.of(Counters.EGRESS, Counters.INGRESS)) {
            String keyType = d.equals(Counters.EGRESS) ? "ether_addr" : "mark";
            for (Counters.Reason r : List.of(Counters.Reason.ISOLATION, Counters.Reason.INVALID, Counters.Reason.NO_RULE)) {
                if (d.equals(Counters.INGRESS) || r != Counters.Reason.ISOLATION) {
                    drops.set(Counters.dropSet("inet", d, r), keyType);
                }
            }
        }
        List<List<Counters.Tally>> tallies = new ArrayList<>();
        List<Vnic> judged = local.stream().filter(v -> Compiler.mode(world, v) != FirewallMode.PASSTHROUGH).toList();
        // Isolation heads the ingress chains unless some egress chain would judge a packet before them.
        boolean separate = policy.isolation() && judged.stream().anyMatch(v -> hasRules(v) && policy.filters(Direction.EGRESS, world.groupsOf(v)));
        for (Vnic v : judged) {
            CompileCache.VnicNames names = cache.names(v);
            boolean rules = hasRules(v);
            boolean stateful = Compiler.stateful(world, v);
            List<SecurityGroup> groups = rules ? world.groupsOf(v) : List.of();
            Network network = rules ? world.network(v.networkId()).orElse(null) : null;
            MacSets.Peers peers = macSets.peers(v, true);
            if (rules) {
                useSets(groups, network);
            }
            boolean logs = Compiler.logsDrops(world, v);
            long mark = marks.dst(v.id());
            String mac = v.mac().toString();
            tallies.add(cache.made("tally inet " + v.id(), List.of(mac, mark), () -> Counters.inet(v.id(), mac, mark)));
            List<Object> inputs = List.of(v, groups, Optional.ofNullable(network), policy, separate);
            boolean isolates = policy.isolation();
            boolean folded = isolates && !separate;
            if (isolates) {
                drops.add(Counters.flowIsolation(v.id()), Marks.hex(mark));
            }
            if (isolates && separate) {
                // Drop-log chains are made along with the rules that go to them: those rules are made afresh.
                chains.add(new NftChain(names.iso(), null, cache.made(names.iso(), List.of(v, mark, peers.own(), peers.connected()), !logs,
                        () -> isolation(v, mark, peers, drops, logs))));
                isolated.add(byMac(v, new Verdict.Jump(names.iso())));
            }
            boolean dropsInvalid = stateful && policy.dropInvalid();
            // A direction that drops nothing is not dispatched at all: its packets walk no chain.
            if (rules && policy.filters(Direction.EGRESS, groups)) {
                drops.add(Counters.drop(v.id(), Counters.EGRESS, Counters.Reason.NO_RULE), mac);
                if (dropsInvalid) {
                    drops.add(Counters.drop(v.id(), Counters.EGRESS, Counters.Reason.INVALID), mac);
                }
                chains.add(new NftChain(names.eg(), null, cache.made(names.eg(), inputs, !logs,
                        () -> direction(v, mark, groups, network, Direction.EGRESS, stateful, drops, logs))));
                (stateful ? egress : egressStateless).add(byMac(v, new Verdict.Jump(names.eg())));
            }
            boolean ingressRules = rules && policy.filters(Direction.INGRESS, groups);
            if (ingressRules) {
                drops.add(Counters.drop(v.id(), Counters.INGRESS, Counters.Reason.NO_RULE), Marks.hex(mark));
                if (dropsInvalid) {
                    drops.add(Counters.drop(v.id(), Counters.INGRESS, Counters.Reason.INVALID), Marks.hex(mark));
                }
            }
            if (ingressRules || folded) {
                chains.add(new NftChain(names.in(), null, cache.made(names.in(), List.of(inputs, mark, peers.own(), peers.connected()), !logs, () -> {
                    List<NftRule> r = new ArrayList<>(folded ? isolation(v, mark, peers, drops, logs) : List.of());
                    if (ingressRules) {
                        r.addAll(direction(v, mark, groups, network, Direction.INGRESS, stateful, drops, logs));
                    }
                    return r;
                })));
                // Stateless chains come before the established shortcut and return to the egress chains after them.
                if (stateful || !rules) {
                    ingress.add(marks, v, new Verdict.Goto(names.in()));
                } else {
                    ingressStateless.add(marks, v, new Verdict.Jump(names.in()));
                }
            }
            boolean smtpAllowed = Optional.ofNullable(world.projects().get(v.projectId())).map(Project::smtpAllowed).orElse(false);
            if (rules && policy.smtpBlock() && !smtpAllowed) {
                smtp.add(byMac(v, new Verdict.Jump("smtp")));
            }
        }
        chains.addAll(drops.logChains());
        List<NftRule> forward = new ArrayList<>();
        NftRule established = NftRule.of(Verdict.ACCEPT, NftRule.is("ct state", "established,related"));
        // Without stateless vnics, replies and continuations leave at the first rule.
        boolean stateless = !egressStateless.isEmpty() || !ingressStateless.isEmpty();
        if (!stateless) {
            forward.add(established);
        }
        forward.add(NftRule.of(Verdict.ACCEPT, NftRule.is("icmpv6 type", "{ 130, 131, 132, 133, 134, 135, 136, 143 }")));
        if (policy.smtpBlock()) {
            forward.add(NftRule.of(new Verdict.Vmap("ether saddr", "smtp")));
            chains.add(new NftChain("smtp", null, List.of(NftRule.of(Verdict.DROP, NftRule.is("tcp dport", "25")))));
        }
        if (policy.isolation()) {
            // Frames of the bridge's per-port chains had their isolation judged there.
            forward.add(NftRule.of(Verdict.ACCEPT, NftRule.eq("meta mark and " + Marks.hex(Marks.SAME_GROUP), Marks.hex(Marks.SAME_GROUP))));
            if (separate) {
                forward.add(NftRule.of(new Verdict.Vmap("ether daddr", "isolation"), UNMARKED));
            }
        }
        if (stateless) {
            bySource(forward, egressStateless, "egress_stateless");
            byDestination(forward, ingressStateless, "ingress_stateless");
            forward.add(established);
        }
        bySource(forward, egress, "egress");
        byDestination(forward, ingress, "ingress");
        chains.add(0, new NftChain("forward", new NftChain.Base("filter", "forward", 0, "accept"), forward));
        List<NftSet> all = new ArrayList<>();
        all.add(new NftSet("tcp_udp", NftSet.Type.of("inet_proto"), false, List.of(NftElement.of("tcp"), NftElement.of("udp"))));
        all.add(new NftSet("dhcp_server_ports", NftSet.Type.of("inet_service"), false, List.of(NftElement.of("67"), NftElement.of("547"))));
        all.add(new NftSet("egress", BY_MAC, false, egress));
        all.add(new NftSet("ingress", BY_MARK, false, ingress.byMark()));
        all.add(new NftSet("ingress_mac", BY_MAC, false, ingress.byMac()));
        all.add(new NftSet("egress_stateless", BY_MAC, false, egressStateless));
        all.add(new NftSet("ingress_stateless", BY_MARK, false, ingressStateless.byMark()));
        all.add(new NftSet("ingress_stateless_mac", BY_MAC, false, ingressStateless.byMac()));
        if (separate) {
            all.add(new NftSet("isolation", BY_MAC, false, isolated));
        }
        if (policy.smtpBlock()) {
            all.add(new NftSet("smtp", BY_MAC, false, smtp));
        }
        all.addAll(drops.sets(cache));
        all.addAll(macSets.sets());
        all.addAll(addressSets.values());
        all.addAll(cache.made("inet rule sets", ruleSets, () -> {
            Map<String, NftSet> byName = new TreeMap<>();
            ruleSets.forEach(c -> c.sets().forEach(s -> byName.putIfAbsent(s.name(), s)));
            return List.copyOf(byName.values());
        }));
        return new NftTable("inet", Compiler.TABLE, all, chains, cache.made("tallies inet", tallies, () -> {
            List<Counters.Tally> flat = new ArrayList<>();
            tallies.forEach(flat::addAll);
            return flat;
        }));
    }

    /** Whether the vnic's groups' rules judge its packets (its network is not isolation-only). */
    private boolean hasRules(Vnic v) {
        return Compiler.mode(world, v) == FirewallMode.SECURITY_GROUPS;
    }

    /**
     * Isolation of a new flow to the vnic that came by the bridge's fast path, as the bridge's
     * per-port chain judges every other frame: a member of one of its groups has full access; any
     * other vnic is dropped unless a connected group holds it; a connected vnic and the outside go
     * on (to the rules, or on from this vnic's own isolation chain).
     */
    private List<NftRule> isolation(Vnic v, long mark, MacSets.Peers peers, DropRules drops, boolean logs) {
        List<NftRule> r = new ArrayList<>();
        for (SecurityGroup g : peers.own()) {
            r.add(NftRule.of(Verdict.ACCEPT, NftRule.in("ether saddr", MacSets.of(g.id()))));
        }
        List<NftRule.Expr> isolated = new ArrayList<>();
        isolated.add(NftRule.in("ether saddr", "vnic_macs"));
        peers.connected().forEach(c -> isolated.add(NftRule.notIn("ether saddr", MacSets.of(c))));
        r.add(dropByMark(drops, Counters.flowIsolation(v.id()), mark, logs).after(isolated.toArray(NftRule.Expr[]::new)));
        return r;
    }

    private static final NftSet.Type BY_MAC = NftSet.Type.of("ether_addr").to("verdict");
    private static final NftSet.Type BY_MARK = NftSet.Type.of("mark").to("verdict");
    /** Frames of the fast path, which carry no mark. */
    private static final NftRule.Match UNMARKED = NftRule.is("meta mark", "0");

    private static NftElement byMac(Vnic v, Verdict verdict) {
        return NftElement.of(v.mac().toString()).to(verdict);
    }

    /** The lookup that sends packets to the vnics' chains of one direction by their source MAC, when some vnic has such a chain. */
    private static void bySource(List<NftRule> forward, List<NftElement> elements, String map) {
        if (!elements.isEmpty()) {
            forward.add(NftRule.of(new Verdict.Vmap("ether saddr", map)));
        }
    }

    /**
     * The lookups that send packets to the vnics' chains by their destination: a frame of the
     * fast path (no mark) by its MAC, any other by its mark.
     */
    private static void byDestination(List<NftRule> forward, ToDestination elements, String map) {
        if (!elements.isEmpty()) {
            forward.add(NftRule.of(new Verdict.Vmap("ether daddr", map + "_mac"), UNMARKED));
            forward.add(NftRule.of(new Verdict.Vmap("meta mark and " + Marks.hex(Marks.DST_MASK), map), NftRule.not("meta mark", "0")));
        }
    }

    /** The sets a vnic's chains name: its groups' rule sets and the address sets they use, its network's servers. */
    private void useSets(List<SecurityGroup> groups, Network network) {
        for (SecurityGroup g : groups) {
            if (!used.add(g)) {
                continue;
            }
            CompileCache.GroupSets gs = cache.of(g, world.ipSets());
            for (Direction d : Direction.values()) {
                if (policy.defaultFor(d) == Policy.Default.ALLOW) {
                    continue; // no chain of this direction looks anything up (see Policy.filters)
                }
                ruleSets.add(gs.of(d));
                gs.of(d).addressSets().forEach(a -> addressSets.computeIfAbsent(a.name(), n -> addressSet(a)));
            }
        }
        if (network != null && policy.dhcpDnsAllowed() && usedNetworks.add(network)) {
            addServerSet("dhcp4", network, network.dhcpServers(), IpVersion.V4);
            addServerSet("dhcp6", network, network.dhcpServers(), IpVersion.V6);
            addServerSet("dns4", network, network.dnsServers(), IpVersion.V4);
            addServerSet("dns6", network, network.dnsServers(), IpVersion.V6);
        }
    }

    /**
     * One direction of a vnic that {@link Policy#filters drops something}: when stateful and the profile
     * drops invalid packets, the drop of what connection tracking finds invalid; infrastructure
     * exceptions, rules, then the drop.
     */
    private List<NftRule> direction(Vnic v, long mark, List<SecurityGroup> groups, Network network, Direction d, boolean stateful, DropRules drops,
            boolean logs) {
        String dir = d == Direction.EGRESS ? Counters.EGRESS : Counters.INGRESS;
        List<NftRule> r = new ArrayList<>();
        if (stateful && policy.dropInvalid()) {
            r.add(drop(drops, v, mark, dir, Counters.Reason.INVALID, logs).after(NftRule.is("ct state", "invalid")));
        }
        if (policy.dhcpDnsAllowed() && network != null) {
            r.addAll(infrastructure(network, d));
        }
        for (SecurityGroup g : groups) {
            r.addAll(cache.of(g, world.ipSets()).of(d).lines());
        }
        r.add(drop(drops, v, mark, dir, Counters.Reason.NO_RULE, logs));
        return r;
    }

    /** A drop of the vnic's chain of one direction, counted on its element of the drop set: by source MAC on egress, by its mark on ingress. */
    private static NftRule drop(DropRules drops, Vnic v, long mark, String direction, Counters.Reason reason, boolean logs) {
        Counters.Counter c = Counters.drop(v.id(), direction, reason);
        return direction.equals(Counters.EGRESS) ? drops.drop(c, "ether saddr", logs) : dropByMark(drops, c, mark, logs);
    }

    /**
     * A drop of a packet to the vnic, by the vnic's mark: a packet of the fast path carries none
     * (its destination MAC is the vnic's, but a broadcast's is not), so the mark is set first; the
     * packet is dropped, so no one reads it after.
     */
    private static NftRule dropByMark(DropRules drops, Counters.Counter c, long mark, boolean logs) {
        return drops.drop(c, "meta mark", logs).after(new NftRule.MarkSet(mark));
    }

    private NftSet addressSet(RuleSets.AddressSet a) {
        return switch (a) {
            case RuleSets.AddressSet.Reference ref -> {
                CompileCache.SetName set = cache.setName(ref);
                // The world keeps a group's member list the same object while no member changes.
                yield new NftSet(set.name(), addressType(ref.version()), false,
                        cache.made(set.key(), List.of(world.members(ref.groupId())),
                                () -> world.memberAddresses(ref.groupId(), ref.version()).stream().map(Ip::format).sorted().map(NftElement::of).toList()));
            }
            case RuleSets.AddressSet.Entries e -> ipSet(world.ipSets().get(e.ipSetId()));
        };
    }

    /**
     * DHCP and DNS with the network's own servers, whose addresses are elements of the network's
     * named sets (no anonymous set per vnic).
     */
    private List<NftRule> infrastructure(Network n, Direction d) {
        List<NftRule> r = new ArrayList<>();
        String dhcp4 = serverSet("dhcp4", n, n.dhcpServers(), IpVersion.V4);
        String dhcp6 = serverSet("dhcp6", n, n.dhcpServers(), IpVersion.V6);
        String dns4 = serverSet("dns4", n, n.dnsServers(), IpVersion.V4);
        String dns6 = serverSet("dns6", n, n.dnsServers(), IpVersion.V6);
        if (d == Direction.EGRESS) {
            r.add(allow(NftRule.is("udp dport", "67"), NftRule.is("ip daddr", "255.255.255.255")));
            r.add(allow(NftRule.is("udp dport", "547"), NftRule.is("ip6 daddr", "ff02::1:2")));
            if (dhcp4 != null) {
                r.add(allow(NftRule.is("udp dport", "67"), NftRule.in("ip daddr", dhcp4)));
            }
            if (dhcp6 != null) {
                r.add(allow(NftRule.is("udp dport", "547"), NftRule.in("ip6 daddr", dhcp6)));
            }
            if (dns4 != null) {
                r.add(allow(TCP_UDP, NftRule.is("th dport", "53"), NftRule.in("ip daddr", dns4)));
            }
            if (dns6 != null) {
                r.add(allow(TCP_UDP, NftRule.is("th dport", "53"), NftRule.in("ip6 daddr", dns6)));
            }
        } else {
            if (dhcp4 != null) {
                r.add(allow(DHCP_SERVER, NftRule.in("ip saddr", dhcp4)));
            }
            if (dhcp6 != null) {
                r.add(allow(DHCP_SERVER, NftRule.in("ip6 saddr", dhcp6)));
            }
            if (dns4 != null) {
                r.add(allow(TCP_UDP, NftRule.is("th sport", "53"), NftRule.in("ip saddr", dns4)));
            }
            if (dns6 != null) {
                r.add(allow(TCP_UDP, NftRule.is("th sport", "53"), NftRule.in("ip6 saddr", dns6)));
            }
        }
        return r;
    }

    private static final NftRule.Match TCP_UDP = NftRule.in("meta l4proto", "tcp_udp");
    private static final NftRule.Match DHCP_SERVER = NftRule.in("udp sport", "dhcp_server_ports");

    /** A rule of a vnic's chain that lets its packets on. */
    private static NftRule allow(NftRule.Expr... matches) {
        return NftRule.of(Verdict.RETURN, matches);
    }

    private static NftSet.Type addressType(IpVersion v) {
        return NftSet.Type.of(v == IpVersion.V4 ? "ipv4_addr" : "ipv6_addr");
    }

    /** The name of the network's set of servers of one kind and version, or null when it has none. */
    private static String serverSet(String kind, Network n, List<InetAddress> all, IpVersion v) {
        return all.stream().anyMatch(a -> Ip.version(a) == v) ? NftNames.of(kind, n.id()) : null;
    }

    /** The network's set of servers of one kind and version, among the table's sets (none when it has none). */
    private void addServerSet(String kind, Network n, List<InetAddress> all, IpVersion v) {
        String name = serverSet(kind, n, all, v);
        if (name != null) {
            addressSets.put(name, new NftSet(name, addressType(v), false,
                    all.stream().filter(a -> Ip.version(a) == v).map(Ip::format).distinct().sorted().map(NftElement::of).toList()));
        }
    }

    /** The named set of an ip set's CIDRs (largest only, so no two overlap). */
    static NftSet ipSet(IpSet s) {
        List<Cidr> sorted = s.entries().stream().map(IpSet.Entry::cidr).sorted().toList();
        List<NftElement> out = new ArrayList<>();
        Cidr kept = null;
        for (Cidr c : sorted) {
            if (kept == null || !kept.contains(c)) {
                out.add(NftElement.of(RuleSets.address(c)));
                kept = c;
            }
        }
        return new NftSet(NftNames.of("ips", s.id()), addressType(s.version()), true, out);
    }
}
