package io.stockade.core.model;

import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A virtual network interface: the tap {@code device} on its {@code host} (null while not
 * placed), its MAC and addresses, its network and its security groups (an ordered set).
 * {@code portSecurity = false} turns all filtering off for this vnic (Neutron's
 * {@code port_security_enabled}). {@code logDrops} asks its host to log the packets its firewall
 * drops (rate-limited in the kernel); a group's flag does the same for all its members.
 * {@code description} is the caller's note (Neutron's port {@code description}); no firewall reads it.
 */
public record Vnic(
        String id,
        String projectId,
        String name,
        String instanceId,
        String hostId,
        String device,
        MacAddress mac,
        List<InetAddress> addresses,
        String networkId,
        List<String> securityGroupIds,
        boolean portSecurity,
        boolean logDrops,
        String description) {

    public Vnic {
        Ids.require(Ids.VNIC, id, "id");
        Ids.require(Ids.PROJECT, projectId, "project");
        name = name == null || name.isEmpty() ? "" : Names.requireName(name, "name");
        if (instanceId != null) {
            Ids.require(Ids.INSTANCE, instanceId, "instance");
        }
        if (hostId != null) {
            Ids.require(Ids.HOST, hostId, "host");
        }
        if (device != null) {
            Devices.require(device, "device");
        }
        if (mac == null) {
            throw new ValidationException("mac", "must be a MAC address such as 52:54:00:12:34:56, got nothing");
        }
        addresses = List.copyOf(new LinkedHashSet<>(addresses));
        if (networkId != null) {
            Ids.require(Ids.NETWORK, networkId, "network");
        }
        if (new LinkedHashSet<>(securityGroupIds).size() != securityGroupIds.size()) {
            throw new ValidationException("securityGroups", "a group is listed twice");
        }
        securityGroupIds = List.copyOf(securityGroupIds);
        description = Names.description(description, "description");
    }

    /** A vnic without a description. */
    public Vnic(String id, String projectId, String name, String instanceId, String hostId, String device, MacAddress mac,
            List<InetAddress> addresses, String networkId, List<String> securityGroupIds, boolean portSecurity, boolean logDrops) {
        this(id, projectId, name, instanceId, hostId, device, mac, addresses, networkId, securityGroupIds, portSecurity, logDrops, "");
    }

    /** A vnic that does not log its drops. */
    public Vnic(String id, String projectId, String name, String instanceId, String hostId, String device, MacAddress mac,
            List<InetAddress> addresses, String networkId, List<String> securityGroupIds, boolean portSecurity) {
        this(id, projectId, name, instanceId, hostId, device, mac, addresses, networkId, securityGroupIds, portSecurity, false);
    }

    public List<InetAddress> addresses(IpVersion version) {
        return addresses.stream().filter(a -> Ip.version(a) == version).toList();
    }

    public Vnic withGroups(List<String> groups) {
        return new Vnic(id, projectId, name, instanceId, hostId, device, mac, addresses, networkId, groups, portSecurity, logDrops, description);
    }

    public Vnic withHost(String newHost, String newDevice) {
        return new Vnic(id, projectId, name, instanceId, newHost, newDevice, mac, addresses, networkId, securityGroupIds, portSecurity, logDrops, description);
    }

    public Vnic withLogDrops(boolean on) {
        return new Vnic(id, projectId, name, instanceId, hostId, device, mac, addresses, networkId, securityGroupIds, portSecurity, on, description);
    }
}
