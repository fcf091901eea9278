package io.stockade.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A mount namespace of its own (held open by a sleeping process) in which {@code dir} is a
 * small tmpfs: what a full or read-only disk looks like to a controller, without touching the
 * machine's mounts. It goes away, tmpfs and all, when closed or when the test JVM dies.
 */
final class MountNamespace implements AutoCloseable {
    record Result(int exit, String output) {}

    private final Process holder;
    final Path dir;

    MountNamespace(Path dir, String tmpfsSize) throws IOException {
        this.dir = dir;
        this.holder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o size=" + tmpfsSize + " stockade-fault " + dir + " && echo mounted && exec sleep 3600")
                .redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"mounted".equals(line)) {
            holder.destroyForcibly();
            throw new IllegalStateException("could not mount a tmpfs in a new mount namespace: " + line);
        }
    }

    /** Runs a command inside the namespace and waits for it. */
    Result exec(String... command) throws IOException, InterruptedException {
        Process p = start(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), out);
    }

    /** A process builder for a command inside the namespace. */
    ProcessBuilder start(String... command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target", Long.toString(holder.pid()), "--mount", "--"));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv);
    }

    /** A path inside the namespace, as the test JVM (outside it) can open it. */
    Path outside(Path inside) {
        return Path.of("/proc/" + holder.pid() + "/root" + inside.toAbsolutePath());
    }

    @Override
    public void close() throws InterruptedException {
        holder.destroyForcibly().waitFor();
    }
}
