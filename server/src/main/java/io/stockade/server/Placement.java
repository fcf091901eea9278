package io.stockade.server;

import io.stockade.core.model.Host;
import io.stockade.core.model.Network;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.server.command.Refusal;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Where a vnic is and what it may claim. Placement fields (host, device, port security off,
 * addresses outside the network's subnets) are set by an admin or the service role only, as
 * Neutron's {@code binding:host_id} is admin-only; a member attaches groups and names its vnics.
 * Whoever places it, a vnic never takes a host's uplink or bridge as its device, and never holds
 * its network's gateways, DHCP/DNS servers or router MACs (anti-spoofing would then let it
 * impersonate them). A vnic without a network has no subnets to hold its addresses: a member's
 * has none (it would otherwise claim any address, a gateway of another network too).
 */
final class Placement {
    /** The request field with which an admin or the service places addresses outside the network's subnets. */
    static final String OUTSIDE_SUBNETS = "addressesOutsideSubnets";

    private Placement() {}

    /** Checks a vnic being created ({@code before} null) or changed; refused as forbidden or invalid, naming the field. */
    static void check(World w, Caller c, Vnic before, Vnic v, boolean outsideAllowed) {
        if (!c.places()) {
            requireUnchanged(before == null ? null : before.hostId(), v.hostId(), "host");
            requireUnchanged(before == null ? null : before.device(), v.device(), "device");
            requireUnchanged(before == null || before.portSecurity(), v.portSecurity(), "portSecurity");
            if (outsideAllowed) {
                throw new Refusal.Forbidden(null, "only an admin or the service may place addresses outside the network's subnets (" + OUTSIDE_SUBNETS + ")");
            }
        }
        if (v.hostId() != null && v.device() != null) {
            Host h = w.hosts().get(v.hostId());
            if (h != null && (v.device().equals(h.bridge()) || h.uplinks().contains(v.device()))) {
                throw new Refusal.Invalid("device", "device " + v.device() + " is host " + h.name() + "'s bridge or uplink, not a vnic's tap");
            }
        }
        Network n = v.networkId() == null ? null : w.networks().get(v.networkId());
        boolean claimsUnchanged = before != null && before.addresses().equals(v.addresses()) && before.mac().equals(v.mac())
                && Objects.equals(before.networkId(), v.networkId());
        if (claimsUnchanged) {
            return;
        }
        if (n == null) {
            // No network, no subnets: every address is outside them, which only an admin or the
            // service places (a Wakame-style deployment without networks places vnics so).
            if (!c.places() && !v.addresses().isEmpty()) {
                throw new Refusal.Invalid("addresses[0]", "a vnic without a network holds no addresses unless an admin or the service "
                        + "places them: give the network whose subnets hold " + Ip.format(v.addresses().get(0)));
            }
            return;
        }
        if (n.routerMacs().contains(v.mac())) {
            throw new Refusal.Invalid("mac", "MAC " + v.mac() + " is a router MAC of network " + n.name());
        }
        for (int i = 0; i < v.addresses().size(); i++) {
            InetAddress a = v.addresses().get(i);
            String field = "addresses[" + i + "]";
            if (n.gateways().contains(a) || n.dhcpServers().contains(a) || n.dnsServers().contains(a)) {
                throw new Refusal.Invalid(field, Ip.format(a) + " is reserved on network " + n.name() + " (its gateway, DHCP or DNS server)");
            }
            boolean inside = n.subnets().stream().anyMatch((Cidr s) -> s.contains(a));
            if (!inside && !(outsideAllowed && c.places())) {
                throw new Refusal.Invalid(field, Ip.format(a) + " is outside network " + n.name() + "'s subnets " + n.subnets()
                        + (c.places() ? " (set " + OUTSIDE_SUBNETS + " to place it anyway)" : ""));
            }
        }
    }

    private static void requireUnchanged(Object before, Object after, String field) {
        if (!Objects.equals(before, after)) {
            throw new Refusal.Forbidden(field, field + " is a placement field: only an admin or the service may set it");
        }
    }
}
