package io.stockade.bench;

import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Match;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic large world: {@code vnics} vnics spread over {@code hosts} hosts, {@code groups}
 * groups of {@code rulesPerGroup} rules each (port rules from CIDRs, every tenth a reference),
 * each vnic in two groups. With {@code tenants} above one, everything is split into that many
 * tenants of equal size, each with its own network, hosts and groups, whose references stay
 * within the tenant: growing the tenant count grows the world and leaves each host's slice alone.
 */
final class BigWorld {
    private BigWorld() {}

    static World build(int vnics, int hosts, int groups, int rulesPerGroup) {
        return build(vnics, hosts, groups, rulesPerGroup, 1);
    }

    /** A world from a size {@code VNICS:HOSTS:GROUPS:RULES[:TENANTS]}. */
    static World parse(String size) {
        String[] p = size.split(":");
        if (p.length != 4 && p.length != 5) {
            throw new IllegalArgumentException("size '" + size + "': expected VNICS:HOSTS:GROUPS:RULES[:TENANTS]");
        }
        return build(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
                p.length == 5 ? Integer.parseInt(p[4]) : 1);
    }

    static World build(int vnics, int hosts, int groups, int rulesPerGroup, int tenants) {
        if (tenants < 1 || vnics % tenants != 0 || hosts % tenants != 0 || groups % tenants != 0) {
            throw new IllegalArgumentException("tenants " + tenants + " must divide vnics, hosts and groups");
        }
        int tenantVnics = vnics / tenants;
        int tenantHosts = hosts / tenants;
        int tenantGroups = groups / tenants;
        Random r = new Random(42);
        World.Builder b = World.builder().policy(Policy.wakame()).revision(1);
        b.project(new Project("p-bench", "bench", false));
        for (int t = 0; t < tenants; t++) {
            b.network(new Network(network(t), "bench", List.of(Cidr.parse("10.0.0.0/8", "c")), List.of(), List.of(), List.of(), List.of(),
                    FirewallMode.SECURITY_GROUPS));
        }
        for (int h = 0; h < hosts; h++) {
            b.host(new Host("h-" + h, "hv" + h, "br0", List.of("uplink0")));
        }
        for (int g = 0; g < groups; g++) {
            int tenantBase = g / tenantGroups * tenantGroups;
            List<Rule> rules = new ArrayList<>();
            for (int i = 0; i < rulesPerGroup; i++) {
                Remote remote = i % 10 == 0
                        ? new Remote.GroupRemote("sg-" + (tenantBase + r.nextInt(tenantGroups)))
                        : new Remote.CidrRemote(Cidr.parse("198.51." + r.nextInt(256) + ".0/24", "c"));
                int port = 1 + (g * rulesPerGroup + i) % 60000;
                rules.add(new Rule("sgr-" + g + "x" + i, Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.TCP, port, port), remote, ""));
            }
            b.group(new SecurityGroup("sg-" + g, "p-bench", "g" + g, "", true, false, dedupe(rules)));
        }
        for (int v = 0; v < vnics; v++) {
            int t = v / tenantVnics;
            int local = v % tenantVnics;
            int g0 = t * tenantGroups;
            byte[] a = {10, (byte) (v >> 16), (byte) (v >> 8), (byte) v};
            b.vnic(new Vnic("vif-" + v, "p-bench", "", null, "h-" + (t * tenantHosts + local % tenantHosts), "tap" + v,
                    new MacAddress(0x5254_0000_0000L + v), List.of(Ip.fromBytes(a)), network(t),
                    List.of("sg-" + (g0 + local % tenantGroups), "sg-" + (g0 + (local * 7 + 3) % tenantGroups)).stream().distinct().toList(), true));
        }
        return b.build();
    }

    private static String network(int tenant) {
        return tenant == 0 ? "net-bench" : "net-bench-" + tenant;
    }

    private static List<Rule> dedupe(List<Rule> rules) {
        java.util.LinkedHashMap<Rule.Key, Rule> m = new java.util.LinkedHashMap<>();
        rules.forEach(x -> m.putIfAbsent(x.key(), x));
        return new ArrayList<>(m.values());
    }
}
