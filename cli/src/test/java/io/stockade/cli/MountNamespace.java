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
 * A mount namespace of its own (held open by a sleeping process) in which {@code dir} is a small
 * file system: a tmpfs, or ext4 on a loop device that can be made to fail. What a full or
 * read-only disk looks like to a controller, without touching the machine's mounts; it goes away,
 * mount and all, when closed or when the test JVM dies.
 */
final class MountNamespace implements AutoCloseable {
    record Result(int exit, String output) {}

    private final Process holder;
    final Path dir;

    private MountNamespace(Path dir, String mount) throws IOException {
        this.dir = dir;
        this.holder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                mount + " && echo mounted && exec sleep 3600").redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"mounted".equals(line)) {
            holder.destroyForcibly();
            throw new IllegalStateException("could not mount in a new mount namespace (" + mount + "): " + line);
        }
    }

    /** {@code dir} is a tmpfs of {@code size} (e.g. "3m"). */
    static MountNamespace tmpfs(Path dir, String size) throws IOException {
        return new MountNamespace(dir, "mount -t tmpfs -o size=" + size + " stockade-fault " + dir);
    }

    /**
     * {@code dir} is a fresh ext4 file system in {@code image} (on a loop device, released with
     * the mount), mounted {@code errors=remount-ro} as servers' disks are.
     */
    static MountNamespace ext4(Path dir, Path image) throws IOException {
        return new MountNamespace(dir, "truncate -s 32M " + image + " && mkfs.ext4 -q -F " + image + " && mount -o loop,errors=remount-ro " + image + " " + dir);
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
