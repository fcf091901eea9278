package io.stockade.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every validation error names its field and says what is wrong. */
class ValidationTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> rejects(Executable e, String field, String message) {
        var a = assertThatThrownBy(e::execute).isInstanceOf(ValidationException.class).hasMessageContaining(message);
        a.extracting("field").isEqualTo(field);
        return a;
    }

    @Test
    void ports() {
        rejects(() -> new Match.Ports(Match.TCP, 0, 10), "portRangeMin", "out of range port number 0");
        rejects(() -> new Match.Ports(Match.TCP, 1, 65536), "portRangeMax", "out of range port number 65536");
        rejects(() -> new Match.Ports(Match.UDP, 2048, 1024), "portRangeMin", "invalid port range: 2048 is greater than 1024");
        rejects(() -> new Match.Ports(Match.ICMP, 1, 2), "protocol", "has no ports");
        assertThat(new Match.Ports(Match.TCP, 22, 22).contains(22)).isTrue();
        assertThat(Match.Ports.all(Match.UDP).allPorts()).isTrue();
    }

    @Test
    void icmpTypeAndCode() {
        rejects(() -> new Match.Icmp(256, -1), "icmpType", "-1 (any) or 0..255, got 256");
        rejects(() -> new Match.Icmp(-2, -1), "icmpType", "got -2");
        rejects(() -> new Match.Icmp(3, 300), "icmpCode", "got 300");
        rejects(() -> new Match.Icmp(-1, 0), "icmpCode", "needs an icmp type");
        assertThat(new Match.Icmp(3, -1).matches(3, 13)).isTrue();
        assertThat(new Match.Icmp(3, 0).matches(3, 1)).isFalse();
    }

    @Test
    void protocolNamesAndNumbers() {
        assertThat(Match.parseProtocol("TCP", "protocol")).isEqualTo(6);
        assertThat(Match.parseProtocol("ipv6-icmp", "protocol")).isEqualTo(58);
        assertThat(Match.parseProtocol("6", "protocol")).isEqualTo(6);
        assertThat(Match.parseProtocol("any", "protocol")).isEqualTo(-1);
        assertThat(Match.parseProtocol(null, "protocol")).isEqualTo(-1);
        rejects(() -> Match.parseProtocol("tpc", "protocol"), "protocol", "unsupported protocol 'tpc'");
        rejects(() -> Match.parseProtocol("300", "protocol"), "protocol", "0..255, got 300");
        rejects(() -> new Match.Protocol(6), "protocol", "is tcp; use its port or icmp form");
        assertThat(Match.of(6, IpVersion.V4, null, null)).isEqualTo(Match.Ports.all(6));
        assertThat(Match.of(1, IpVersion.V6, 128, null)).isEqualTo(new Match.Icmp(128, -1));
        assertThat(Match.of(47, IpVersion.V4, null, null)).isEqualTo(new Match.Protocol(47));
        rejects(() -> Match.of(6, IpVersion.V4, 22, null), "portRangeMax", "needs both ends");
        rejects(() -> Match.of(47, IpVersion.V4, 1, 2), "portRangeMin", "has no ports");
        rejects(() -> Match.of(-1, IpVersion.V4, 1, 2), "portRangeMin", "needs a protocol");
        rejects(() -> Match.of(58, IpVersion.V4, null, null), "protocol", "icmpv6 needs ethertype IPv6");
    }

    @Test
    void cidrs() {
        assertThat(Cidr.parse("10.0.0.0/8", "cidr").toString()).isEqualTo("10.0.0.0/8");
        assertThat(Cidr.parse("192.0.2.5", "cidr").toString()).isEqualTo("192.0.2.5/32");
        assertThat(Cidr.parse("2001:DB8::1", "cidr").toString()).isEqualTo("2001:db8::1/128");
        assertThat(Cidr.parse("2001:db8:0:0:1:0:0:0/80", "cidr").toString()).isEqualTo("2001:db8:0:0:1::/80");
        rejects(() -> Cidr.parse("10.0.0.1/8", "remoteIpPrefix"), "remoteIpPrefix", "has host bits set; did you mean 10.0.0.0/8?");
        rejects(() -> Cidr.parse("2001:db8::1/32", "cidr"), "cidr", "did you mean 2001:db8::/32?");
        assertThat(Cidr.parseLoose("10.0.0.1/8", "cidr")).isEqualTo(new Cidr.Parsed(Cidr.parse("10.0.0.0/8", "c"), false));
        rejects(() -> Cidr.parse("10.0.0.0/33", "cidr"), "cidr", "prefix length 33, over 32");
        rejects(() -> Cidr.parse("10.0.0/8", "cidr"), "cidr", "not a valid IPv4 address");
        rejects(() -> Cidr.parse("10.0.0.256", "cidr"), "cidr", "256 is over 255");
        rejects(() -> Cidr.parse("example.com", "cidr"), "cidr", "not a valid IPv4 address");
        rejects(() -> Cidr.parse("2001:db8::g", "cidr"), "cidr", "not a valid IPv6 address");
        rejects(() -> Cidr.parse("::ffff:192.0.2.1", "cidr"), "cidr", "IPv4-mapped");
        rejects(() -> Cidr.parse("10.0.0.0/x", "cidr"), "cidr", "invalid prefix length");
        rejects(() -> Cidr.parse("", "cidr"), "cidr", "got nothing");
        assertThat(Cidr.parse("0.0.0.0/0", "c").contains(Ip.parse("203.0.113.1", "a"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0", "c").contains(Ip.parse("2001:db8::1", "a"))).isFalse();
    }

    @Test
    void macs() {
        assertThat(MacAddress.parse("52:54:00:AB:cd:01", "mac").toString()).isEqualTo("52:54:00:ab:cd:01");
        rejects(() -> MacAddress.parse("52:54:00:ab:cd", "mac"), "mac", "not a MAC address");
        rejects(() -> MacAddress.parse("01:00:5e:00:00:01", "mac"), "mac", "multicast");
        assertThat(Ip.format(Ip.linkLocal(MacAddress.parse("52:54:00:12:34:56", "m")))).isEqualTo("fe80::5054:ff:fe12:3456");
    }

    @Test
    void rules() {
        Cidr v6 = Cidr.parse("2001:db8::/32", "c");
        rejects(() -> new Rule(null, Direction.INGRESS, IpVersion.V4, new Match.AnyProtocol(), new Remote.CidrRemote(v6), ""),
                "ethertype", "ethertype IPv4 does not match the remote 2001:db8::/32 (IPv6)");
        rejects(() -> Direction.parse("inbound", "direction"), "direction", "must be ingress or egress");
        rejects(() -> IpVersion.ofEthertype("IPv5", "ethertype"), "ethertype", "must be IPv4 or IPv6");
        Rule r = new Rule("sgr-1", Direction.INGRESS, IpVersion.V4, new Match.Ports(6, 22, 22), new Remote.CidrRemote(Cidr.ANY4), "ssh");
        rejects(() -> new SecurityGroup("sg-a", "p-a", "a", "", true, false, List.of(r, r.withId("sgr-2"))), "rules[1]", "duplicate rule: the same as rules[0]");
    }

    @Test
    void objects() {
        rejects(() -> new SecurityGroup("group-1", "p-a", "a", "", true, false, List.of()), "id", "must be an id of the form sg-");
        rejects(() -> new SecurityGroup("sg-a", "p-a", " ", "", true, false, List.of()), "name", "must not be empty");
        rejects(() -> new SecurityGroup("sg-a", "p-a", "x".repeat(300), "", true, false, List.of()), "name", "at most 255");
        rejects(() -> new Project("p-a", "a\u0000b", false), "name", "control characters");
        rejects(() -> new Host("h-a", "a", "br0", List.of("way-too-long-device-name")), "uplinks[0]", "device name");
        rejects(() -> new Vnic("vif-a", "p-a", "", null, null, null, null, List.of(), null, List.of(), true), "mac", "must be a MAC address");
        MacAddress m = MacAddress.parse("52:54:00:00:00:01", "m");
        rejects(() -> new Vnic("vif-a", "p-a", "", null, null, null, m, List.of(), null, List.of("sg-a", "sg-a"), true), "securityGroups", "listed twice");
        rejects(() -> new Network("net-a", "n", List.of(Cidr.parse("192.0.2.0/24", "c")), List.of(Ip.parse("198.51.100.1", "g")), List.of(), List.of(), List.of(), null),
                "gateways[0]", "198.51.100.1 is in none of the network's subnets");
        assertThat(Ids.newId("sg")).matches("sg-[a-z2-7]{10}");
        assertThat(Ids.hasForm("sg", "sg-dbclnts")).isTrue();
    }

    @Test
    void ipSetEntriesAreNormalizedDeduplicatedAndOfOneVersion() {
        IpSet empty = new IpSet("ips-a", "p-a", "a", "", IpVersion.V4, false, List.of());
        IpSet.BulkAdd r = empty.bulkAdd(List.of("192.0.2.1", "192.0.2.1/32", "198.51.100.0/24", "2001:db8::1", "10.0.0.1/8", "nonsense"), null);
        assertThat(r.added()).extracting(Cidr::toString).containsExactly("192.0.2.1/32", "198.51.100.0/24");
        assertThat(r.duplicates()).extracting(Cidr::toString).containsExactly("192.0.2.1/32");
        assertThat(r.invalid()).extracting(IpSet.Rejected::input).containsExactly("2001:db8::1", "10.0.0.1/8", "nonsense");
        assertThat(r.invalid().get(0).reason()).contains("is IPv6 but the ip set is IPv4");
        assertThat(r.invalid().get(1).reason()).contains("did you mean 10.0.0.0/8?");
        rejects(() -> empty.withEntries(List.of(new IpSet.Entry(Cidr.parse("2001:db8::/32", "c"), ""))), "entries[0]", "is IPv6 but the ip set is IPv4");
        IpSet.Entry e = new IpSet.Entry(Cidr.parse("192.0.2.0/24", "c"), "");
        rejects(() -> empty.withEntries(List.of(e, e)), "entries[1]", "duplicate entry 192.0.2.0/24");
    }
}
