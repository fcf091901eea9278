package io.stockade.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.agent.Agent;
import io.stockade.agent.netns.Topology;
import io.stockade.agent.stats.Observation;
import io.stockade.compiler.DropLog;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import io.stockade.server.Caller;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import io.stockade.server.command.AdminCommand.CreateNetwork;
import io.stockade.server.command.AdminCommand.CreateProject;
import io.stockade.server.command.AdminCommand.CreateToken;
import io.stockade.server.command.GroupCommand.CreateGroup;
import io.stockade.server.command.GroupCommand.InitialRules;
import io.stockade.server.command.GroupCommand.ReplaceRules;
import io.stockade.server.command.VnicCommand.CreateInstance;
import io.stockade.server.command.VnicCommand.CreateVnic;
import io.stockade.server.command.VnicCommand.SetVnicGroups;
import io.stockade.server.command.VnicCommand.UpdateVnic;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Parameters;

/**
 * {@code stockade lab}: the Wakame-vdc database example on this machine, for real: a host
 * namespace with a bridge, three VMs, the embedded server and an agent.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Builds a demo in network namespaces (needs root): a host with a bridge, VMs db1, app1 and web1,",
            "the embedded server and an agent; walks through the Wakame-vdc database example (sg-dbsrv opens",
            "tcp 3306 to sg-dbclnts), then adds web1 to sg-dbclnts and shows the firewall follow.",
            "It keeps running (try the CLI on the printed URL) until Ctrl-C; 'stockade lab down' removes leftovers.", "",
            "Example:", "  sudo stockade lab --exit"})
final class LabCommand implements Callable<Integer> {
    static final String PREFIX = "stklab";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", defaultValue = "up", paramLabel = "up|down", description = "up (default) runs the demo; down removes it")
    String action;

    @Option(names = "--exit", description = "tear everything down after the walk-through instead of waiting for Ctrl-C")
    boolean exit;

    @Option(names = "--port", defaultValue = "8750", description = "the demo server's port (default 8750)")
    int port;

    private PrintWriter out;

    /** Sends every log line (the server's requests, the agent's applies) to a file, so the terminal tells only the lab's story. */
    private static void logTo(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (action.equals("down")) {
            int n = Topology.removeAll(PREFIX);
            out.println("removed " + n + " lab namespaces");
            return 0;
        }
        if (!action.equals("up")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "expected up or down, got '" + action + "'");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            spec.commandLine().getErr().println("stockade lab builds network namespaces and nftables rules: run it as root (sudo)");
            return 1;
        }
        Topology.removeAll(PREFIX);
        Path data = Files.createTempDirectory("stockade-lab");
        Path log = data.resolve("lab.log");
        logTo(log);
        out.println("(the server's and the agent's logs go to " + log + ")");
        Topology topo = new Topology(PREFIX);
        StockadeServer server = null;
        Agent agent = null;
        Observation observation = null;
        CountDownLatch tornDown = new CountDownLatch(1);
        try {
            server = StockadeServer.start(ServerConfig.sqlite(data, port));
            String admin = Files.readString(server.adminTokenFile()).strip();
            URI url = URI.create("http://127.0.0.1:" + server.port());
            Api api = new Api(url, admin);
            step("Building host hv1 (namespace " + PREFIX + "-hv1, bridge br0) and VMs db1, app1, web1");
            topo.addHost("hv1");
            Topology.Vm db1 = topo.addVm("db1", "hv1", "tapdb1", "52:54:00:00:01:10", List.of("192.0.2.10/24"));
            Topology.Vm app1 = topo.addVm("app1", "hv1", "tapapp1", "52:54:00:00:01:11", List.of("192.0.2.11/24"));
            Topology.Vm web1 = topo.addVm("web1", "hv1", "tapweb1", "52:54:00:00:01:12", List.of("192.0.2.12/24"));
            topo.exec(db1.namespace(), "sh", "-c", "nc -l -k 3306 >/dev/null 2>&1 &");

            step("Starting the agent of host hv1 (it installs a fail-closed ruleset first)");
            String hostToken = api.send(new CreateToken(Caller.Role.HOST, null, "hv1", null)).path("token").asText();
            AgentCommand.Built built = AgentCommand.assemble(List.of(url), "hv1", hostToken, "br0", List.of(), topo.hostNamespace("hv1"),
                    Duration.ofSeconds(5), DropLog.DEFAULTS);
            agent = built.agent();
            observation = Observation.start(agent, built.dataplane(), built.client(), topo.hostNamespace("hv1"),
                    new Observation.Settings(DropLog.DEFAULTS, Duration.ofSeconds(1), null));
            Thread agentThread = new Thread(agent, "agent-hv1");
            agentThread.setDaemon(true);
            agentThread.start();

            step("Creating the Wakame-vdc database example through the API");
            String project = api.send(new CreateProject(null, "demo", false)).path("id").asText();
            List<InetAddress> servers = List.of(Ip.parse("192.0.2.2", "dhcpServers"));
            api.send(new CreateNetwork(null, "lab", List.of(Cidr.parse("192.0.2.0/24", "subnets")), List.of(Ip.parse("192.0.2.1", "gateways")), servers,
                    servers, List.of(), FirewallMode.SECURITY_GROUPS));
            api.send(group("sg-dbclnts", "dbclnts", project, "database clients"));
            api.send(group("sg-web", "web", project, null));
            api.send(group("sg-dbsrv", "dbsrv", project, "database servers"));
            String rules = "tcp:3306,3306,sg-dbclnts   # mysql from every database client\ntcp:22,22,ip4:0.0.0.0      # ssh from anywhere\n";
            api.send(new ReplaceRules("sg-dbsrv", rules));
            out.println("    sg-dbsrv rules:\n" + indent(api.getText("/v1/security-groups/sg-dbsrv/rules")));
            waitForHost(api, "hv1");
            for (Topology.Vm vm : List.of(db1, app1, web1)) {
                String inst = api.send(new CreateInstance(vm.name(), project)).path("id").asText();
                String group = vm == db1 ? "sg-dbsrv" : vm == app1 ? "sg-dbclnts" : "sg-web";
                List<InetAddress> addresses = vm.addresses().stream().map(a -> Cidr.parseLoose(a, "addresses").cidr().network()).toList();
                api.send(new CreateVnic("vif-" + vm.name(), null, null, inst, "hv1", vm.tap(), MacAddress.parse(vm.mac(), "mac"), addresses, "lab",
                        List.of(group), true, false, null, false));
                out.println("    " + vm.name() + " (" + vm.addresses().get(0) + ") in " + group);
            }
            awaitApplied(api, "hv1");

            step("Which connections succeed");
            check(topo, app1, db1, 3306, true, "app1 (sg-dbclnts) -> db1:3306   allowed by tcp:3306,3306,sg-dbclnts");
            check(topo, web1, db1, 3306, false, "web1 (sg-web)     -> db1:3306   web1 is no database client");
            check(topo, app1, db1, 5432, false, "app1              -> db1:5432   only 3306 is open to clients");
            check(topo, db1, app1, 22, false, "db1               -> app1:22    the reference does not open the other way");
            ping(topo, app1, web1, false, "app1 ping web1    (isolation: they share no group and no reference)");

            step("Why is app1 -> db1:5432 blocked? Logging db1's drops");
            api.send(UpdateVnic.logDrops("vif-db1", true));
            awaitApplied(api, "hv1");
            explainDrop(api, topo, app1, db1, 5432);

            step("Adding web1 to sg-dbclnts: the firewall follows, no restart");
            long start = System.nanoTime();
            api.send(new SetVnicGroups("vif-web1", List.of("sg-web", "sg-dbclnts")));
            awaitApplied(api, "hv1");
            out.printf("    applied on hv1 in %d ms%n", (System.nanoTime() - start) / 1_000_000);
            check(topo, web1, db1, 3306, true, "web1 (sg-web, sg-dbclnts) -> db1:3306   now a client");
            JsonNode why = api.get("/v1/explain?from=vif-web1&to=vif-db1&proto=tcp&port=3306");
            out.println("    explain web1 -> db1 tcp 3306: " + why.path("verdict").asText() + " (" + why.path("reason").asText() + ", group "
                    + why.path("group").asText() + ")");

            if (exit) {
                step("Done; tearing down");
                return 0;
            }
            step("The lab keeps running. Try:");
            out.println("    export STOCKADE_URL=" + url + " STOCKADE_TOKEN=" + admin);
            out.println("    curl -H \"Authorization: Bearer $STOCKADE_TOKEN\" $STOCKADE_URL/v1/security-groups");
            out.println("    ip netns exec " + app1.namespace() + " nc -zv 192.0.2.10 3306");
            out.println("    Ctrl-C stops the lab and removes it.");
            out.flush();
            // Ctrl-C starts the JVM's shutdown, which runs hooks but no finally block of a waiting
            // thread: the hook wakes this thread, then holds the exit until the teardown below is done.
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    tornDown.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "lab-teardown"));
            stop.await();
            return 0;
        } finally {
            if (observation != null) {
                observation.close();
            }
            if (agent != null) {
                agent.stop();
            }
            if (server != null) {
                server.close();
            }
            topo.close();
            deleteTree(data);
            tornDown.countDown();
        }
    }

    private void step(String s) {
        out.println("==> " + s);
        out.flush();
    }

    private void check(Topology topo, Topology.Vm from, Topology.Vm to, int port, boolean expected, String what) {
        boolean ok = topo.exec(from.namespace(), "nc", "-z", "-w", "1", to.addresses().get(0), Integer.toString(port)).ok();
        report(ok, expected, what);
    }

    /** Tries the connection until its drop is logged (the agent's nflog reader may still be starting), and prints the line. */
    private void explainDrop(Api api, Topology topo, Topology.Vm from, Topology.Vm to, int port) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            topo.exec(from.namespace(), "nc", "-z", "-w", "1", to.addresses().get(0), Integer.toString(port));
            for (JsonNode d : api.get("/v1/vnics/vif-" + to.name() + "/drops?limit=100&wait=2").path("items")) {
                if (d.path("dstPort").asInt() == port) {
                    out.printf("    DROPPED   %s %s %s %s:%d -> %s:%d%n", d.path("direction").asText(), d.path("reason").asText(), d.path("protocol").asText(),
                            d.path("src").asText(), d.path("srcPort").asInt(), d.path("dst").asText(), port);
                    out.printf("              would need in %s: %s   (stockade vnic drops vif-%s --follow)%n", d.path("neededGroup").asText(),
                            d.path("neededRule").asText(), to.name());
                    out.flush();
                    return;
                }
            }
        }
        throw new IllegalStateException("no drop of " + from.name() + " -> " + to.name() + ":" + port + " was logged");
    }

    private void ping(Topology topo, Topology.Vm from, Topology.Vm to, boolean expected, String what) {
        boolean ok = topo.exec(from.namespace(), "ping", "-c", "1", "-W", "1", to.addresses().get(0)).ok();
        report(ok, expected, what);
    }

    private void report(boolean ok, boolean expected, String what) {
        out.printf("    %-9s %s%s%n", ok ? "CONNECTS" : "BLOCKED", what, ok == expected ? "" : "   <-- UNEXPECTED");
        out.flush();
        if (ok != expected) {
            throw new IllegalStateException("the lab saw " + (ok ? "a connection" : "a block") + " where the policy says otherwise: " + what);
        }
    }

    private static void waitForHost(Api api, String name) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (api.get("/v1/hosts?name=" + name).path("total").asInt() > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the agent of " + name + " did not register");
    }

    /** Waits (up to 15 s) until the host's agent reports the host's desired revision. */
    static void awaitApplied(Api api, String name) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode h = api.get("/v1/hosts?name=" + name).path("items").path(0);
            if (!h.path("appliedRevision").isNull() && h.path("appliedRevision").asLong() >= h.path("desiredRevision").asLong()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("host " + name + " did not apply its desired revision in time");
    }

    /** A group of the lab's project with no rules yet. */
    private static CreateGroup group(String id, String name, String project, String description) {
        return new CreateGroup(id, name, description, project, true, false, false, new InitialRules.ProfileDefault());
    }

    private static String indent(String s) {
        return s.lines().map(l -> "      " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

}
