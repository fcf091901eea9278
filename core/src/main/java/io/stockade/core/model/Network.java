package io.stockade.core.model;

import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * An L2 network the vnics sit on: its subnets, its gateway and DHCP/DNS servers (always
 * reachable, anti-spoofed), the MACs of its routers (the only senders of router advertisements),
 * and how much it is filtered.
 */
public record Network(
        String id,
        String name,
        List<Cidr> subnets,
        List<InetAddress> gateways,
        List<InetAddress> dhcpServers,
        List<InetAddress> dnsServers,
        List<MacAddress> routerMacs,
        FirewallMode mode) {

    public Network {
        Ids.require(Ids.NETWORK, id, "id");
        Names.requireName(name, "name");
        subnets = List.copyOf(subnets);
        gateways = List.copyOf(gateways);
        dhcpServers = List.copyOf(dhcpServers);
        dnsServers = List.copyOf(dnsServers);
        routerMacs = List.copyOf(routerMacs);
        if (mode == null) {
            mode = FirewallMode.SECURITY_GROUPS;
        }
        requireInSubnets(gateways, subnets, "gateways");
    }

    private static void requireInSubnets(List<InetAddress> addresses, List<Cidr> subnets, String field) {
        for (int i = 0; i < addresses.size(); i++) {
            InetAddress a = addresses.get(i);
            if (subnets.stream().noneMatch(s -> s.contains(a))) {
                throw new ValidationException(field + "[" + i + "]", Ip.format(a) + " is in none of the network's subnets " + subnets);
            }
        }
    }

    public boolean isDhcpServer(InetAddress a) {
        return dhcpServers.contains(a);
    }

    public boolean isDnsServer(InetAddress a) {
        return dnsServers.contains(a);
    }
}
