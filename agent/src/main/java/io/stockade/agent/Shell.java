package io.stockade.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands ({@code nft}, {@code conntrack}), optionally inside a network namespace
 * ({@code ip netns exec NS ...}) as tests and the lab do.
 */
public final class Shell {
    /** What a command printed and how it ended. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private final String netns;

    public Shell(String netns) {
        this.netns = netns == null || netns.isBlank() ? null : netns;
    }

    public String netns() {
        return netns;
    }

    public Result run(String input, String... command) {
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(argv).start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "", String.join(" ", argv) + ": timed out after 60 s");
            }
            // A command that left a background child holding our pipes must not hang us.
            return new Result(p.exitValue(), out.completeOnTimeout("", 2, TimeUnit.SECONDS).join(),
                    err.completeOnTimeout("", 2, TimeUnit.SECONDS).join());
        } catch (IOException e) {
            return new Result(-1, "", String.join(" ", argv) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
