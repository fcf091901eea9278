package io.stockade.core.ruletext;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RuleTextPropertiesTest {

    @Property(tries = 500)
    void parseOfPrintIsIdentity(@ForAll("ruleLists") List<Rule> rules) {
        assertThat(RuleText.parse(RuleText.print(rules))).isEqualTo(rules);
    }

    @Property(tries = 500)
    void garbageOnlyEverFailsAsRuleTextErrors(@ForAll("garbage") String text) {
        try {
            List<Rule> rules = RuleText.parse(text);
            assertThat(RuleText.parse(RuleText.print(rules))).isEqualTo(rules);
        } catch (RuleTextException e) {
            assertThat(e.errors()).isNotEmpty().allSatisfy(err -> {
                assertThat(err.line()).isPositive();
                assertThat(err.column()).isPositive();
                assertThat(err.message()).isNotBlank();
            });
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> pieces = Arbitraries.of("tcp", "udp", "icmp", "icmpv6", "gre", "any", "egress", ":", ",", "-1", "22", "70000", "0",
                "ip4:", "ip6:", "0.0.0.0", "10.0.0.1/8", "2001:db8::/32", "::", "sg-x", "ips-y", "#", " ", "\n", "/", "x", "255.255.255.256");
        return pieces.list().ofMaxSize(20).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<Rule>> ruleLists() {
        return rule().list().ofMaxSize(8).map(list -> {
            Map<Rule.Key, Rule> unique = new LinkedHashMap<>();
            list.forEach(r -> unique.putIfAbsent(r.key(), r));
            return new ArrayList<>(unique.values());
        });
    }

    private Arbitrary<Rule> rule() {
        Arbitrary<IpVersion> version = Arbitraries.of(IpVersion.values());
        Arbitrary<Direction> direction = Arbitraries.of(Direction.values());
        Arbitrary<String> description = Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '-', '.', '#').ofMaxLength(20)
                .map(String::strip);
        return Combinators.combine(version, direction, match(), remote(), description)
                .as((v, d, m, r, desc) -> new Rule(null, d, v, m, r.apply(v), desc));
    }

    private Arbitrary<Match> match() {
        Arbitrary<Match> ports = Combinators.combine(Arbitraries.of(Match.TCP, Match.UDP, Match.SCTP, Match.DCCP, Match.UDPLITE),
                Arbitraries.integers().between(1, 65535), Arbitraries.integers().between(1, 65535))
                .as((p, a, b) -> new Match.Ports(p, Math.min(a, b), Math.max(a, b)));
        Arbitrary<Match> icmp = Combinators.combine(Arbitraries.integers().between(-1, 255), Arbitraries.integers().between(-1, 255))
                .as((t, c) -> new Match.Icmp(t, t == -1 ? -1 : c));
        Arbitrary<Match> other = Arbitraries.integers().between(0, 255)
                .filter(n -> n != 1 && n != 58 && n != 6 && n != 17 && n != 33 && n != 132 && n != 136).map(Match.Protocol::new);
        return Arbitraries.oneOf(ports, icmp, other, Arbitraries.just(new Match.AnyProtocol()));
    }

    /** A remote for the rule's version. */
    private Arbitrary<java.util.function.Function<IpVersion, Remote>> remote() {
        Arbitrary<java.util.function.Function<IpVersion, Remote>> cidr = Combinators.combine(
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 128))
                .as((a, b, len) -> v -> {
                    byte[] bytes = new byte[v == IpVersion.V4 ? 4 : 16];
                    bytes[0] = (byte) a.intValue();
                    bytes[1] = (byte) b.intValue();
                    bytes[bytes.length - 1] = (byte) (a ^ b);
                    int prefix = len % (v.bits() + 1);
                    return new Remote.CidrRemote(Cidr.parseLoose(Ip.format(Ip.fromBytes(bytes)) + "/" + prefix, "c").cidr());
                });
        Arbitrary<String> suffix = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(10);
        Arbitrary<java.util.function.Function<IpVersion, Remote>> group = suffix.map(s -> v -> new Remote.GroupRemote("sg-" + s));
        Arbitrary<java.util.function.Function<IpVersion, Remote>> set = suffix.map(s -> v -> new Remote.IpSetRemote("ips-" + s));
        return Arbitraries.oneOf(cidr, group, set);
    }
}
