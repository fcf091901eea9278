package io.stockade.core.testing;

import io.stockade.core.eval.Endpoint;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Instance;
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
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small fluent builder of worlds for tests: one project, one network (192.0.2.0/24 and
 * 2001:db8:1::/64, gateway .1, DHCP/DNS .2), one host, and vnics named by short ids.
 */
public final class TestWorld {
    public static final String PROJECT = "p-test";
    public static final String NETWORK = "net-test";
    public static final String HOST = "h-test";
    public static final InetAddress GATEWAY = ip("192.0.2.1");
    public static final InetAddress DHCP_DNS = ip("192.0.2.2");
    public static final MacAddress OUTSIDE_MAC = mac("02:00:00:00:ff:01");

    private final World.Builder b = World.builder();
    private int nextVnic = 10;

    private TestWorld(Policy policy) {
        b.policy(policy)
                .project(new Project(PROJECT, "test", false))
                .network(network(FirewallMode.SECURITY_GROUPS))
                .host(new Host(HOST, "test-host", "br0", List.of("uplink0")));
    }

    private static Network network(FirewallMode mode) {
        return new Network(NETWORK, "test-net", List.of(cidr("192.0.2.0/24"), cidr("2001:db8:1::/64")),
                List.of(GATEWAY), List.of(DHCP_DNS), List.of(DHCP_DNS), List.of(mac("02:00:00:00:00:01")), mode);
    }

    /** The network filtered as {@code mode} says. */
    public TestWorld networkMode(FirewallMode mode) {
        b.network(network(mode));
        return this;
    }

    public static TestWorld with(Policy policy) {
        return new TestWorld(policy);
    }

    public static TestWorld wakame() {
        return new TestWorld(Policy.wakame());
    }

    /** A group with rules written compactly (see {@link #rule}). */
    public TestWorld group(String id, Rule... rules) {
        b.group(new SecurityGroup(id, PROJECT, id, "", true, false, Arrays.asList(rules)));
        return this;
    }

    public TestWorld statelessGroup(String id, Rule... rules) {
        b.group(new SecurityGroup(id, PROJECT, id, "", false, false, Arrays.asList(rules)));
        return this;
    }

    /** A vnic with one IPv4 address 192.0.2.N and 2001:db8:1::N, in the given groups. */
    public TestWorld vnic(String id, String... groups) {
        int n = nextVnic++;
        String inst = "i-" + id.substring(4);
        b.instance(new Instance(inst, PROJECT, inst));
        b.vnic(new Vnic(id, PROJECT, id, inst, HOST, "tap" + n, mac(String.format("52:54:00:00:00:%02x", n)),
                List.of(ip("192.0.2." + n), ip("2001:db8:1::" + Integer.toHexString(n))), NETWORK, List.of(groups), true));
        return this;
    }

    /** A vnic as {@link #vnic}, with port security off: nothing of it is filtered. */
    public TestWorld unfilteredVnic(String id, String... groups) {
        vnic(id, groups);
        Vnic v = b.build().vnics().get(id);
        b.vnic(new Vnic(v.id(), v.projectId(), v.name(), v.instanceId(), v.hostId(), v.device(), v.mac(), v.addresses(), v.networkId(),
                v.securityGroupIds(), false));
        return this;
    }

    public TestWorld add(Vnic v) {
        b.vnic(v);
        return this;
    }

    public TestWorld policy(Policy p) {
        b.policy(p);
        return this;
    }

    public TestWorld project(Project p) {
        b.project(p);
        return this;
    }

    public TestWorld ipSet(io.stockade.core.model.IpSet s) {
        b.ipSet(s);
        return this;
    }

    public World build() {
        return b.build();
    }

    // ---- rules

    public static Rule tcpIn(int from, int to, String cidr) {
        return rule(Direction.INGRESS, new Match.Ports(Match.TCP, from, to), cidr);
    }

    public static Rule udpIn(int from, int to, String cidr) {
        return rule(Direction.INGRESS, new Match.Ports(Match.UDP, from, to), cidr);
    }

    public static Rule icmpIn(int type, int code, String cidr) {
        return rule(Direction.INGRESS, new Match.Icmp(type, code), cidr);
    }

    public static Rule tcpFromGroup(int from, int to, String group) {
        return new Rule("sgr-" + group.substring(3) + from, Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.TCP, from, to), new Remote.GroupRemote(group), "");
    }

    public static Rule icmpFromGroup(String group) {
        return new Rule("sgr-icmp" + group.substring(3), Direction.INGRESS, IpVersion.V4, Match.Icmp.ANY, new Remote.GroupRemote(group), "");
    }

    public static Rule rule(Direction d, Match m, String cidr) {
        Cidr c = cidr(cidr);
        String id = "sgr-" + Integer.toHexString((d + m.toString() + c).hashCode() & 0x7fffffff);
        return new Rule(id, d, c.version(), m, new Remote.CidrRemote(c), "");
    }

    // ---- packets

    public static Packet tcp(World w, String from, String to, int dport) {
        return tcp(w, from, to, dport, IpVersion.V4);
    }

    public static Packet tcp(World w, String from, String to, int dport, IpVersion v) {
        Vnic a = w.vnics().get(from);
        Vnic d = w.vnics().get(to);
        return Packet.tcp(Endpoint.vnic(from), Endpoint.vnic(to), a.mac(), d.mac(), a.addresses(v).get(0), d.addresses(v).get(0), 40000, dport);
    }

    public static Packet ping(World w, String from, String to) {
        Vnic a = w.vnics().get(from);
        Vnic d = w.vnics().get(to);
        return Packet.icmp(Endpoint.vnic(from), Endpoint.vnic(to), a.mac(), d.mac(), a.addresses(IpVersion.V4).get(0), d.addresses(IpVersion.V4).get(0), 8, 0);
    }

    public static Packet arp(World w, String from, String to) {
        Vnic a = w.vnics().get(from);
        Vnic d = w.vnics().get(to);
        return Packet.arp(Endpoint.vnic(from), Endpoint.vnic(to), a.mac(), a.addresses(IpVersion.V4).get(0), d.addresses(IpVersion.V4).get(0));
    }

    /** A tcp packet from an outside address (through the uplink) to a vnic. */
    public static Packet tcpFromOutside(World w, String source, String to, int dport) {
        Vnic d = w.vnics().get(to);
        InetAddress s = ip(source);
        return Packet.tcp(Endpoint.outside(), Endpoint.vnic(to), OUTSIDE_MAC, d.mac(), s, d.addresses(Ip.version(s)).get(0), 40000, dport);
    }

    public static Packet pingFromOutside(World w, String source, String to) {
        Vnic d = w.vnics().get(to);
        InetAddress s = ip(source);
        return Packet.icmp(Endpoint.outside(), Endpoint.vnic(to), OUTSIDE_MAC, d.mac(), s, d.addresses(Ip.version(s)).get(0), 8, 0);
    }

    /** A tcp packet from a vnic to an outside address. */
    public static Packet tcpToOutside(World w, String from, String dest, int dport) {
        Vnic a = w.vnics().get(from);
        InetAddress d = ip(dest);
        return Packet.tcp(Endpoint.vnic(from), Endpoint.outside(), a.mac(), OUTSIDE_MAC, a.addresses(Ip.version(d)).get(0), d, 40000, dport);
    }

    public static InetAddress ip(String s) {
        return Ip.parse(s, "test");
    }

    public static Cidr cidr(String s) {
        return Cidr.parse(s, "test");
    }

    public static MacAddress mac(String s) {
        return MacAddress.parse(s, "test");
    }

    public static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
