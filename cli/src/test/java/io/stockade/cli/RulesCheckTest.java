package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCheckTest {
    @Test
    void printsTheCanonicalForm(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rules.txt");
        Files.writeString(f, "# db\ntcp: 3306, 3306, sg-dbclnts   # mysql\nicmp:-1,-1,ip4:0.0.0.0/0\n");
        CliRun r = CliRun.of("rules", "check", f.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("tcp:3306,3306,sg-dbclnts # mysql\nicmp:-1,-1,ip4:0.0.0.0\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void printsEachErrorWithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "tcp:22,22,ip4:0.0.0.0\ntcp:0,22,ip4:0.0.0.0\nudp:53,53,nowhere\n");
        CliRun r = CliRun.of("rules", "check", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly(
                f + ":2:5: out of range port number 0 (ports are 1..65535)",
                f + ":3:11: unexpected source 'nowhere' (expected ip4:ADDRESS[/N], ip6:ADDRESS[/N], sg-GROUP or ips-IPSET)");
    }

    @Test
    void warnsWithLineAndColumnWhereALineMeansWhatWakameReadNotWhatItShows(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("legacy.txt");
        Files.writeString(f, "tcp:22,22,ip4:0.0.0.0/24\n  udp:53,53,ip4:192.0.2.9/24\n");
        CliRun r = CliRun.of("rules", "check", f.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("tcp:22,22,ip4:0.0.0.0\nudp:53,53,ip4:192.0.2.0/24\n");
        assertThat(r.err().lines()).containsExactly(
                f + ":1:15: warning: ip4:0.0.0.0/24 means every address (Wakame-vdc reads the address 0.0.0.0 as 0.0.0.0/0 whatever the prefix); "
                        + "written ip4:0.0.0.0",
                f + ":2:17: warning: ip4:192.0.2.9/24 has host bits set and means 192.0.2.0/24 (as Wakame-vdc masked it); written ip4:192.0.2.0/24");
    }

    @Test
    void wakameCompatReadsAGroupExportAndReportsEveryWarningAndErrorPerGroup(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("security_groups.json");
        Files.writeString(f, """
                [{"total": 3, "start": 0, "limit": 250, "results": [
                  {"id": "sg-web", "display_name": "web", "rule": "tcp:80,80,ip4:0.0.0.0\\ntcp:22,22,ip4:10.0.0.1/8\\n"},
                  {"id": "sg-db", "display_name": "db", "rule": "# db\\ntcp:3306,3306,sg-web\\n"},
                  {"id": "sg-mon", "display_name": "", "rule": "icmp:3,16,ip4:0.0.0.0\\nicmp:-1,-1,ip4:0.0.0.0/16\\n"}]}]
                """);
        CliRun r = CliRun.of("rules", "check", "--wakame-compat", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly(
                f + ":sg-web:2:15: warning: ip4:10.0.0.1/8 has host bits set and means 10.0.0.0/8 (as Wakame-vdc masked it); written ip4:10.0.0.0/8",
                f + ":sg-mon:1:8: unsupported ICMP code 16 (Wakame-vdc accepts -1 and 0..15)");

        Path yaml = dir.resolve("security_groups.yml");
        Files.writeString(yaml, "- id: sg-web\n  display_name: web\n  rule: |\n    tcp:80,80,ip4:0.0.0.0\n    icmp:-1,-1,ip4:0.0.0.0/16\n"
                + "- id: sg-db\n  rule: \"tcp:3306,3306,sg-web\"\n");
        CliRun ok = CliRun.of("rules", "check", "--wakame-compat", yaml.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).isEqualTo("# sg-web (web)\ntcp:80,80,ip4:0.0.0.0\nicmp:-1,-1,ip4:0.0.0.0\n# sg-db\ntcp:3306,3306,sg-web\n");
        assertThat(ok.err().lines()).singleElement().asString().startsWith(yaml + ":sg-web:2:16: warning: ip4:0.0.0.0/16 means every address");
    }

    @Test
    void wakameCompatRefusesStockadesExtensionsInPlainText(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rules.txt");
        Files.writeString(f, "tcp:22,22,ip4:0.0.0.0\negress:tcp:443,443,ip4:0.0.0.0\ntcp:22,22,ip6:2001:db8::/32\n");
        assertThat(CliRun.of("rules", "check", f.toString()).exit()).isZero();
        CliRun r = CliRun.of("rules", "check", "--wakame-compat", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).containsExactly(
                f + ":2:1: Wakame-vdc has no direction prefix ('egress:' is a Stockade extension)",
                f + ":3:11: Wakame-vdc ignored ip6 sources (expected ip4:ADDRESS[/N] or sg-GROUP)");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "[{\"id\": \"sg-x\"}]");
        CliRun none = CliRun.of("rules", "check", "--wakame-compat", broken.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no security group (an object with a 'rule' text) in this export");
    }

    @Test
    void missingFileIsAnErrorAndBadUsageExitsTwo() {
        CliRun missing = CliRun.of("rules", "check", "/nonexistent/rules.txt");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("/nonexistent/rules.txt: no such file");
        CliRun usage = CliRun.of("rules", "check", "a", "b");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(CliRun.of("no-such-command").exit()).isEqualTo(2);
    }

    @Test
    void helpAndVersion() {
        CliRun help = CliRun.of("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: stockade").contains("rules");
        CliRun version = CliRun.of("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("stockade 0.1.0");
        assertThat(CliRun.of("rules", "check", "--help").out()).contains("Examples:").contains("--wakame-compat");
    }
}
