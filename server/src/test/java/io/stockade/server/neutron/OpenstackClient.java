package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openstack} command-line client against a server, as an operator would. */
public final class OpenstackClient {
    public static final Path BINARY = Path.of("/usr/bin/openstack");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What one command did: exit code, standard output and standard error. */
    public record Result(int exit, String out, String err) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(out);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + out + err, e);
            }
        }
    }

    private final URI endpoint;
    private final Path home;

    public OpenstackClient(URI endpoint) throws IOException {
        this.endpoint = endpoint;
        this.home = Files.createTempDirectory("openstack-home");
    }

    public Result run(String token, String... args) {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--os-auth-type", "admin_token", "--os-token", token,
                "--os-endpoint", endpoint.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
        pb.environment().put("HOME", home.toString());
        try {
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openstack " + String.join(" ", args) + " did not finish");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
