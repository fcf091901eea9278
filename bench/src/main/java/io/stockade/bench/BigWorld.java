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
 * each vnic in two groups.
 */
final class BigWorld {
    private BigWorld() {}

    static World build(int vnics, int hosts, int groups, int rulesPerGroup) {
        Random r = new Random(42);
        World.Builder b = World.builder().policy(Policy.wakame()).revision(1);
        b.project(new Project("p-bench", "bench", false));
        b.network(new Network("net-bench", "bench", List.of(Cidr.parse("10.0.0.0/8", "c")), List.of(), List.of(), List.of(), List.of(),
                FirewallMode.SECURITY_GROUPS));
        for (int h = 0; h < hosts; h++) {
            b.host(new Host("h-" + h, "hv" + h, "br0", List.of("uplink0")));
        }
        for (int g = 0; g < groups; g++) {
            List<Rule> rules = new ArrayList<>();
            for (int i = 0; i < rulesPerGroup; i++) {
                Remote remote = i % 10 == 0
                        ? new Remote.GroupRemote("sg-" + r.nextInt(groups))
                        : new Remote.CidrRemote(Cidr.parse("198.51." + r.nextInt(256) + ".0/24", "c"));
                int port = 1 + (g * rulesPerGroup + i) % 60000;
                rules.add(new Rule("sgr-" + g + "x" + i, Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.TCP, port, port), remote, ""));
            }
            b.group(new SecurityGroup("sg-" + g, "p-bench", "g" + g, "", true, false, dedupe(rules)));
        }
        for (int v = 0; v < vnics; v++) {
            byte[] a = {10, (byte) (v >> 16), (byte) (v >> 8), (byte) v};
            b.vnic(new Vnic("vif-" + v, "p-bench", "", null, "h-" + (v % hosts), "tap" + v, new MacAddress(0x5254_0000_0000L + v),
                    List.of(Ip.fromBytes(a)), "net-bench", List.of("sg-" + (v % groups), "sg-" + ((v * 7 + 3) % groups)).stream().distinct().toList(), true));
        }
        return b.build();
    }

    private static List<Rule> dedupe(List<Rule> rules) {
        java.util.LinkedHashMap<Rule.Key, Rule> m = new java.util.LinkedHashMap<>();
        rules.forEach(x -> m.putIfAbsent(x.key(), x));
        return new ArrayList<>(m.values());
    }
}
