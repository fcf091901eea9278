package io.stockade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.net.MacAddress;
import io.stockade.server.command.VnicCommand.SetVnicGroups;
import io.stockade.server.command.VnicCommand.UpdateVnic;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stockade libvirt-hook}: libvirt's qemu hook ({@code /etc/libvirt/hooks/qemu.d/50-stockade}
 * runs it with libvirt's arguments and the domain XML on stdin). At {@code prepare}, {@code start}
 * and {@code started} it binds every interface that has a tap device and a vnic (found by the
 * {@code <metadata>} of {@link LibvirtDomain}, else by MAC) to this host and that tap (and puts it in
 * the metadata's groups, if it names any), then waits
 * until this host's agent has applied the revision that holds them; past the timeout it refuses
 * (exit 1) and libvirt does not start the domain. At {@code release} it unbinds the vnics still
 * bound to this host. Interfaces without a vnic are left alone: the agent drops unknown taps.
 * {@code migrate} and {@code restore} only check that the metadata's vnics exist; the destination's
 * {@code start} binds them. Nothing is written to stdout (libvirt would take it as a new XML).
 */
@Command(name = "libvirt-hook", mixinStandardHelpOptions = true,
        description = {"libvirt's qemu hook: binds a domain's interfaces to their vnics on this host",
            "and holds the domain back until this host's agent enforces them; unbinds them",
            "when the domain is released. /etc/libvirt/hooks/qemu.d/50-stockade runs it as:",
            "  stockade libvirt-hook DOMAIN prepare|start|started|migrate|restore begin -",
            "  stockade libvirt-hook DOMAIN release end -",
            "with the domain XML on stdin. The controllers and this host's name come from",
            "--env-file (STOCKADE_SERVERS, STOCKADE_HOST), the token (role service, or",
            "admin) from --token-file. Exit 1 refuses the operation.", "",
            "Example (what libvirt does; the XML as virsh dumpxml shows it):",
            "  virsh dumpxml vm1 | stockade libvirt-hook --timeout 30 vm1 start begin -"})
final class LibvirtHookCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DOMAIN", description = "the domain's name")
    String domain;

    @Parameters(index = "1", paramLabel = "OPERATION", description = "prepare, start, started, migrate, restore, release (others are ignored)")
    String operation;

    @Parameters(index = "2", paramLabel = "SUB-OPERATION", description = "begin or end")
    String subOperation;

    @Parameters(index = "3", arity = "0..1", paramLabel = "EXTRA", description = "libvirt's extra argument (unused)")
    String extra;

    @Option(names = "--env-file", defaultValue = "/etc/stockade/agent.env",
            description = "the agent's environment file: STOCKADE_SERVERS and STOCKADE_HOST (default /etc/stockade/agent.env)")
    Path envFile;

    @Option(names = "--token-file", defaultValue = "/etc/stockade/libvirt-hook.token",
            description = "file holding a service (or admin) token (default /etc/stockade/libvirt-hook.token)")
    Path tokenFile;

    @Option(names = "--server", split = ",", description = "controller URL(s), instead of STOCKADE_SERVERS")
    List<URI> servers = new ArrayList<>();

    @Option(names = "--host", description = "this host's name, instead of STOCKADE_HOST")
    String host;

    @Option(names = "--timeout", defaultValue = "60", description = "seconds to wait for the agent before refusing (default 60)")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    private final InputStream stdin;
    private List<Api> apis;
    private PrintWriter err;

    LibvirtHookCommand() {
        this(System.in);
    }

    LibvirtHookCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    /** A vnic as the controller has it. */
    private record Vnic(String id, MacAddress mac, String host, String device, List<String> groups) {
        static Vnic of(JsonNode n) {
            List<String> groups = new ArrayList<>();
            n.path("securityGroups").forEach(g -> groups.add(g.asText()));
            return new Vnic(n.path("id").asText(), MacAddress.parse(n.path("mac").asText(), "mac"), text(n, "host"), text(n, "device"), groups);
        }
    }

    @Override
    public Integer call() throws IOException {
        err = spec.commandLine().getErr();
        boolean binds = List.of("prepare", "start", "started").contains(operation) && "begin".equals(subOperation);
        boolean checks = List.of("migrate", "restore").contains(operation) && "begin".equals(subOperation);
        boolean releases = "release".equals(operation);
        if (!binds && !checks && !releases) {
            return 0;
        }
        LibvirtDomain d;
        try {
            d = LibvirtDomain.parse(stdin);
        } catch (IllegalArgumentException e) {
            return refuse(e.getMessage());
        }
        Map<String, String> env = readEnv(envFile);
        String me = host != null ? host : env.get("STOCKADE_HOST");
        if (me == null || me.isBlank()) {
            err.println("stockade: libvirt-hook is not configured (no STOCKADE_HOST in " + envFile + "); domain " + domain + " is left alone");
            return 0;
        }
        List<URI> urls = !servers.isEmpty() ? servers
                : List.of(env.getOrDefault("STOCKADE_SERVERS", "http://127.0.0.1:8750").split(",")).stream().map(s -> URI.create(s.strip())).toList();
        String token;
        try {
            token = Files.readString(tokenFile).strip();
        } catch (IOException e) {
            return refuse("cannot read the token file " + tokenFile + ": " + e.getMessage());
        }
        apis = urls.stream().map(u -> new Api(URI.create(u.toString().endsWith("/") ? u.toString() : u + "/"), token)).toList();
        try {
            String hostId = call(api -> api.get("v1/hosts/" + me)).path("id").asText();
            Map<MacAddress, Vnic> vnics = vnics(d);
            if (releases) {
                return release(d, vnics, me, hostId);
            }
            return checks ? 0 : bind(d, vnics, me, hostId);
        } catch (Api.Error e) {
            return refuse((e.field != null ? e.field + ": " : "") + e.getMessage());
        }
    }

    /** The vnics of the domain's interfaces by MAC; a metadata entry naming an unknown vnic or another MAC is refused. */
    private Map<MacAddress, Vnic> vnics(LibvirtDomain d) {
        Map<MacAddress, Vnic> byMac = new HashMap<>();
        for (Vnic v : all()) {
            byMac.put(v.mac(), v);
        }
        Map<MacAddress, Vnic> out = new HashMap<>();
        for (LibvirtDomain.Nic nic : d.nics()) {
            if (nic.vnic() != null) {
                Vnic v = Vnic.of(call(api -> api.get("v1/vnics/" + nic.vnic())));
                if (!v.mac().equals(nic.mac())) {
                    throw new Api.Error(400, "the domain's metadata names vnic " + v.id() + " for interface " + nic.mac()
                            + ", but that vnic's MAC is " + v.mac(), "metadata");
                }
                out.put(nic.mac(), v);
            } else if (byMac.containsKey(nic.mac())) {
                out.put(nic.mac(), byMac.get(nic.mac()));
            }
        }
        return out;
    }

    private int bind(LibvirtDomain d, Map<MacAddress, Vnic> vnics, String me, String hostId) {
        List<Vnic> bound = new ArrayList<>();
        for (LibvirtDomain.Nic nic : d.nics()) {
            Vnic v = vnics.get(nic.mac());
            if (v == null) {
                err.println("stockade: interface " + nic.mac() + " of domain " + domain + " is no vnic in Stockade; its traffic stays dropped");
                continue;
            }
            boolean changed = false;
            if (nic.groups() != null && !new HashSet<>(nic.groups()).equals(new HashSet<>(v.groups()))) {
                call(api -> api.send(new SetVnicGroups(v.id(), nic.groups())));
                err.println("stockade: vnic " + v.id() + " is in " + String.join(", ", nic.groups()) + " as the domain's metadata says (domain " + domain + ")");
                changed = true;
            }
            if (nic.target() == null) {
                if (changed && hostId.equals(v.host())) {
                    bound.add(v);
                }
                continue;
            }
            if (!hostId.equals(v.host()) || !nic.target().equals(v.device())) {
                // The tap is this domain's now: a vnic still bound to it was left by a domain that went without release.
                for (Vnic stale : all()) {
                    if (!stale.id().equals(v.id()) && hostId.equals(stale.host()) && nic.target().equals(stale.device())) {
                        place(stale, null, null, me);
                    }
                }
                place(v, hostId, nic.target(), me);
            }
            bound.add(new Vnic(v.id(), v.mac(), hostId, nic.target(), v.groups()));
        }
        if (bound.isEmpty()) {
            return 0;
        }
        long desired = call(api -> api.get("v1/hosts/" + me)).path("desiredRevision").asLong();
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        JsonNode h;
        while ((h = call(api -> api.get("v1/hosts/" + me))).path("appliedRevision").asLong(-1) < desired) {
            if (Instant.now().isAfter(deadline)) {
                return refuse(operation + " of domain " + domain + " refused: " + describe(bound) + " not enforced by " + me + "'s agent within "
                        + timeoutSeconds + " s (agent " + h.path("agent").asText() + ", applied revision " + h.path("appliedRevision").asText("none")
                        + " of " + desired + (h.hasNonNull("lastError") ? ", last error: " + h.path("lastError").asText() : "") + ")");
            }
            sleep(Duration.ofMillis(200));
        }
        return 0;
    }

    private int release(LibvirtDomain d, Map<MacAddress, Vnic> vnics, String me, String hostId) {
        for (LibvirtDomain.Nic nic : d.nics()) {
            Vnic v = vnics.get(nic.mac());
            // After a migration the vnic is the destination's: leave it there.
            if (v != null && hostId.equals(v.host())) {
                place(v, null, null, me);
            }
        }
        return 0;
    }

    /** Binds v to a host (by id) and device, or unbinds it (nulls); hostName is for the log line. */
    private void place(Vnic v, String onHost, String device, String hostName) {
        call(api -> api.send(UpdateVnic.place(v.id(), onHost, device)));
        err.println("stockade: vnic " + v.id() + (onHost == null ? " unbound from " + hostName + " " + v.device() : " bound to " + hostName + " " + device)
                + " (domain " + domain + ")");
    }

    private List<Vnic> all() {
        List<Vnic> out = new ArrayList<>();
        int offset = 0;
        while (true) {
            int from = offset;
            JsonNode page = call(api -> api.get("v1/vnics?limit=1000&offset=" + from));
            page.path("items").forEach(n -> out.add(Vnic.of(n)));
            if (!page.hasNonNull("nextOffset")) {
                return out;
            }
            offset = page.path("nextOffset").asInt();
        }
    }

    /** Calls the controllers in turn until one answers (an API error is an answer). */
    private <T> T call(Function<Api, T> f) {
        Api.Error last = null;
        for (Api api : apis) {
            try {
                return f.apply(api);
            } catch (Api.Error e) {
                if (e.status != 0) {
                    throw e;
                }
                last = e;
            }
        }
        throw Objects.requireNonNull(last);
    }

    private int refuse(String why) {
        err.println("stockade: " + why);
        return 1;
    }

    private static String describe(List<Vnic> vnics) {
        return vnics.stream().map(v -> "vnic " + v.id() + " (" + v.mac() + " on " + v.device() + ")").reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** KEY=value lines as systemd's EnvironmentFile= reads them (comments, blank lines, optional quotes). */
    static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> env = new HashMap<>();
        if (!Files.exists(file)) {
            return env;
        }
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || eq < 1) {
                continue;
            }
            String value = l.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'') && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(l.substring(0, eq).strip(), value);
        }
        return env;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.path(field).asText() : null;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Api.Error(0, "interrupted", null);
        }
    }
}
