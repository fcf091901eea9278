package io.stockade.core.testing;

import io.stockade.core.eval.Endpoint;
import io.stockade.core.eval.FlowState;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.core.policy.Policy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random small worlds and packets over a fixed address plan (192.0.2.0/24, 2001:db8:1::/64, and
 * outside hosts in 198.51.100.0/24 / 203.0.113.0/24), seeded for reproducibility. Shared by the
 * evaluator's property tests and the dataplane's differential tests.
 */
public final class RandomWorlds {
    public static final List<String> PROFILES = List.of(Policy.WAKAME, Policy.OPENSTACK, Policy.CLOUDSTACK, Policy.VPS_PANEL);
    private static final int[] PORTS = {22, 25, 53, 80, 443, 3306, 8080};
    private static final String[] OUTSIDE = {"198.51.100.7", "203.0.113.9", "2001:db8:2::7"};

    private RandomWorlds() {}

    /** Worlds as a jqwik arbitrary (seeded generation, shrinks by seed). */
    public static Arbitrary<World> worlds() {
        return Arbitraries.longs().map(seed -> world(new Random(seed), PROFILES.get((int) Math.floorMod(seed, PROFILES.size()))));
    }

    /**
     * A world of 3-5 groups and 3-6 vnics on one host, with random rules and references. Now and
     * then a knob the profile leaves alone is turned (isolation on or off, egress dropped unless
     * allowed, invalid packets dropped or judged by the rules), the groups are stateless, the network is isolation-only, or a vnic has port
     * security off.
     */
    public static World world(Random r, String profile) {
        Policy policy = Policy.profile(profile);
        if (r.nextInt(5) == 0) {
            policy = policy.with("isolation", Boolean.toString(!policy.isolation()));
        }
        if (r.nextInt(5) == 0) {
            policy = policy.with("egressDefault", "drop");
        }
        if (r.nextInt(4) == 0) {
            policy = policy.with("dropInvalid", Boolean.toString(!policy.dropInvalid()));
        }
        TestWorld tw = TestWorld.with(policy);
        if (r.nextInt(8) == 0) {
            tw.networkMode(FirewallMode.ISOLATION_ONLY);
        }
        // A vnic never mixes stateful and stateless groups (the API refuses it), so a world's groups are all one or the other.
        boolean stateless = r.nextInt(6) == 0;
        int groups = 3 + r.nextInt(3);
        List<String> ids = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            ids.add("sg-g" + g);
        }
        for (String id : ids) {
            Rule[] rules = rules(r, ids).toArray(Rule[]::new);
            if (stateless) {
                tw.statelessGroup(id, rules);
            } else {
                tw.group(id, rules);
            }
        }
        int vnics = 3 + r.nextInt(4);
        for (int v = 0; v < vnics; v++) {
            LinkedHashSet<String> mine = new LinkedHashSet<>();
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) {
                mine.add(ids.get(r.nextInt(ids.size())));
            }
            if (r.nextInt(10) == 0) {
                tw.unfilteredVnic("vif-v" + v, mine.toArray(String[]::new));
            } else {
                tw.vnic("vif-v" + v, mine.toArray(String[]::new));
            }
        }
        return tw.build();
    }

    public static List<Rule> rules(Random r, List<String> groups) {
        LinkedHashSet<Rule.Key> keys = new LinkedHashSet<>();
        List<Rule> out = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            Rule rule = rule(r, groups, "sgr-r" + r.nextInt(1_000_000));
            if (keys.add(rule.key())) {
                out.add(rule);
            }
        }
        return out;
    }

    public static Rule rule(Random r, List<String> groups, String id) {
        IpVersion v = r.nextInt(4) == 0 ? IpVersion.V6 : IpVersion.V4;
        Direction d = r.nextInt(4) == 0 ? Direction.EGRESS : Direction.INGRESS;
        Match m = switch (r.nextInt(5)) {
            case 0 -> new Match.AnyProtocol();
            case 1 -> new Match.Icmp(r.nextBoolean() ? -1 : 8, -1);
            case 2 -> new Match.Ports(Match.UDP, 53, 53);
            default -> {
                int a = PORTS[r.nextInt(PORTS.length)];
                yield r.nextBoolean() ? new Match.Ports(Match.TCP, a, a) : new Match.Ports(Match.TCP, Math.min(a, 1000), Math.max(a, 1000));
            }
        };
        Remote remote = switch (r.nextInt(3)) {
            case 0 -> new Remote.GroupRemote(groups.get(r.nextInt(groups.size())));
            default -> new Remote.CidrRemote(v == IpVersion.V4
                    ? Cidr.parse(List.of("0.0.0.0/0", "192.0.2.0/24", "198.51.100.0/24", "192.0.2.10/32").get(r.nextInt(4)), "cidr")
                    : Cidr.parse(List.of("::/0", "2001:db8:1::/64", "2001:db8:2::/48").get(r.nextInt(3)), "cidr"));
        };
        return new Rule(id, d, v, m, remote, "");
    }

    /** A random packet between two vnics, or between a vnic and the outside, new or in a flow. */
    public static Packet packet(World w, Random r) {
        List<Vnic> vnics = new ArrayList<>(w.vnics().values());
        Vnic a = vnics.get(r.nextInt(vnics.size()));
        Vnic b = vnics.get(r.nextInt(vnics.size()));
        while (b.equals(a) && vnics.size() > 1) {
            b = vnics.get(r.nextInt(vnics.size()));
        }
        IpVersion v = r.nextInt(3) == 0 ? IpVersion.V6 : IpVersion.V4;
        int shape = r.nextInt(4);
        Endpoint from = Endpoint.vnic(a.id());
        Endpoint to = Endpoint.vnic(b.id());
        InetAddress src = a.addresses(v).get(0);
        InetAddress dst = b.addresses(v).get(0);
        var srcMac = a.mac();
        var dstMac = b.mac();
        if (shape == 1) {
            from = Endpoint.outside();
            srcMac = TestWorld.OUTSIDE_MAC;
            src = TestWorld.ip(v == IpVersion.V4 ? OUTSIDE[r.nextInt(2)] : OUTSIDE[2]);
        } else if (shape == 2) {
            to = Endpoint.outside();
            dstMac = TestWorld.OUTSIDE_MAC;
            dst = TestWorld.ip(v == IpVersion.V4 ? OUTSIDE[r.nextInt(2)] : OUTSIDE[2]);
        }
        Packet p = switch (r.nextInt(4)) {
            case 0 -> Packet.icmp(from, to, srcMac, dstMac, src, dst, v == IpVersion.V4 ? 8 : 128, 0);
            case 1 -> Packet.udp(from, to, srcMac, dstMac, src, dst, 40000 + r.nextInt(1000), 53);
            default -> Packet.tcp(from, to, srcMac, dstMac, src, dst, 40000 + r.nextInt(1000), PORTS[r.nextInt(PORTS.length)]);
        };
        return switch (r.nextInt(6)) {
            case 0 -> p.withState(FlowState.ESTABLISHED);
            case 1 -> p.reversed().withState(FlowState.REPLY);
            case 2 -> invalid(p);
            default -> p;
        };
    }

    /**
     * A packet connection tracking finds invalid, of the shape of {@code p}: a TCP segment without
     * flags (from a source port 1000 higher, so of no flow {@code p} opened), or an ICMP port
     * unreachable that quotes no tracked flow; a UDP packet stays new (no UDP packet of a sane
     * length is invalid).
     */
    public static Packet invalid(Packet p) {
        if (p.protocol() == Match.TCP) {
            return new Packet(p.from(), p.to(), p.kind(), p.srcMac(), p.dstMac(), p.srcIp(), p.dstIp(), p.protocol(), p.srcPort() + 1000,
                    p.dstPort(), p.icmpType(), p.icmpCode(), FlowState.INVALID);
        }
        if (p.isIcmp()) {
            boolean v4 = p.protocol() == Match.ICMP;
            return Packet.icmp(p.from(), p.to(), p.srcMac(), p.dstMac(), p.srcIp(), p.dstIp(), v4 ? 3 : 1, v4 ? 3 : 4);
        }
        return p;
    }

    /** The world with one more rule in one group. */
    public static World withExtraRule(World w, Random r) {
        List<String> ids = new ArrayList<>(w.groups().keySet());
        SecurityGroup g = w.groups().get(ids.get(r.nextInt(ids.size())));
        Rule extra = rule(r, ids, "sgr-extra");
        if (g.rules().stream().anyMatch(x -> x.key().equals(extra.key()))) {
            return w;
        }
        List<Rule> rules = new ArrayList<>(g.rules());
        rules.add(extra);
        return w.toBuilder().group(g.withRules(rules)).build();
    }
}
