package io.stockade.core.ruletext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleTextTest {

    private static Rule one(String line) {
        List<Rule> rules = RuleText.parse(line);
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }

    private static RuleTextError error(String text) {
        try {
            RuleText.parse(text);
        } catch (RuleTextException e) {
            assertThat(e.errors()).hasSize(1);
            return e.errors().get(0);
        }
        throw new AssertionError("expected an error for: " + text);
    }

    @Test
    void theWakameExamples() {
        Rule ssh = one("tcp:22,22,ip4:0.0.0.0");
        assertThat(ssh.match()).isEqualTo(new Match.Ports(Match.TCP, 22, 22));
        assertThat(ssh.remote()).isEqualTo(new Remote.CidrRemote(Cidr.ANY4));
        assertThat(ssh.direction()).isEqualTo(Direction.INGRESS);
        assertThat(one("tcp:1024,2048,ip4:10.0.0.0/8").match()).isEqualTo(new Match.Ports(Match.TCP, 1024, 2048));
        assertThat(one("udp:53,53,ip4:8.8.8.8").remote()).isEqualTo(new Remote.CidrRemote(Cidr.parse("8.8.8.8/32", "c")));
        assertThat(one("icmp:-1,-1,ip4:0.0.0.0").match()).isEqualTo(Match.Icmp.ANY);
        assertThat(one("icmp:3,0,ip4:192.0.2.1").match()).isEqualTo(new Match.Icmp(3, 0));
        Rule ref = one("tcp:3306,3306,sg-dbclnts");
        assertThat(ref.remote()).isEqualTo(new Remote.GroupRemote("sg-dbclnts"));
        assertThat(ref.ethertype()).isEqualTo(IpVersion.V4);
        assertThat(one("ip4:0.0.0.0/0".replace("ip4:0.0.0.0/0", "tcp:80,80,ip4:0.0.0.0/0")).remote()).isEqualTo(new Remote.CidrRemote(Cidr.ANY4));
    }

    @Test
    void whitespaceCommentsAndBlankLines() {
        String text = """
                # web servers
                tcp: 22, 22, ip4:0.0.0.0     # ssh from anywhere

                \t tcp:80,80,ip4:0.0.0.0
                """;
        List<Rule> rules = RuleText.parse(text);
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).description()).isEqualTo("ssh from anywhere");
        assertThat(RuleText.parse("#\n# only comments\n")).isEmpty();
        assertThat(RuleText.parse("")).isEmpty();
        assertThat(RuleText.print(rules)).isEqualTo("tcp:22,22,ip4:0.0.0.0 # ssh from anywhere\ntcp:80,80,ip4:0.0.0.0\n");
    }

    @Test
    void extensions() {
        Rule v6 = one("tcp:443,443,ip6:2001:db8::/32");
        assertThat(v6.ethertype()).isEqualTo(IpVersion.V6);
        assertThat(one("icmp:128,-1,ip6:::").match()).isEqualTo(new Match.Icmp(128, -1));
        assertThat(one("icmp:128,-1,ip6:::").ethertype()).isEqualTo(IpVersion.V6);
        assertThat(RuleText.print(one("icmp:128,-1,ip6:::"))).isEqualTo("icmpv6:128,-1,ip6:::/0");
        Rule egress = one("egress:tcp:25,25,ip4:0.0.0.0");
        assertThat(egress.direction()).isEqualTo(Direction.EGRESS);
        assertThat(one("ingress:tcp:25,25,ip4:0.0.0.0").direction()).isEqualTo(Direction.INGRESS);
        assertThat(one("ip6:sg-web".replace("ip6:sg-web", "tcp:80,80,ip6:sg-web")).ethertype()).isEqualTo(IpVersion.V6);
        assertThat(one("udp:53,53,ips-resolvers").remote()).isEqualTo(new Remote.IpSetRemote("ips-resolvers"));
        assertThat(one("any:-1,-1,ip4:198.51.100.0/24").match()).isEqualTo(new Match.AnyProtocol());
        assertThat(one("gre:-1,-1,ip4:198.51.100.0/24").match()).isEqualTo(new Match.Protocol(47));
        assertThat(one("132:5000,5001,ip4:198.51.100.0/24").match()).isEqualTo(new Match.Ports(Match.SCTP, 5000, 5001));
        assertThat(RuleText.print(one("sctp:5000,5001,ip4:198.51.100.0/24"))).isEqualTo("sctp:5000,5001,ip4:198.51.100.0/24");
        assertThat(RuleText.print(one("112:-1,-1,ip4:198.51.100.0/24"))).isEqualTo("vrrp:-1,-1,ip4:198.51.100.0/24");
    }

    @Test
    void theResolverTurnsNamesIntoIds() {
        RuleTextResolver r = new RuleTextResolver() {
            @Override
            public Optional<String> groupId(String token) {
                return token.equals("sg-dbclnts") ? Optional.of("sg-7x2kq9") : Optional.empty();
            }

            @Override
            public Optional<IpSetRef> ipSet(String token) {
                return token.equals("ips-office") ? Optional.of(new IpSetRef("ips-9zz", IpVersion.V6)) : Optional.empty();
            }
        };
        List<Rule> rules = RuleText.parse("tcp:3306,3306,sg-dbclnts\nudp:53,53,ips-office", r);
        assertThat(rules.get(0).remote()).isEqualTo(new Remote.GroupRemote("sg-7x2kq9"));
        assertThat(rules.get(1).remote()).isEqualTo(new Remote.IpSetRemote("ips-9zz"));
        assertThat(rules.get(1).ethertype()).isEqualTo(IpVersion.V6);
        RuleTextException e = (RuleTextException) org.assertj.core.api.Assertions.catchThrowable(
                () -> RuleText.parse("tcp:1,1,sg-nope\nudp:53,53,ip4:ips-office", r));
        assertThat(e.errors()).extracting(RuleTextError::toString)
                .containsExactly("1:9: no security group 'sg-nope'", "2:11: ip set ips-office is IPv6, not IPv4");
    }

    @Test
    void errorsNameLineColumnAndWhatWasExpected() {
        assertThat(error("tcp:0,22,ip4:0.0.0.0").toString()).isEqualTo("1:5: out of range port number 0 (ports are 1..65535)");
        assertThat(error("tcp:22,70000,ip4:0.0.0.0").toString()).isEqualTo("1:8: out of range port number 70000 (ports are 1..65535)");
        assertThat(error("tcp:2048,1024,ip4:0.0.0.0").toString()).isEqualTo("1:5: invalid port range 2048,1024 (FROM must not be greater than TO)");
        assertThat(error("ftp:21,21,ip4:0.0.0.0").message()).startsWith("unsupported protocol 'ftp' (expected tcp, udp, icmp");
        assertThat(error("ftp:21,21,ip4:0.0.0.0").column()).isEqualTo(1);
        assertThat(error("tcp:22,22,192.0.2.1").toString())
                .isEqualTo("1:11: unexpected source '192.0.2.1' (expected ip4:ADDRESS[/N], ip6:ADDRESS[/N], sg-GROUP or ips-IPSET)");
        assertThat(error("tcp:22,22,ip6:2001:db8::1/32").toString()).isEqualTo("1:15: '2001:db8::1/32' has host bits set; did you mean 2001:db8::/32?");
        assertThat(error("tcp:22,22,ip4:2001:db8::1").message()).contains("is an IPv6 address; write ip6:2001:db8::1");
        assertThat(error("icmp:-1,0,ip4:0.0.0.0").toString()).isEqualTo("1:9: icmp code 0 needs an icmp type; write -1 for any code or give a type");
        assertThat(error("icmp:256,0,ip4:0.0.0.0").message()).isEqualTo("icmp type must be -1 (any) or 0..255, got 256");
        assertThat(error("icmpv6:128,-1,ip4:0.0.0.0").message()).isEqualTo("icmpv6 needs an IPv6 source (ip6:…)");
        assertThat(error("gre:1,2,ip4:0.0.0.0").message()).isEqualTo("protocol gre has no ports; write -1,-1");
        assertThat(error("tcp:22,ip4:0.0.0.0").message()).startsWith("expected ',' and a SOURCE");
        assertThat(error("tcp").message()).startsWith("expected PROTOCOL:FROM,TO,SOURCE");
        assertThat(error("tcp:a,22,ip4:0.0.0.0").toString()).isEqualTo("1:5: expected a number for FROM, got 'a'");
        assertThat(error("tcp:22,22,ip4:0.0.0.0,x").message()).isEqualTo("unexpected ',' after the source");
        assertThat(error("tcp:22,22,ip4:").message()).isEqualTo("expected an IPv4 address after 'ip4:'");
    }

    @Test
    void columnsCountTheOriginalWhitespace() {
        assertThat(error("  tcp: 22, 0,  ip4:0.0.0.0").toString()).isEqualTo("1:12: out of range port number 0 (ports are 1..65535)");
    }

    @Test
    void allErrorsAreReportedWithTheirLines() {
        RuleTextException e = (RuleTextException) org.assertj.core.api.Assertions.catchThrowable(
                () -> RuleText.parse("tcp:22,22,ip4:0.0.0.0\nudp:x,53,ip4:0.0.0.0\n# fine\ntcp: 22,22, ip4:0.0.0.0\n"));
        assertThat(e.errors()).extracting(RuleTextError::toString)
                .containsExactly("2:5: expected a number for FROM, got 'x'", "4:1: duplicate rule: the same as line 1");
        assertThatThrownBy(() -> RuleText.parse("bogus")).isInstanceOf(RuleTextException.class).hasMessageContaining("1:1:");
    }
}
