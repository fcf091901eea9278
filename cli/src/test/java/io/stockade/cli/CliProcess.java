package io.stockade.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as its own process, with an environment of the test's choosing (the config location,
 * completion in a real bash): {@code stockade} is a script running this build's classes.
 */
record CliProcess(int exit, String out, String err) {
    /** A {@code stockade} script in {@code dir} that runs Main on the test's class path. */
    static Path script(Path dir) throws IOException {
        Path stockade = dir.resolve("stockade");
        Files.writeString(stockade, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' io.stockade.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(stockade, PosixFilePermissions.fromString("rwxr-xr-x"));
        return stockade;
    }

    /** Runs {@code argv} with only PATH and the given variables set (no STOCKADE_*, HOME or XDG_* from the test's own environment). */
    static CliProcess run(Map<String, String> env, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(argv));
        pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        List<byte[]> streams = new ArrayList<>();
        Thread errReader = Thread.ofVirtual().start(() -> {
            try {
                streams.add(p.getErrorStream().readAllBytes());
            } catch (IOException e) {
                streams.add(e.toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("still running after 60 s: " + String.join(" ", argv));
        }
        errReader.join();
        return new CliProcess(p.exitValue(), out, new String(streams.get(0), StandardCharsets.UTF_8));
    }
}
