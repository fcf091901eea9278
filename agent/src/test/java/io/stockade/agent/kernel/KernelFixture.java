package io.stockade.agent.kernel;

import io.stockade.agent.NftDataplane;
import io.stockade.agent.nft.NftLib;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One probe network and a dataplane on its host (through libnftables, as agents run), shared by a test class's tests. */
abstract class KernelFixture {
    static ProbeNet net;
    static NftDataplane dataplane;

    @BeforeAll
    static void up() {
        net = new ProbeNet();
        dataplane = new NftDataplane(NftLib.open(net.host.netns()), TestWorld.HOST, List.of("uplink0"));
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }
}
