package io.stockade.compiler;

import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.policy.Policy;
import io.stockade.core.testing.TestWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The rendered rulesets of small worlds, compared with reviewed files under
 * {@code src/test/resources/golden}. To accept a deliberate change, run with
 * {@code -Dstockade.golden.update=true} and review the diff.
 */
class GoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden");

    private static void golden(String name, World w) throws IOException {
        golden(name, w, DropLog.DEFAULTS);
    }

    private static void golden(String name, World w, DropLog log) throws IOException {
        String actual = Render.full(Compiler.compile(w, TestWorld.HOST, log));
        Path file = DIR.resolve(name + ".nft");
        if (Boolean.getBoolean("stockade.golden.update")) {
            Files.writeString(file, actual);
        }
        assertThat(actual).as("golden file %s", file).isEqualTo(Files.readString(file));
    }

    @Test
    void wakameDatabaseExample() throws IOException {
        golden("wakame-database", TestWorld.wakame()
                .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts"), tcpIn(22, 22, "0.0.0.0/0"))
                .group("sg-dbclnts")
                .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").build());
    }

    @Test
    void vpsPanelWithSmtpBlockAndNoGroup() throws IOException {
        golden("vps-panel", TestWorld.with(Policy.profile("vps-panel"))
                .group("sg-web", tcpIn(80, 80, "0.0.0.0/0"), tcpIn(443, 443, "0.0.0.0/0"), TestWorld.icmpIn(8, -1, "198.51.100.0/24"))
                .vnic("vif-web1", "sg-web").vnic("vif-bare1").build());
    }

    @Test
    void openstackStatelessGroup() throws IOException {
        golden("openstack-stateless", TestWorld.with(Policy.profile("openstack"))
                .statelessGroup("sg-sl", tcpIn(22, 22, "0.0.0.0/0"), tcpIn(1024, 65535, "0.0.0.0/0"))
                .vnic("vif-s1", "sg-sl").build());
    }

    /**
     * The openstack profile drops what connection tracking finds invalid at the head of each
     * stateful direction that filters; a vnic in no group drops everything, invalid or not.
     */
    @Test
    void openstackStatefulGroupDropsInvalid() throws IOException {
        golden("openstack-stateful", TestWorld.with(Policy.profile("openstack"))
                .group("sg-web", tcpIn(443, 443, "0.0.0.0/0"),
                        TestWorld.rule(Direction.EGRESS, new Match.AnyProtocol(), "0.0.0.0/0"))
                .vnic("vif-web1", "sg-web").vnic("vif-bare1").build());
    }

    /**
     * Isolation beside egress that drops what no rule allows: the fast path's isolation is judged
     * in a chain of its own before the egress chains, so two members of one group meet no egress rule.
     */
    @Test
    void isolationBeforeEgressChains() throws IOException {
        golden("wakame-egress-dropped", TestWorld.with(Policy.wakame().with("egressDefault", "drop"))
                .group("sg-web", tcpIn(80, 80, "0.0.0.0/0"),
                        TestWorld.rule(Direction.EGRESS, new Match.Ports(Match.TCP, 443, 443), "198.51.100.0/24"))
                .vnic("vif-web1", "sg-web").vnic("vif-web2", "sg-web").build());
    }

    /** A vnic that logs its drops: each drop verdict goes to a log chain (rate-limited nflog, then drop). */
    @Test
    void dropLoggingVnic() throws IOException {
        World w = TestWorld.wakame().group("sg-web", tcpIn(80, 80, "0.0.0.0/0")).vnic("vif-web1", "sg-web").build();
        Vnic v = w.vnics().get("vif-web1");
        golden("drop-log", w.toBuilder().vnic(v.withLogDrops(true)).build(), new DropLog(9, 5, 10));
    }
}
