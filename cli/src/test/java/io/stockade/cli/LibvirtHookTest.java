package io.stockade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.server.ServerConfig;
import io.stockade.server.StockadeServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The libvirt hook against a real server: domain XML as libvirt 9 passes it to each operation
 * (the shapes of {@code virsh dumpxml}; LibvirtKernelTest runs the hook under real libvirtd). The
 * host's agent is played by its host token reporting applied revisions through the API, as an
 * agent does, so that the hook's wait can be held back or let go.
 */
class LibvirtHookTest {
    private static final String DB1_MAC = "52:54:00:00:01:10";
    private static final String APP1_MAC = "52:54:00:00:01:11";

    @TempDir
    Path dir;
    private StockadeServer server;
    private String url;
    private Api admin;
    private Api hv1Agent;
    private Path tokenFile;

    @BeforeEach
    void up() throws Exception {
        server = StockadeServer.start(ServerConfig.sqlite(dir.resolve("data"), 0));
        url = "http://127.0.0.1:" + server.port();
        String token = Files.readString(server.adminTokenFile()).strip();
        tokenFile = Files.writeString(dir.resolve("hook.token"), token + "\n");
        admin = new Api(URI.create(url + "/"), token);
        String p = RawApi.post(admin, "v1/projects", Map.of("name", "demo")).path("id").asText();
        RawApi.post(admin, "v1/hosts", Map.of("name", "hv1"));
        RawApi.post(admin, "v1/hosts", Map.of("name", "hv2"));
        hv1Agent = new Api(URI.create(url + "/"), RawApi.post(admin, "v1/tokens", Map.of("role", "host", "host", "hv1")).path("token").asText());
        RawApi.post(admin, "v1/security-groups", Map.of("id", "sg-dbsrv", "name", "dbsrv", "project", p));
        RawApi.post(admin, "v1/vnics", Map.of("id", "vif-db1", "project", p, "mac", DB1_MAC, "addresses", List.of("192.0.2.10"), "securityGroups", List.of("sg-dbsrv")));
        RawApi.post(admin, "v1/vnics", Map.of("id", "vif-app1", "project", p, "mac", APP1_MAC, "addresses", List.of("192.0.2.11")));
    }

    @AfterEach
    void down() {
        server.close();
    }

    @Test
    void startBindsTheTapAndHoldsTheDomainUntilTheAgentHasAppliedIt() throws Exception {
        CompletableFuture<CliRun> start = CompletableFuture.supplyAsync(() -> hook(domain("vm1", iface(DB1_MAC, "vnet0")), "--timeout", "120", "vm1", "start", "begin", "-"));
        while (!"vnet0".equals(vnic("vif-db1").path("device").asText())) {
            assertThat(start).isNotDone();
            Thread.sleep(20);
        }
        assertThat(vnic("vif-db1").path("host").asText()).isEqualTo(hostId("hv1"));
        long desired = admin.get("v1/hosts/hv1").path("desiredRevision").asLong();
        RawApi.put(hv1Agent, "v1/hosts/hv1/status", Map.of("appliedRevision", desired - 1));
        assertThat(start).as("an agent behind the binding's revision holds the domain back").isNotDone();
        RawApi.put(hv1Agent, "v1/hosts/hv1/status", Map.of("appliedRevision", desired));
        CliRun run = start.get();
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).as("libvirt would take stdout as a new domain XML").isEmpty();
        assertThat(run.err()).contains("vnic vif-db1 bound to hv1 vnet0 (domain vm1)");
    }

    @Test
    void anAgentThatDoesNotApplyInTimeRefusesTheStartWithTheReason() {
        CliRun run = hook(domain("vm1", iface(DB1_MAC, "vnet0")), "--timeout", "1", "vm1", "start", "begin", "-");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("start of domain vm1 refused: vnic vif-db1 (52:54:00:00:01:10 on vnet0) not enforced by hv1's agent within 1 s",
                "agent never seen", "applied revision none");
    }

    @Test
    void prepareHasNoTapYetAndBindsNothing() {
        CliRun run = hook(domain("vm1", iface(DB1_MAC, null)), "vm1", "prepare", "begin", "-");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(vnic("vif-db1").path("host").isNull()).isTrue();
    }

    @Test
    void anInterfaceWithoutAVnicIsLeftToTheAgentsDrop() {
        CliRun run = hook(domain("vm1", iface("52:54:00:00:09:99", "vnet3")), "vm1", "start", "begin", "-");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).contains("interface 52:54:00:00:09:99 of domain vm1 is no vnic in Stockade; its traffic stays dropped");
    }

    @Test
    void theMetadataNamesTheVnicAndMustAgreeWithItsMac() {
        String meta = "<metadata><s:vnics xmlns:s='https://stockade.io/xmlns/libvirt/1'><s:vnic mac='" + APP1_MAC + "' id='vif-app1'/></s:vnics></metadata>";
        withAgentKeepingUp(() -> assertThat(hook(domain("vm2", meta + iface(APP1_MAC, "vnet1")), "vm2", "start", "begin", "-").exit()).isZero());
        assertThat(vnic("vif-app1").path("device").asText()).isEqualTo("vnet1");

        String wrong = "<metadata><s:vnics xmlns:s='https://stockade.io/xmlns/libvirt/1'><s:vnic mac='" + DB1_MAC + "' id='vif-app1'/></s:vnics></metadata>";
        CliRun run = hook(domain("vm3", wrong + iface(DB1_MAC, "vnet2")), "vm3", "start", "begin", "-");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("metadata: the domain's metadata names vnic vif-app1 for interface 52:54:00:00:01:10, but that vnic's MAC is 52:54:00:00:01:11");
        assertThat(vnic("vif-db1").path("host").isNull()).as("a refusal changes nothing").isTrue();

        String unknown = "<metadata><s:vnics xmlns:s='https://stockade.io/xmlns/libvirt/1'><s:vnic mac='" + DB1_MAC + "' id='vif-nope'/></s:vnics></metadata>";
        CliRun missing = hook(domain("vm3", unknown + iface(DB1_MAC, "vnet2")), "vm3", "migrate", "begin", "-");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("vif-nope");
    }

    @Test
    void theMetadataMayGiveTheVnicsGroups() {
        String meta = "<metadata><s:vnics xmlns:s='https://stockade.io/xmlns/libvirt/1'><s:vnic mac='" + APP1_MAC
                + "' id='vif-app1' groups='sg-dbsrv'/></s:vnics></metadata>";
        withAgentKeepingUp(() -> {
            CliRun run = hook(domain("vm2", meta + iface(APP1_MAC, "vnet1")), "vm2", "start", "begin", "-");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).contains("vnic vif-app1 is in sg-dbsrv as the domain's metadata says");
        });
        assertThat(vnic("vif-app1").path("securityGroups").toString()).isEqualTo("[\"sg-dbsrv\"]");

        String unknown = meta.replace("sg-dbsrv", "sg-nope");
        CliRun run = hook(domain("vm2", unknown + iface(APP1_MAC, "vnet1")), "vm2", "start", "begin", "-");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("securityGroups[0]").contains("sg-nope");
        assertThat(vnic("vif-app1").path("securityGroups").toString()).isEqualTo("[\"sg-dbsrv\"]");
    }

    @Test
    void aTapLeftBoundToAnotherVnicIsTakenOver() {
        RawApi.patch(admin, "v1/vnics/vif-app1", Map.of("host", "hv1", "device", "vnet0"));
        withAgentKeepingUp(() -> assertThat(hook(domain("vm1", iface(DB1_MAC, "vnet0")), "vm1", "start", "begin", "-").exit()).isZero());
        assertThat(vnic("vif-db1").path("device").asText()).isEqualTo("vnet0");
        assertThat(vnic("vif-app1").path("host").isNull()).isTrue();
    }

    @Test
    void releaseUnbindsOnlyTheVnicsStillOnThisHost() {
        RawApi.patch(admin, "v1/vnics/vif-db1", Map.of("host", "hv2", "device", "vnet7"));
        RawApi.patch(admin, "v1/vnics/vif-app1", Map.of("host", "hv1", "device", "vnet1"));
        String xml = domain("vm1", iface(DB1_MAC, null) + iface(APP1_MAC, null));
        CliRun run = hook(xml, "vm1", "release", "end", "-");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(vnic("vif-db1").path("host").asText()).as("migrated away: the destination's now").isEqualTo(hostId("hv2"));
        assertThat(vnic("vif-app1").path("host").isNull()).isTrue();
        assertThat(vnic("vif-app1").path("device").isNull()).isTrue();
        assertThat(run.err()).contains("vnic vif-app1 unbound from hv1 vnet1 (domain vm1)").doesNotContain("vif-db1");
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        CliRun notXml = hook("<domain><devices><interface>", "vm1", "start", "begin", "-");
        assertThat(notXml.exit()).isEqualTo(1);
        assertThat(notXml.err()).contains("the domain XML on stdin is not well-formed");
        CliRun badMac = hook(domain("vm1", iface("52:54:00:zz:01:10", "vnet0")), "vm1", "start", "begin", "-");
        assertThat(badMac.exit()).isEqualTo(1);
        assertThat(badMac.err()).contains("<interface> <mac address>: '52:54:00:zz:01:10' is not a MAC address");
        CliRun unknownHost = hook(domain("vm1", iface(DB1_MAC, "vnet0")), "--host", "hv9", "vm1", "start", "begin", "-");
        assertThat(unknownHost.exit()).isEqualTo(1);
        assertThat(unknownHost.err()).contains("hv9");
        assertThat(vnic("vif-db1").path("host").isNull()).isTrue();
        CliRun down = run(domain("vm1", iface(DB1_MAC, "vnet0")), List.of("--server", "http://127.0.0.1:9", "--host", "hv1", "--token-file", tokenFile.toString(),
                "--env-file", dir.resolve("none.env").toString(), "vm1", "start", "begin", "-"));
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach the Stockade server");
    }

    @Test
    void theHostAndControllersComeFromTheAgentsEnvironmentFile() throws Exception {
        Path env = Files.writeString(dir.resolve("agent.env"), "# the agent's settings\nSTOCKADE_SERVERS=\"http://127.0.0.1:9," + url + "\"\nSTOCKADE_HOST=hv1\n");
        List<String> args = new ArrayList<>(List.of("--env-file", env.toString(), "--token-file", tokenFile.toString(), "vm1", "start", "begin", "-"));
        withAgentKeepingUp(() -> {
            CliRun run = run(domain("vm1", iface(DB1_MAC, "vnet0")), args);
            assertThat(run.exit()).as(run.err()).isZero();
        });
        assertThat(vnic("vif-db1").path("host").asText()).as("the first controller does not answer; the second does").isEqualTo(hostId("hv1"));

        CliRun unconfigured = run(domain("vm1", iface(DB1_MAC, "vnet0")), List.of("--env-file", dir.resolve("none.env").toString(), "vm1", "start", "begin", "-"));
        assertThat(unconfigured.exit()).isZero();
        assertThat(unconfigured.err()).contains("libvirt-hook is not configured");
    }

    /** Runs body while a thread reports hv1's desired revision as applied, as an agent that keeps up does. */
    private void withAgentKeepingUp(Runnable body) {
        Thread agent = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                RawApi.put(hv1Agent, "v1/hosts/hv1/status", Map.of("appliedRevision", admin.get("v1/hosts/hv1").path("desiredRevision").asLong()));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        agent.start();
        try {
            body.run();
        } finally {
            agent.interrupt();
        }
    }

    private CliRun hook(String xml, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", url, "--host", "hv1", "--token-file", tokenFile.toString(),
                "--env-file", dir.resolve("none.env").toString()));
        all.addAll(List.of(args));
        return run(xml, all);
    }

    private static CliRun run(String xml, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LibvirtHookCommand(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        cl.setOverwrittenOptionsAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new CliRun(exit, out.toString(), err.toString());
    }

    private JsonNode vnic(String id) {
        return admin.get("v1/vnics/" + id);
    }

    private String hostId(String name) {
        return admin.get("v1/hosts/" + name).path("id").asText();
    }

    /** A domain as libvirt passes it: metadata (if any) before devices, which hold the interfaces. */
    static String domain(String name, String body) {
        int devices = body.indexOf("<interface");
        String metadata = devices < 0 ? body : body.substring(0, devices);
        String ifaces = devices < 0 ? "" : body.substring(devices);
        return "<domain type='qemu' id='1'>\n  <name>" + name + "</name>\n  <uuid>8b8f6ecc-6890-4c17-8056-867bbb5c9e31</uuid>\n  " + metadata
                + "\n  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n    " + ifaces + "\n  </devices>\n</domain>\n";
    }

    static String iface(String mac, String tap) {
        return "<interface type='bridge'>\n      <mac address='" + mac + "'/>\n      <source bridge='br0'/>\n"
                + (tap == null ? "" : "      <target dev='" + tap + "'/>\n") + "      <model type='e1000'/>\n      <alias name='net0'/>\n    </interface>";
    }
}
