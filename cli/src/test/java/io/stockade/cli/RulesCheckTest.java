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
        assertThat(CliRun.of("rules", "check", "--help").out()).contains("Example:");
    }
}
