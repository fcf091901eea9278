package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stockade host}: hypervisor hosts, their agents' state and their rulesets. */
@Command(name = "host", mixinStandardHelpOptions = true, description = "Hypervisor hosts: agent status and rulesets.",
        subcommands = {HostCommand.List.class, HostCommand.Ruleset.class})
final class HostCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: host list | host ruleset HOST");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"Hosts with their agent status and applied revision.", "", "Example:", "  stockade host list"})
    static final class List implements Callable<Integer> {
        @Mixin
        Connection connection;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            out.printf("%-16s %-24s %-10s %8s %8s  %s%n", "ID", "NAME", "AGENT", "APPLIED", "DESIRED", "LAST ERROR");
            for (JsonNode h : connection.api().get("v1/hosts?limit=1000").path("items")) {
                out.printf("%-16s %-24s %-10s %8s %8s  %s%n", h.path("id").asText(), h.path("name").asText(), h.path("agent").asText(),
                        h.path("appliedRevision").asText("-"), h.path("desiredRevision").asText(), h.path("lastError").asText(""));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "ruleset", mixinStandardHelpOptions = true,
            description = {"Prints the nftables script the host should run (nft -f accepts it).", "", "Example:", "  stockade host ruleset hv01 | nft -c -f -"})
    static final class Ruleset implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "HOST", description = "host id or name")
        String host;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().print(connection.api().getText("v1/hosts/" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "/ruleset"));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
