package io.stockade.cli;

import io.stockade.core.model.FirewallMode;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import io.stockade.server.command.AdminCommand.CreateNetwork;
import io.stockade.server.command.AdminCommand.DeleteNetwork;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade network}: the L2 networks vnics sit on (admins). */
@Command(name = "network", mixinStandardHelpOptions = true, description = "Networks: list, create, delete.",
        subcommands = {NetworkCommand.ListNetworks.class, NetworkCommand.Create.class, NetworkCommand.Delete.class})
final class NetworkCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.id(), Output.Column.of("NAME", "name"),
            Output.Column.of("SUBNETS", "subnets"), Output.Column.of("GATEWAYS", "gateways"), Output.Column.of("DHCP", "dhcpServers"),
            Output.Column.of("DNS", "dnsServers"), Output.Column.of("MODE", "mode"));

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists networks.", "", "Example:", "  stockade network list"})
    static final class ListNetworks extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            return list("networks", COLUMNS);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a network.", "", "Example:", "  stockade network create prod --subnet 192.0.2.0/24 --gateway 192.0.2.1 --dhcp 192.0.2.2 --dns 192.0.2.2"})
    static final class Create extends GroupCommand.Verb {
        @Parameters(paramLabel = "NAME", description = "the network's name")
        String name;

        @Option(names = "--subnet", description = "a subnet CIDR (repeatable)")
        List<String> subnets = List.of();

        @Option(names = "--gateway", description = "a gateway address (repeatable)")
        List<String> gateways = List.of();

        @Option(names = "--dhcp", description = "a DHCP server address (repeatable)")
        List<String> dhcp = List.of();

        @Option(names = "--dns", description = "a DNS server address (repeatable)")
        List<String> dns = List.of();

        @Option(names = "--router-mac", description = "a router's MAC address (repeatable)")
        List<String> routerMacs = List.of();

        @Option(names = "--mode", description = "security-groups (default), isolation-only or passthrough")
        String mode;

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "network", api().send(command()), "created");
            return 0;
        }

        CreateNetwork command() {
            return new CreateNetwork(null, name, subnets.stream().map(s -> Cidr.parse(s, "subnets")).toList(),
                    gateways.stream().map(s -> Ip.parse(s, "gateways")).toList(), dhcp.stream().map(s -> Ip.parse(s, "dhcpServers")).toList(),
                    dns.stream().map(s -> Ip.parse(s, "dnsServers")).toList(), routerMacs.stream().map(s -> MacAddress.parse(s, "routerMacs")).toList(),
                    mode == null ? FirewallMode.SECURITY_GROUPS : FirewallMode.parse(mode, "mode"));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes a network without vnics.", "", "Example:", "  stockade network delete prod"})
    static final class Delete extends GroupCommand.Verb {
        @Parameters(paramLabel = "NETWORK", description = "network id or name")
        String network;

        @Override
        public Integer call() throws Exception {
            api().send(new DeleteNetwork(network));
            output.deleted(out(), "network", network);
            return 0;
        }
    }
}
