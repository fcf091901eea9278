package io.stockade.bench;

import io.stockade.compiler.Compiler;
import io.stockade.compiler.Render;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes, for each rule count N, the datapath benchmark's two rulesets for a host with vnics
 * {@code tapa} (192.0.2.10, the server) and {@code tapb} (192.0.2.11, the client): Stockade's
 * compiled nftables script, and the same N rules as one iptables rule each in a per-port chain.
 * The rules that let the client's udp 7777-7778 (flows, flood) and tcp 5201 (iperf3) in come after the N others in both,
 * and the flows' rule is, like the N others, a rule from a CIDR: in Stockade an element of the same set.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.stockade.bench.Rulesets DIR N...}
 */
public final class Rulesets {
    private Rulesets() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            int n = Integer.parseInt(args[i]);
            List<Rule> rules = new ArrayList<>();
            StringBuilder ipt = new StringBuilder("*filter\n:FORWARD ACCEPT [0:0]\n:vnic-a - [0:0]\n");
            ipt.append("-A FORWARD -m physdev --physdev-out tapa --physdev-is-bridged -j vnic-a\n");
            ipt.append("-A vnic-a -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n");
            for (int k = 0; k < n; k++) {
                // Ports and sources that never match the benchmark's flow.
                String cidr = "198.51." + (k % 250) + "." + ((k / 250) % 64 * 4) + "/30";
                int port = 1000 + k % 50000;
                rules.add(new Rule("sgr-" + k, Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.TCP, port, port),
                        new Remote.CidrRemote(Cidr.parse(cidr, "c")), ""));
                ipt.append("-A vnic-a -s ").append(cidr).append(" -p tcp --dport ").append(port).append(" -j ACCEPT\n");
            }
            // The flows' rule is from the client's address, like the N others, so their packets are
            // looked up in the set of N; iperf3's is a reference to the client's group, which also
            // connects the two groups (isolation would drop everything between them otherwise).
            // 7777 is the request/reply flows' port, 7778 the CPU-bound flood's.
            Remote client = new Remote.CidrRemote(Cidr.parse("192.0.2.11/32", "c"));
            rules.add(new Rule("sgr-flow", Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.UDP, 7777, 7777), client, ""));
            rules.add(new Rule("sgr-flood", Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.UDP, 7778, 7778), client, ""));
            rules.add(new Rule("sgr-iperf", Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.TCP, 5201, 5201), new Remote.GroupRemote("sg-client"), ""));
            ipt.append("-A vnic-a -s 192.0.2.11 -p udp --dport 7777 -j ACCEPT\n-A vnic-a -s 192.0.2.11 -p udp --dport 7778 -j ACCEPT\n-A vnic-a -s 192.0.2.11 -p tcp --dport 5201 -j ACCEPT\n");
            ipt.append("-A vnic-a -j DROP\nCOMMIT\n");
            Files.writeString(dir.resolve("iptables-" + n + ".rules"), ipt);
            Files.writeString(dir.resolve("stockade-" + n + ".nft"), Render.full(Compiler.compile(world(rules), "h-bench")));
        }
    }

    static World world(List<Rule> serverRules) {
        return World.builder().policy(Policy.wakame())
                .project(new Project("p-bench", "bench", false))
                .network(new Network("net-bench", "bench", List.of(Cidr.parse("192.0.2.0/24", "c")), List.of(), List.of(), List.of(), List.of(),
                        FirewallMode.SECURITY_GROUPS))
                .host(new Host("h-bench", "bench", "br0", List.of()))
                .group(new SecurityGroup("sg-server", "p-bench", "server", "", true, false, serverRules))
                .group(new SecurityGroup("sg-client", "p-bench", "client", "", true, false, List.of()))
                .vnic(new Vnic("vif-a", "p-bench", "", null, "h-bench", "tapa", MacAddress.parse("52:54:00:00:00:0a", "m"),
                        List.of(Ip.parse("192.0.2.10", "a")), "net-bench", List.of("sg-server"), true))
                .vnic(new Vnic("vif-b", "p-bench", "", null, "h-bench", "tapb", MacAddress.parse("52:54:00:00:00:0b", "m"),
                        List.of(Ip.parse("192.0.2.11", "a")), "net-bench", List.of("sg-client"), true))
                .build();
    }
}
