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
    /** libnftables in the probe network's host namespace, as the dataplane speaks to it. */
    static NftLib lib;

    @BeforeAll
    static void up() {
        net = new ProbeNet();
        lib = NftLib.open(net.host.netns());
        dataplane = new NftDataplane(lib, TestWorld.HOST, List.of("uplink0"));
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }
}
