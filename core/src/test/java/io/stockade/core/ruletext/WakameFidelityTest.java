package io.stockade.core.ruletext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lines as Wakame-vdc's {@code SecurityGroup.parse_rule} read them: what it accepted means what it
 * meant (with a warning where the canonical form differs from the text), what it refused stays refused.
 */
class WakameFidelityTest {
    private static RuleText.Read read(String text, Dialect dialect) {
        return RuleText.read(text, RuleTextResolver.IDENTITY, dialect);
    }

    private static Cidr source(String line) {
        return ((Remote.CidrRemote) read(line, Dialect.STOCKADE).rules().get(0).remote()).cidr();
    }

    private static List<String> errors(String text, Dialect dialect) {
        return catchThrowableOfType(RuleTextException.class, () -> read(text, dialect)).errors().stream().map(RuleTextError::toString).toList();
    }

    @Test
    void anAllZeroAddressIsEveryAddressWhateverItsPrefixAndSaysSo() {
        for (Dialect d : Dialect.values()) {
            RuleText.Read r = read("tcp:22,22,ip4:0.0.0.0/24\n", d);
            assertThat(r.rules().get(0).remote()).isEqualTo(new Remote.CidrRemote(Cidr.ANY4));
            assertThat(r.warnings()).extracting(RuleTextWarning::toString).containsExactly(
                    "1:15: warning: ip4:0.0.0.0/24 means every address (Wakame-vdc reads the address 0.0.0.0 as 0.0.0.0/0 whatever the prefix); "
                            + "written ip4:0.0.0.0");
            assertThat(RuleText.print(r.rules())).isEqualTo("tcp:22,22,ip4:0.0.0.0\n");
        }
        assertThat(read("tcp:22,22,ip4:0.0.0.0\ntcp:80,80,ip4:0.0.0.0/0\n", Dialect.WAKAME).warnings()).isEmpty();
        assertThat(source("udp:53,53,ip4:0.0.0.0/32")).isEqualTo(Cidr.ANY4);
    }

    @Test
    void theNetworkZeroSlashNItselfHasItsOwnSpellingThatWakameNeverAccepted() {
        RuleText.Read r = read("tcp:22,22,ip4:0/1\n", Dialect.STOCKADE);
        assertThat(r.rules().get(0).remote()).isEqualTo(new Remote.CidrRemote(Cidr.parse("0.0.0.0/1", "c")));
        assertThat(r.warnings()).isEmpty();
        assertThat(RuleText.print(r.rules())).isEqualTo("tcp:22,22,ip4:0/1\n");
        assertThat(errors("tcp:22,22,ip4:0/1", Dialect.WAKAME)).hasSize(1);
    }

    @Test
    void hostBitsAreMaskedWithAWarningOnTheAddressColumn() {
        RuleText.Read r = read("# web\n  tcp: 80, 80, ip4:192.168.0.1/24\n", Dialect.WAKAME);
        assertThat(r.rules().get(0).remote()).isEqualTo(new Remote.CidrRemote(Cidr.parse("192.168.0.0/24", "c")));
        assertThat(r.warnings()).extracting(RuleTextWarning::toString).containsExactly(
                "2:20: warning: ip4:192.168.0.1/24 has host bits set and means 192.168.0.0/24 (as Wakame-vdc masked it); written ip4:192.168.0.0/24");
        assertThat(source("tcp:22,22,ip4:10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8", "c"));
    }

    @Test
    void aSlashZeroOfAnotherAddressIsThatHostAsWakameReadIt() {
        RuleText.Read r = read("tcp:22,22,ip4:192.0.2.7/0", Dialect.STOCKADE);
        assertThat(r.rules().get(0).remote()).isEqualTo(new Remote.CidrRemote(Cidr.parse("192.0.2.7/32", "c")));
        assertThat(r.warnings().get(0).message()).startsWith("ip4:192.0.2.7/0 means the single host 192.0.2.7");
        assertThat(RuleText.print(r.rules())).isEqualTo("tcp:22,22,ip4:192.0.2.7\n");
    }

    @Test
    void exactLinesHaveNoWarnings() {
        String text = "tcp:22,22,ip4:0.0.0.0\nudp:53,53,ip4:8.8.8.8\nicmp:3,0,ip4:192.0.2.1\ntcp:1024,2048,ip4:10.0.0.0/8\ntcp:3306,3306,sg-dbclnts\n";
        assertThat(read(text, Dialect.WAKAME).warnings()).isEmpty();
        assertThat(read(text, Dialect.WAKAME).rules()).isEqualTo(read(text, Dialect.STOCKADE).rules());
    }

    @Test
    void icmpTypesAndCodesOutsideWakamesListAreRefusedOnImport() {
        assertThat(errors("icmp:3,16,ip4:0.0.0.0", Dialect.WAKAME)).containsExactly("1:8: unsupported ICMP code 16 (Wakame-vdc accepts -1 and 0..15)");
        assertThat(errors("icmp:4,-1,ip4:0.0.0.0", Dialect.WAKAME)).containsExactly("1:6: unsupported ICMP type 4 (Wakame-vdc accepts -1, 0, 3, 5, 8 and 11..18)");
        assertThat(read("icmp:3,15,ip4:0.0.0.0\nicmp:18,0,ip4:0.0.0.0\n", Dialect.WAKAME).rules()).extracting(r -> r.match())
                .containsExactly(new Match.Icmp(3, 15), new Match.Icmp(18, 0));
        assertThat(read("icmp:3,16,ip4:0.0.0.0", Dialect.STOCKADE).rules().get(0).match()).isEqualTo(new Match.Icmp(3, 16));
    }

    @Test
    void stockadesExtensionsAreRefusedOnImport() {
        assertThat(errors("egress:tcp:22,22,ip4:0.0.0.0", Dialect.WAKAME))
                .containsExactly("1:1: Wakame-vdc has no direction prefix ('egress:' is a Stockade extension)");
        assertThat(errors("gre:-1,-1,ip4:0.0.0.0", Dialect.WAKAME)).containsExactly("1:1: unsupported protocol 'gre' (Wakame-vdc knows tcp, udp and icmp)");
        assertThat(errors("tcp:22,22,ip6:2001:db8::/32", Dialect.WAKAME))
                .containsExactly("1:11: Wakame-vdc ignored ip6 sources (expected ip4:ADDRESS[/N] or sg-GROUP)");
        assertThat(errors("tcp:22,22,ips-office", Dialect.WAKAME))
                .containsExactly("1:11: Wakame-vdc has no source 'ips-office' (expected ip4:ADDRESS[/N] or sg-GROUP)");
        assertThat(errors("tcp:22,22,ip4:sg-web", Dialect.WAKAME)).hasSize(1);
    }

    @Test
    void linesWakameRefusedOrIgnoredStayRefused() {
        assertThat(errors("tcp:0,22,ip4:0.0.0.0\ntcp:2048,1024,ip4:0.0.0.0\nicmp:-1,0,ip4:0.0.0.0\nftp:21,21,ip4:0.0.0.0\ntcp:22,22,nowhere", Dialect.WAKAME))
                .hasSize(5);
    }
}
