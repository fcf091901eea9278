package io.stockade.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", name);
            b.put("subnets", subnets);
            b.put("gateways", gateways);
            b.put("dhcpServers", dhcp);
            b.put("dnsServers", dns);
            b.put("routerMacs", routerMacs);
            VnicCommand.put(b, "mode", mode);
            output.changed(out(), "network", api().post("v1/networks", b), "created");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes a network without vnics.", "", "Example:", "  stockade network delete prod"})
    static final class Delete extends GroupCommand.Verb {
        @Parameters(paramLabel = "NETWORK", description = "network id or name")
        String network;

        @Override
        public Integer call() throws Exception {
            api().delete("v1/networks/" + GroupCommand.enc(network));
            output.deleted(out(), "network", network);
            return 0;
        }
    }
}
