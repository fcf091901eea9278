package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.World;
import io.stockade.core.net.IpVersion;
import io.stockade.core.testing.TestWorld;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, reserved addresses: the API gives no vnic its network's gateway (nor its DHCP/DNS
 * servers; TenantSuite), and in the kernel a vnic that claims the gateway's address anyway
 * cannot answer ARP for it: its replies carry a sender address that is not its own, and
 * anti-spoofing drops them, even towards a vnic that lets it in fully (same group).
 */
@RequiresRoot
class GatewayArpKernelTest extends KernelFixture {
    @Test
    void aVnicCannotAnswerArpForTheGateway() {
        World w = TestWorld.wakame().group("sg-all").vnic("vif-a1", "sg-all").vnic("vif-b1", "sg-all").build();
        dataplane.applyFull(w);
        String mac = w.vnics().get("vif-a1").mac().toString().toLowerCase();
        String own = w.vnics().get("vif-a1").addresses(IpVersion.V4).get(0).getHostAddress();
        assertThat(net.arpWhoHas(w, "vif-b1", own).toLowerCase()).as("vif-a1 answers for its own address").contains(mac);

        net.addAddress(w, "vif-a1", TestWorld.GATEWAY.getHostAddress() + "/32");
        assertThat(net.arpWhoHas(w, "vif-b1", TestWorld.GATEWAY.getHostAddress()).toLowerCase())
                .as("vif-a1 answering for the gateway %s", TestWorld.GATEWAY.getHostAddress()).doesNotContain(mac);
        net.addAddress(w, "vif-a1", TestWorld.DHCP_DNS.getHostAddress() + "/32");
        assertThat(net.arpWhoHas(w, "vif-b1", TestWorld.DHCP_DNS.getHostAddress()).toLowerCase())
                .as("vif-a1 answering for the DHCP/DNS server").doesNotContain(mac);
    }
}
