package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.Agent;
import io.stockade.agent.Shell;
import io.stockade.agent.netns.Topology;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Debian's libvirtd and QEMU (TCG) running the hook: two hypervisor hosts, each a network namespace
 * with a bridge, a Stockade agent and its own libvirtd (in a mount namespace of its own, with
 * /etc/libvirt holding the hook of stockade.jar). A domain whose interface is a vnic starts on hv1
 * only once hv1's ruleset holds its tap, is saved and restored (released and bound again),
 * migrates to hv2 taking the binding along, and gives it
 * up when destroyed; with hv2's agent stopped it does not start at all. Needs root,
 * libvirt-daemon-system and qemu-system-x86.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
@EnabledIf("libvirtInstalled")
class LibvirtIT {
    private static final String MAC = "52:54:00:00:04:10";
    /** An interface that is no vnic: it stays an unknown, dropped bridge port. */
    private static final String STRANGER = "52:54:00:00:04:99";

    private Path dir;
    private StockadeServer server;
    private Topology topo;
    private Api api;
    private final List<Agent> agents = new ArrayList<>();
    private final List<Libvirtd> daemons = new ArrayList<>();

    static boolean libvirtInstalled() {
        return Files.isExecutable(Path.of("/usr/sbin/libvirtd")) && Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"));
    }

    @BeforeEach
    void up() throws Exception {
        dir = Files.createTempDirectory("stockade-libvirt");
        server = StockadeServer.start(ServerConfig.sqlite(dir.resolve("data"), 0));
        URI url = URI.create("http://127.0.0.1:" + server.port());
        String admin = Files.readString(server.adminTokenFile()).strip();
        api = new Api(URI.create(url + "/"), admin);
        Files.writeString(dir.resolve("hook.token"), admin);
        topo = new Topology("virt" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36));
        for (String host : List.of("hv1", "hv2")) {
            topo.addHost(host);
        }
        topo.addUplink("hv1", "hv2", "uplink0");
        // The migration stream between the two QEMUs: a link of its own between the hosts.
        topo.exec(topo.hostNamespace("hv1"), "ip", "link", "add", "mig0", "type", "veth", "peer", "name", "mig0", "netns", topo.hostNamespace("hv2"));
        for (String[] h : new String[][] {{"hv1", "198.51.100.1/24"}, {"hv2", "198.51.100.2/24"}}) {
            topo.exec(topo.hostNamespace(h[0]), "ip", "addr", "add", h[1], "dev", "mig0");
            topo.exec(topo.hostNamespace(h[0]), "ip", "link", "set", "mig0", "up");
        }
        for (String host : List.of("hv1", "hv2")) {
            String token = RawApi.post(api, "v1/tokens", Map.of("role", "host", "host", host)).path("token").asText();
            Agent a = AgentCommand.build(List.of(url), host, token, "br0", List.of("uplink0"), topo.hostNamespace(host), Duration.ofMillis(500));
            Thread t = new Thread(a, "agent-" + host);
            t.setDaemon(true);
            t.start();
            agents.add(a);
            daemons.add(new Libvirtd(host, url));
        }
        String project = RawApi.post(api, "v1/projects", Map.of("name", "virt")).path("id").asText();
        RawApi.post(api, "v1/security-groups", Map.of("id", "sg-web", "name", "web", "project", project));
        RawApi.post(api, "v1/vnics", Map.of("id", "vif-vm1", "project", project, "mac", MAC, "addresses", List.of("192.0.2.10"), "securityGroups", List.of("sg-web")));
        Instant deadline = Instant.now().plusSeconds(120);
        while (api.get("v1/hosts?name=hv2").path("total").asInt() == 0 || api.get("v1/hosts?name=hv1").path("total").asInt() == 0) {
            assertThat(Instant.now()).as("both agents registered").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    @AfterEach
    void down() throws Exception {
        for (Libvirtd d : daemons) {
            d.close();
        }
        agents.forEach(Agent::stop);
        if (topo != null) {
            topo.close();
        }
        if (server != null) {
            server.close();
        }
        new Shell(null).run(null, "rm", "-rf", dir.toString());
    }

    @Test
    void aDomainStartsOnlyOnceItsTapIsEnforcedMigratesWithItsBindingReleasesItAndWithoutAnAgentDoesNotStart() throws Exception {
        Libvirtd hv1 = daemons.get(0);
        Libvirtd hv2 = daemons.get(1);
        Path xml = Files.writeString(dir.resolve("vm1.xml"), """
                <domain type='qemu'>
                  <name>vm1</name>
                  <memory unit='MiB'>64</memory>
                  <vcpu>1</vcpu>
                  <os><type arch='x86_64' machine='pc'>hvm</type></os>
                  <devices>
                    <interface type='bridge'><source bridge='br0'/><mac address='%s'/><model type='e1000'/></interface>
                    <interface type='bridge'><source bridge='br0'/><mac address='%s'/><model type='e1000'/></interface>
                  </devices>
                </domain>
                """.formatted(MAC, STRANGER));
        assertOk(hv1.virsh("define", xml.toString()));
        assertOk(hv1.virsh("start", "vm1"));
        String dumped = hv1.virsh("dumpxml", "vm1").out();
        String tap = tap(dumped, MAC);
        String strangerTap = tap(dumped, STRANGER);
        assertThat(api.get("v1/vnics/vif-vm1").path("host").asText()).isEqualTo(hostId("hv1"));
        assertThat(api.get("v1/vnics/vif-vm1").path("device").asText()).isEqualTo(tap);
        assertThat(hv1.calls()).containsSubsequence("vm1 prepare begin -", "vm1 start begin -", "vm1 started begin -");
        assertThat(hv1.rulesetAtStart()).as("hv1's kernel ruleset when libvirt was about to run QEMU").contains("\"" + tap + "\"")
                .doesNotContain("\"" + strangerTap + "\"");

        // Saved, the domain is released; restored, it is bound again before it runs.
        assertOk(hv1.virsh("save", "vm1", "/var/lib/libvirt/vm1.save"));
        assertThat(api.get("v1/vnics/vif-vm1").path("host").isNull()).as("saved: released").isTrue();
        assertOk(hv1.virsh("restore", "/var/lib/libvirt/vm1.save"));
        String restoredTap = tap(hv1.virsh("dumpxml", "vm1").out(), MAC);
        assertThat(api.get("v1/vnics/vif-vm1").path("host").asText()).isEqualTo(hostId("hv1"));
        assertThat(api.get("v1/vnics/vif-vm1").path("device").asText()).isEqualTo(restoredTap);
        assertThat(hv1.calls()).containsSubsequence("vm1 release end -", "vm1 restore begin -", "vm1 prepare begin -", "vm1 start begin -");

        String dest = "qemu+unix:///system?socket=/proc/" + hv2.pid() + "/root/run/libvirt/libvirt-sock";
        assertOk(hv1.virsh("migrate", "--live", "vm1", dest, "tcp://198.51.100.2"));
        String tap2 = tap(hv2.virsh("dumpxml", "vm1").out(), MAC);
        assertThat(api.get("v1/vnics/vif-vm1").path("host").asText()).as("the binding moved with the domain").isEqualTo(hostId("hv2"));
        assertThat(api.get("v1/vnics/vif-vm1").path("device").asText()).isEqualTo(tap2);
        assertThat(hv2.calls()).containsSubsequence("vm1 migrate begin -", "vm1 prepare begin -", "vm1 start begin -");
        assertThat(hv2.rulesetAtStart()).contains("\"" + tap2 + "\"");
        assertThat(hv1.calls()).as("the source released the domain, leaving the binding to hv2").contains("vm1 release end -");

        assertOk(hv2.virsh("destroy", "vm1"));
        assertThat(api.get("v1/vnics/vif-vm1").path("host").isNull()).as("released: bound nowhere").isTrue();
        assertThat(api.get("v1/vnics/vif-vm1").path("device").isNull()).isTrue();

        // Without a working agent the domain does not start, and libvirt says why.
        agents.get(1).stop();
        Shell.Result refused = hv2.virsh("create", xml.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.out()).contains("Hook script execution failed", "stockade: start of domain vm1 refused: vnic vif-vm1 (" + MAC + " on ",
                "not enforced by hv2's agent within 20 s");
        assertThat(hv2.virsh("list", "--name").out()).doesNotContain("vm1");
        assertThat(api.get("v1/vnics/vif-vm1").path("host").isNull()).as("the failed start was released").isTrue();
    }

    private String hostId(String name) {
        return api.get("v1/hosts/" + name).path("id").asText();
    }

    /** The tap libvirt made for the interface with this MAC. */
    private static String tap(String domainXml, String mac) {
        Matcher m = Pattern.compile("<mac address='" + mac + "'/>.*?<target dev='([^']+)'", Pattern.DOTALL).matcher(domainXml);
        assertThat(m.find()).as(domainXml).isTrue();
        return m.group(1);
    }

    private static void assertOk(Shell.Result r) {
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    /**
     * A libvirtd in a host's network namespace and a mount namespace of its own: tmpfs over its
     * run, state, log and cache directories and a copy of /etc/libvirt whose qemu.d holds the
     * hook (running stockade.jar, as the package's hook runs /usr/bin/stockade) and a second hook
     * that saves the host's ruleset at "start begin" (after Stockade's, before QEMU runs).
     */
    private final class Libvirtd implements AutoCloseable {
        private final Process process;
        private final Path home;

        Libvirtd(String host, URI url) throws Exception {
            home = dir.resolve("libvirt-" + host);
            Path etc = home.resolve("etc");
            Files.createDirectories(home);
            assertOk(new Shell(null).run(null, "cp", "-a", "/etc/libvirt", etc.toString()));
            Files.writeString(etc.resolve("qemu.conf"), "\nuser = \"root\"\ngroup = \"root\"\nstdio_handler = \"file\"\nsecurity_driver = \"none\"\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Path hooks = Files.createDirectories(etc.resolve("hooks/qemu.d"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            script(hooks.resolve("50-stockade"), "echo \"$*\" >> " + home.resolve("calls") + "\n"
                    // The controller is on the management network: here the test's own network namespace.
                    + "exec nsenter --net=/proc/" + ProcessHandle.current().pid() + "/ns/net " + java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " + System.getProperty("stockade.jar") + " libvirt-hook --server " + url + " --host " + host
                    + " --token-file " + dir.resolve("hook.token") + " --timeout 20 --env-file " + home.resolve("none.env") + " \"$@\"\n");
            script(hooks.resolve("60-ruleset"), "cat >/dev/null\n[ \"$2 $3\" = \"start begin\" ] && nft list ruleset > " + home.resolve("ruleset-at-start") + "\nexit 0\n");
            String mounts = "set -e; for d in /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt; do mkdir -p $d; mount -t tmpfs stockade-libvirt $d; done; "
                    + "mount --bind " + etc + " /etc/libvirt; exec libvirtd -p /run/libvirt/libvirtd.pid";
            process = new ProcessBuilder("ip", "netns", "exec", topo.hostNamespace(host), "unshare", "--mount", "--propagation", "private", "sh", "-c", mounts)
                    .redirectErrorStream(true).redirectOutput(home.resolve("libvirtd.log").toFile()).start();
            Instant deadline = Instant.now().plusSeconds(120);
            while (!virsh("version").ok()) {
                assertThat(process.isAlive()).as("libvirtd runs: " + Files.readString(home.resolve("libvirtd.log"))).isTrue();
                assertThat(Instant.now()).as("libvirtd answers").isBefore(deadline);
                Thread.sleep(200);
            }
        }

        private static void script(Path file, String body) throws IOException {
            Files.writeString(file, "#!/bin/sh\n" + body);
            file.toFile().setExecutable(true);
        }

        long pid() {
            return process.pid();
        }

        Shell.Result virsh(String... args) {
            List<String> argv = new ArrayList<>(List.of("nsenter", "--target", Long.toString(process.pid()), "--mount", "--net", "virsh", "-c", "qemu:///system"));
            argv.addAll(List.of(args));
            try {
                // Not Shell: a start runs three hooks, each a JVM, which on a loaded machine may take over a minute.
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                p.waitFor();
                return new Shell.Result(p.exitValue(), out, "");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        List<String> calls() throws IOException {
            return Files.readAllLines(home.resolve("calls"));
        }

        String rulesetAtStart() throws IOException {
            return Files.readString(home.resolve("ruleset-at-start"));
        }

        @Override
        public void close() throws Exception {
            for (String domain : virsh("list", "--name").out().split("\\s+")) {
                if (!domain.isBlank()) {
                    virsh("destroy", domain);
                }
            }
            process.destroy();
            process.waitFor();
        }
    }
}
