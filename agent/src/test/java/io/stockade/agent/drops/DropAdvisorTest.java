package io.stockade.agent.drops;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.compiler.Counters;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import io.stockade.core.testing.TestWorld;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The rule a dropped packet would have needed, checked against the reference evaluator. */
class DropAdvisorTest {
    /** UDP 192.0.2.10:5000 -> 192.0.2.11:53, headers only. */
    private static final byte[] UDP_10_TO_11 = HexFormat.of().parseHex("4500001c000040004011f6b8c000020ac000020b" + "1388003500080000");

    private static NflogPacket packet(String prefix, Vnic src, Vnic dst, byte[] payload) {
        return new NflogPacket(Instant.EPOCH, prefix, 0x0800, src.mac(), dst.mac(), payload);
    }

    @Test
    void aNoRuleDropBetweenVnicsNeedsAReferenceToTheSourcesGroup() {
        World w = TestWorld.wakame().group("sg-app").group("sg-dns", TestWorld.tcpFromGroup(22, 22, "sg-app"))
                .vnic("vif-app1", "sg-app").vnic("vif-dns1", "sg-dns").build();
        Drop d = DropDecoder.decode(packet(Counters.logPrefix("vif-dns1", Counters.INGRESS, Counters.Reason.NO_RULE),
                w.vnics().get("vif-app1"), w.vnics().get("vif-dns1"), UDP_10_TO_11), w).orElseThrow();
        assertThat(d.neededGroup()).isEqualTo("sg-dns");
        assertThat(d.neededRule()).isEqualTo("udp:53,53,sg-app");
    }

    @Test
    void anEgressDropNeedsAnEgressRule() {
        World w = TestWorld.with(Policy.profile("openstack")).group("sg-locked").vnic("vif-a1", "sg-locked").vnic("vif-b1").build();
        Vnic a = w.vnics().get("vif-a1");
        Drop d = DropDecoder.decode(new NflogPacket(Instant.EPOCH, Counters.logPrefix("vif-a1", Counters.EGRESS, Counters.Reason.NO_RULE),
                0x0800, a.mac(), new MacAddress(0x02_00_00_00_ff_01L), UDP_10_TO_11), w).orElseThrow();
        assertThat(d.direction()).isEqualTo("egress");
        assertThat(d.neededRule()).isEqualTo("egress:udp:53,53,ip4:192.0.2.11");
    }

    @Test
    void spoofedPacketsNeedNoRule() {
        World w = TestWorld.wakame().group("sg-app").vnic("vif-app1", "sg-app").vnic("vif-dns1", "sg-app").build();
        Drop d = DropDecoder.decode(packet(Counters.logPrefix("vif-app1", Counters.EGRESS, Counters.Reason.SPOOFING),
                w.vnics().get("vif-app1"), w.vnics().get("vif-dns1"), UDP_10_TO_11), w).orElseThrow();
        assertThat(d.reason()).isEqualTo("spoofing");
        assertThat(d.neededRule()).isNull();
        assertThat(d.logLine()).doesNotContain("needed");
    }
}
