package io.stockade.cli;

import io.stockade.agent.Agent;
import io.stockade.agent.Conntrack;
import io.stockade.agent.ConntrackSweeper;
import io.stockade.agent.NftDataplane;
import io.stockade.agent.Shell;
import io.stockade.agent.WatchClient;
import io.stockade.agent.nft.Nftables;
import io.stockade.agent.stats.Observation;
import io.stockade.compiler.DropLog;
import java.net.InetSocketAddress;
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
            "Counters of accepted and dropped packets go to the controller every --stats-interval seconds; drops of vnics",
            "that log them arrive through nflog (tcpdump -i nflog:GROUP) and are written to the log as structured lines.", "",
            "Example:", "  stockade agent --server http://ctl1:8750,http://ctl2:8750 --host hv01 \\", "      --token-file /etc/stockade/host.token --uplink eth1",
            "  stockade agent --server http://ctl1:8750 --host hv01 --token-file /etc/stockade/host.token --metrics-port 9750"})
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

    @Option(names = "--drift-check", defaultValue = "5", description = "seconds between checks of the kernel's ruleset (default 5; a check reads only the objects of Stockade's tables other programs touched)")
    int driftSeconds;

    @Option(names = "--drop-log-group", defaultValue = "750", description = "nflog group for logged drops (default 750)")
    int dropLogGroup;

    @Option(names = "--drop-log-rate", defaultValue = "10", description = "logged drops per second per vnic and reason, at most (default 10)")
    int dropLogRate;

    @Option(names = "--drop-log-burst", defaultValue = "20", description = "logged drops in a burst per vnic and reason (default 20)")
    int dropLogBurst;

    @Option(names = "--stats-interval", defaultValue = "5", description = "seconds between reports of counters and drops to the controller (default 5)")
    int statsSeconds;

    @Option(names = "--metrics-port", defaultValue = "0", description = "serve Prometheus /metrics on this port (default 0: off)")
    int metricsPort;

    @Option(names = "--metrics-bind", defaultValue = "127.0.0.1", description = "address for /metrics (default 127.0.0.1)")
    String metricsBind;

    @Override
    public Integer call() throws Exception {
        DropLog dropLog;
        try {
            dropLog = new DropLog(dropLogGroup, dropLogRate, dropLogBurst);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        Built b = assemble(servers, host, ServerCommand.readToken(tokenFile), bridge, uplinks, netns, Duration.ofSeconds(driftSeconds), dropLog);
        Runtime.getRuntime().addShutdownHook(new Thread(b.agent()::stop));
        try (Observation o = Observation.start(b.agent(), b.dataplane(), b.client(), netns, new Observation.Settings(dropLog,
                Duration.ofSeconds(Math.max(1, statsSeconds)), metricsPort > 0 ? new InetSocketAddress(metricsBind, metricsPort) : null))) {
            b.agent().run();
        }
        return 0;
    }

    /** An agent with its dataplane and controller client, so observers can be started beside it. */
    record Built(Agent agent, NftDataplane dataplane, WatchClient client) {}

    static Agent build(List<URI> servers, String host, String token, String bridge, List<String> uplinks, String netns, Duration drift) {
        return assemble(servers, host, token, bridge, uplinks, netns, drift, DropLog.DEFAULTS).agent();
    }

    static Built assemble(List<URI> servers, String host, String token, String bridge, List<String> uplinks, String netns, Duration drift,
            DropLog dropLog) {
        Shell shell = new Shell(netns);
        // The long poll never outlasts the drift check, so an idle agent still checks its kernel on time.
        Duration wait = drift.compareTo(Duration.ofSeconds(25)) < 0 ? drift : Duration.ofSeconds(25);
        WatchClient client = new WatchClient(servers, token, wait);
        // Reconnect attempts back off up to 10 s (less for agents that check their kernel often, as in tests).
        Duration maxBackoff = drift.multipliedBy(4).compareTo(Duration.ofSeconds(10)) < 0 ? drift.multipliedBy(4) : Duration.ofSeconds(10);
        NftDataplane dataplane = new NftDataplane(Nftables.open(shell), host, uplinks, dropLog);
        Agent agent = new Agent(new Agent.Config(host, bridge, uplinks, drift, maxBackoff), client, dataplane, new ConntrackSweeper(new Conntrack(shell)));
        return new Built(agent, dataplane, client);
    }
}
