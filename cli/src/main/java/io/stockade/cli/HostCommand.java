package io.stockade.cli;

import io.stockade.server.command.AdminCommand.CreateHost;
import io.stockade.server.command.AdminCommand.DeleteHost;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stockade host}: hypervisor hosts, their agents' state and their rulesets. */
@Command(name = "host", mixinStandardHelpOptions = true, description = "Hypervisor hosts: list, show, create, delete, ruleset.",
        subcommands = {HostCommand.ListHosts.class, HostCommand.Show.class, HostCommand.Create.class, HostCommand.Delete.class,
            HostCommand.Ruleset.class})
final class HostCommand extends Noun {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.id(), Output.Column.of("NAME", "name"), Output.Column.of("AGENT", "agent"),
            Output.Column.of("APPLIED", n -> n.path("appliedRevision").isNull() ? "-" : n.path("appliedRevision").asText()),
            Output.Column.of("DESIRED", "desiredRevision"), Output.Column.of("VNICS", "vnics"), Output.Column.of("UPLINKS", "uplinks"),
            Output.Column.of("LAST ERROR", "lastError"));

    static String path(String host) {
        return "v1/hosts/" + GroupCommand.enc(host);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Lists hosts with their agent status and applied revision.", "", "Example:",
        "  stockade host list -o wide"})
    static final class ListHosts extends GroupCommand.Verb {
        @Override
        public Integer call() throws Exception {
            return list("hosts", COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Shows a host and its agent's state.", "", "Example:", "  stockade host show hv01"})
    static final class Show extends GroupCommand.Verb {
        @Parameters(paramLabel = "HOST", description = "host id or name")
        String host;

        @Override
        public Integer call() throws Exception {
            return show(path(host), COLUMNS);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a host (admins); its agent then runs with --host NAME.", "", "Example:", "  stockade host create hv01 --uplink eth1"})
    static final class Create extends GroupCommand.Verb {
        @Parameters(paramLabel = "NAME", description = "the host's name, as its agent's --host names it")
        String name;

        @Option(names = "--bridge", description = "the bridge its vnics' taps are on")
        String bridge;

        @Option(names = "--uplink", description = "an uplink interface whose traffic passes unfiltered (repeatable)")
        List<String> uplinks = List.of();

        @Override
        public Integer call() throws Exception {
            output.changed(out(), "host", api().send(new CreateHost(name, bridge, uplinks)), "created");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Deletes hosts without vnics (admins).", "", "Example:", "  stockade host delete hv01"})
    static final class Delete extends GroupCommand.Verb {
        @Parameters(paramLabel = "HOST", arity = "1..*", description = "host ids or names")
        List<String> hosts;

        @Override
        public Integer call() throws Exception {
            for (String h : hosts) {
                api().send(new DeleteHost(h));
                output.deleted(out(), "host", h);
            }
            return 0;
        }
    }

    @Command(name = "ruleset", mixinStandardHelpOptions = true,
            description = {"Prints the nftables script the host should run (nft -f accepts it).", "", "Example:", "  stockade host ruleset hv01 | nft -c -f -"})
    static final class Ruleset extends GroupCommand.Verb {
        @Parameters(paramLabel = "HOST", description = "host id or name")
        String host;

        @Override
        public Integer call() throws Exception {
            out().print(api().getText(path(host) + "/ruleset"));
            out().flush();
            return 0;
        }
    }
}
