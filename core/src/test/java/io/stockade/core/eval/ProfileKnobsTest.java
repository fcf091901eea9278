package io.stockade.core.eval;

import static io.stockade.core.testing.TestWorld.arp;
import static io.stockade.core.testing.TestWorld.ping;
import static io.stockade.core.testing.TestWorld.rule;
import static io.stockade.core.testing.TestWorld.tcp;
import static io.stockade.core.testing.TestWorld.tcpFromOutside;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static io.stockade.core.testing.TestWorld.tcpToOutside;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Project;
import io.stockade.core.model.ValidationException;
import io.stockade.core.model.World;
import io.stockade.core.policy.Policy;
import io.stockade.core.testing.TestWorld;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every knob of every profile, observed through the evaluator. */
class ProfileKnobsTest {

    private static Verdict eval(World w, Packet p) {
        return Evaluator.evaluate(w, p);
    }

    @Test
    void presetsHaveTheDocumentedKnobs() {
        assertThat(Policy.profile("wakame").knobs()).containsEntry("isolation", "true").containsEntry("egressDefault", "allow")
                .containsEntry("noGroup", "drop-ingress").containsEntry("defaultGroup", "false").containsEntry("maxGroupsPerVnic", "16")
                .containsEntry("smtpBlock", "false").containsEntry("groupDeletion", "refuse").containsEntry("dropInvalid", "false");
        assertThat(Policy.profile("openstack").knobs()).containsEntry("isolation", "false").containsEntry("egressDefault", "drop")
                .containsEntry("noGroup", "drop-all").containsEntry("defaultGroup", "true").containsEntry("newGroupEgressRules", "true")
                .containsEntry("dropInvalid", "true").containsEntry("groupDeletion", "cascade-rules");
        assertThat(Policy.profile("cloudstack").knobs()).containsEntry("egressDefault", "drop-if-rules").containsEntry("noGroup", "drop-ingress")
                .containsEntry("defaultGroup", "true");
        assertThat(Policy.profile("vps-panel").knobs()).containsEntry("ingressDefault", "drop-if-rules").containsEntry("egressDefault", "drop-if-rules")
                .containsEntry("noGroup", "allow-all").containsEntry("maxGroupsPerVnic", "10").containsEntry("smtpBlock", "true")
                .containsEntry("groupDeletion", "detach");
        for (String p : new String[] {"wakame", "openstack", "cloudstack", "vps-panel"}) {
            assertThat(Policy.profile(p).dhcpDnsAllowed()).as(p).isTrue();
            assertThat(Policy.profile(p).ingressDefault()).as(p).isNotEqualTo(Policy.Default.ALLOW);
        }
    }

    @Test
    void everyKnobCanBeOverridden() {
        Policy p = Policy.of("wakame", Map.of("isolation", "false", "maxGroupsPerVnic", "4", "egressDefault", "drop"));
        assertThat(p.isolation()).isFalse();
        assertThat(p.maxGroupsPerVnic()).isEqualTo(4);
        assertThat(p.egressDefault()).isEqualTo(Policy.Default.DROP);
        for (String knob : Policy.KNOBS) {
            String current = Policy.wakame().knobs().get(knob);
            assertThat(Policy.wakame().with(knob, current)).as(knob).isEqualTo(Policy.wakame());
        }
    }

    @Test
    void badKnobsNameTheFieldAndTheChoices() {
        assertThatThrownBy(() -> Policy.profile("aws")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("unknown profile 'aws'").extracting("field").isEqualTo("policy.profile");
        assertThatThrownBy(() -> Policy.wakame().with("colour", "red")).hasMessageContaining("unknown knob 'colour'");
        assertThatThrownBy(() -> Policy.wakame().with("egressDefault", "maybe")).hasMessageContaining("[drop, allow, drop-if-rules]")
                .extracting("field").isEqualTo("policy.egressDefault");
        assertThatThrownBy(() -> Policy.wakame().with("maxGroupsPerVnic", "x")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Policy.wakame().with("maxGroupsPerVnic", "0")).hasMessageContaining("1..64");
        assertThatThrownBy(() -> Policy.wakame().with("isolation", "perhaps")).hasMessageContaining("true or false");
    }

    @Test
    void isolationOffLetsArpPassAndRulesDecide() {
        World w = TestWorld.with(Policy.profile("openstack")).group("sg-a", tcpIn(22, 22, "0.0.0.0/0")).group("sg-b")
                .vnic("vif-a1", "sg-a").vnic("vif-b1", "sg-b").build();
        assertThat(eval(w, arp(w, "vif-b1", "vif-a1")).allowed()).isTrue();
        // openstack: egress needs a rule, sg-b has none.
        assertThat(eval(w, tcp(w, "vif-b1", "vif-a1", 22)).reason()).isEqualTo(Reason.NO_RULE);
        World open = TestWorld.with(Policy.profile("openstack")).group("sg-a", tcpIn(22, 22, "0.0.0.0/0"))
                .group("sg-b", rule(Direction.EGRESS, new Match.AnyProtocol(), "0.0.0.0/0"))
                .vnic("vif-a1", "sg-a").vnic("vif-b1", "sg-b").build();
        assertThat(eval(open, tcp(open, "vif-b1", "vif-a1", 22)).allowed()).isTrue();
        // No implicit same-group access without isolation.
        World same = TestWorld.with(Policy.profile("openstack")).group("sg-a", rule(Direction.EGRESS, new Match.AnyProtocol(), "0.0.0.0/0"))
                .vnic("vif-a1", "sg-a").vnic("vif-a2", "sg-a").build();
        assertThat(eval(same, tcp(same, "vif-a1", "vif-a2", 80)).reason()).isEqualTo(Reason.NO_RULE);
    }

    @Test
    void egressDefaults() {
        World wakame = TestWorld.wakame().group("sg-a").vnic("vif-a1", "sg-a").build();
        assertThat(eval(wakame, tcpToOutside(wakame, "vif-a1", "203.0.113.5", 443)).allowed()).isTrue();
        World openstack = TestWorld.with(Policy.profile("openstack")).group("sg-a").vnic("vif-a1", "sg-a").build();
        Verdict v = eval(openstack, tcpToOutside(openstack, "vif-a1", "203.0.113.5", 443));
        assertThat(v.reason()).isEqualTo(Reason.NO_RULE);
        assertThat(v.trace()).anyMatch(l -> l.contains("knob egressDefault=drop"));
        // cloudstack: allowed until the first egress rule, then only what the rules allow.
        World cs = TestWorld.with(Policy.profile("cloudstack")).group("sg-a").vnic("vif-a1", "sg-a").build();
        assertThat(eval(cs, tcpToOutside(cs, "vif-a1", "203.0.113.5", 443)).allowed()).isTrue();
        World cs2 = TestWorld.with(Policy.profile("cloudstack")).group("sg-a", rule(Direction.EGRESS, new Match.Ports(Match.TCP, 80, 80), "0.0.0.0/0"))
                .vnic("vif-a1", "sg-a").build();
        assertThat(eval(cs2, tcpToOutside(cs2, "vif-a1", "203.0.113.5", 443)).reason()).isEqualTo(Reason.NO_RULE);
        assertThat(eval(cs2, tcpToOutside(cs2, "vif-a1", "203.0.113.5", 80)).allowed()).isTrue();
    }

    @Test
    void ingressDropIfRulesForVpsPanel() {
        World open = TestWorld.with(Policy.profile("vps-panel")).group("sg-a").vnic("vif-a1", "sg-a").build();
        assertThat(eval(open, tcpFromOutside(open, "203.0.113.5", "vif-a1", 8080)).allowed()).isTrue();
        World ruled = TestWorld.with(Policy.profile("vps-panel")).group("sg-a", tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-a1", "sg-a").build();
        assertThat(eval(ruled, tcpFromOutside(ruled, "203.0.113.5", "vif-a1", 8080)).reason()).isEqualTo(Reason.NO_RULE);
        assertThat(eval(ruled, tcpFromOutside(ruled, "203.0.113.5", "vif-a1", 22)).allowed()).isTrue();
    }

    @Test
    void vnicInNoGroup() {
        World wakame = TestWorld.wakame().vnic("vif-a1").build();
        assertThat(eval(wakame, tcpFromOutside(wakame, "203.0.113.5", "vif-a1", 22)).reason()).isEqualTo(Reason.NO_GROUP);
        assertThat(eval(wakame, tcpToOutside(wakame, "vif-a1", "203.0.113.5", 22)).allowed()).isTrue();
        World openstack = TestWorld.with(Policy.profile("openstack")).vnic("vif-a1").build();
        assertThat(eval(openstack, tcpToOutside(openstack, "vif-a1", "203.0.113.5", 22)).reason()).isEqualTo(Reason.NO_GROUP);
        World cloudstack = TestWorld.with(Policy.profile("cloudstack")).vnic("vif-a1").build();
        assertThat(eval(cloudstack, tcpToOutside(cloudstack, "vif-a1", "203.0.113.5", 22)).allowed()).isTrue();
        assertThat(eval(cloudstack, tcpFromOutside(cloudstack, "203.0.113.5", "vif-a1", 22)).allowed()).isFalse();
        World vps = TestWorld.with(Policy.profile("vps-panel")).vnic("vif-a1").build();
        assertThat(eval(vps, tcpFromOutside(vps, "203.0.113.5", "vif-a1", 22)).allowed()).isTrue();
        // A vnic in no group is isolated from everyone under isolation.
        World iso = TestWorld.wakame().group("sg-a").vnic("vif-a1").vnic("vif-b1", "sg-a").build();
        assertThat(eval(iso, ping(iso, "vif-b1", "vif-a1")).reason()).isEqualTo(Reason.ISOLATION);
    }

    @Test
    void smtpBlockUnlessTheProjectEnablesIt() {
        World vps = TestWorld.with(Policy.profile("vps-panel")).group("sg-a").vnic("vif-a1", "sg-a").build();
        Verdict v = eval(vps, tcpToOutside(vps, "vif-a1", "203.0.113.25", 25));
        assertThat(v.reason()).isEqualTo(Reason.SMTP_BLOCKED);
        assertThat(v.trace()).anyMatch(l -> l.contains("knob smtpBlock=true"));
        assertThat(eval(vps, tcpToOutside(vps, "vif-a1", "203.0.113.25", 587)).allowed()).isTrue();
        World enabled = TestWorld.with(Policy.profile("vps-panel")).project(new Project(TestWorld.PROJECT, "test", true))
                .group("sg-a").vnic("vif-a1", "sg-a").build();
        assertThat(eval(enabled, tcpToOutside(enabled, "vif-a1", "203.0.113.25", 25)).allowed()).isTrue();
        World wakame = TestWorld.wakame().group("sg-a").vnic("vif-a1", "sg-a").build();
        assertThat(eval(wakame, tcpToOutside(wakame, "vif-a1", "203.0.113.25", 25)).allowed()).isTrue();
    }

    @Test
    void dhcpAndDnsWithTheNetworksServersAlwaysPass() {
        World w = TestWorld.with(Policy.profile("openstack")).group("sg-a").vnic("vif-a1", "sg-a").build();
        var a = w.vnics().get("vif-a1");
        Packet dns = Packet.udp(Endpoint.vnic("vif-a1"), Endpoint.outside(), a.mac(), TestWorld.OUTSIDE_MAC, a.addresses().get(0), TestWorld.DHCP_DNS, 40000, 53);
        assertThat(eval(w, dns).allowed()).isTrue();
        Packet otherDns = Packet.udp(Endpoint.vnic("vif-a1"), Endpoint.outside(), a.mac(), TestWorld.OUTSIDE_MAC, a.addresses().get(0), TestWorld.ip("203.0.113.53"), 40000, 53);
        assertThat(eval(w, otherDns).allowed()).isFalse();
        Packet discover = Packet.udp(Endpoint.vnic("vif-a1"), Endpoint.outside(), a.mac(), TestWorld.OUTSIDE_MAC, io.stockade.core.net.Ip.V4_ANY, io.stockade.core.net.Ip.V4_BROADCAST, 68, 67);
        assertThat(eval(w, discover).allowed()).isTrue();
        Packet offer = Packet.udp(Endpoint.outside(), Endpoint.vnic("vif-a1"), TestWorld.OUTSIDE_MAC, a.mac(), TestWorld.DHCP_DNS, a.addresses().get(0), 67, 68);
        assertThat(eval(w, offer).allowed()).isTrue();
        World off = TestWorld.with(Policy.profile("openstack").with("dhcpDnsAllowed", "false")).group("sg-a").vnic("vif-a1", "sg-a").build();
        assertThat(eval(off, dns).allowed()).isFalse();
    }

    @Test
    void groupDeletionAndDefaultGroupKnobsAreReadByTheApi() {
        assertThat(Policy.profile("vps-panel").groupDeletion()).isEqualTo(Policy.GroupDeletion.DETACH);
        assertThat(Policy.profile("openstack").groupDeletion()).isEqualTo(Policy.GroupDeletion.CASCADE_RULES);
        assertThat(Policy.profile("wakame").with("groupDeletion", "cascade-rules").groupDeletion()).isEqualTo(Policy.GroupDeletion.CASCADE_RULES);
        assertThat(Policy.profile("openstack").defaultGroup()).isTrue();
        assertThat(Policy.profile("wakame").newGroupEgressRules()).isFalse();
    }
}
