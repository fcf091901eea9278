package io.stockade.cli;

import io.stockade.agent.Agent;
import io.stockade.agent.Conntrack;
import io.stockade.agent.ConntrackSweeper;
import io.stockade.agent.NftDataplane;
import io.stockade.agent.Shell;
import io.stockade.agent.WatchClient;
import io.stockade.agent.nft.Nftables;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stockade agent}: enforces a host's security groups with nftables, following the controller. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs the host agent: installs a fail-closed ruleset, then follows the controller's watch stream",
            "and applies every change as one nftables transaction.", "",
            "Example:", "  stockade agent --server http://ctl1:8750,http://ctl2:8750 --host hv01 --token-file /etc/stockade/host.token --uplink eth1"})
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, split = ",", description = "controller URL(s); the agent fails over between them")
    List<URI> servers = new ArrayList<>();

    @Option(names = "--host", required = true, description = "this host's name")
    String host;

    @Option(names = "--token-file", required = true, description = "file holding the host (or admin) token")
    Path tokenFile;

    @Option(names = "--bridge", defaultValue = "br0", description = "the bridge the vnics' taps are on (default br0)")
    String bridge;

    @Option(names = "--uplink", description = "a bridge port that is an uplink (repeatable)")
    List<String> uplinks = new ArrayList<>();

    @Option(names = "--netns", description = "apply the rules inside this network namespace (labs and tests)")
    String netns;

    @Option(names = "--drift-check", defaultValue = "30", description = "seconds between checks of the kernel's ruleset (default 30)")
    int driftSeconds;

    @Override
    public Integer call() throws Exception {
        Agent agent = build(servers, host, ServerCommand.readToken(tokenFile), bridge, uplinks, netns, Duration.ofSeconds(driftSeconds));
        Runtime.getRuntime().addShutdownHook(new Thread(agent::stop));
        agent.run();
        return 0;
    }

    static Agent build(List<URI> servers, String host, String token, String bridge, List<String> uplinks, String netns, Duration drift) {
        Shell shell = new Shell(netns);
        // The long poll never outlasts the drift check, so an idle agent still checks its kernel on time.
        Duration wait = drift.compareTo(Duration.ofSeconds(25)) < 0 ? drift : Duration.ofSeconds(25);
        WatchClient client = new WatchClient(servers, token, wait);
        // Reconnect attempts back off up to 10 s (less for agents that check their kernel often, as in tests).
        Duration maxBackoff = drift.multipliedBy(4).compareTo(Duration.ofSeconds(10)) < 0 ? drift.multipliedBy(4) : Duration.ofSeconds(10);
        return new Agent(new Agent.Config(host, bridge, uplinks, drift, maxBackoff), client,
                new NftDataplane(Nftables.open(shell), host, uplinks), new ConntrackSweeper(new Conntrack(shell)));
    }
}
