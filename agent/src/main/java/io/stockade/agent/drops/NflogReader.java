package io.stockade.agent.drops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the packets the kernel logs to one nflog group, through a {@code tcpdump -i nflog:G
 * -U -w -} child (in the agent's network namespace when it has one), and hands each to a sink.
 * The child is started again (backing off up to 30 s) whenever it exits. Nothing here can slow
 * the data path: when the agent reads too slowly, the pipe and then the kernel's nflog socket
 * fill and the kernel drops log messages, never packets' verdicts.
 */
public final class NflogReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NflogReader.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    private final List<String> argv;
    private final Consumer<NflogPacket> sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Process process;
    private volatile long received;
    private volatile int starts;

    public NflogReader(String netns, int group, Consumer<NflogPacket> sink) {
        // The child is killed when the agent ends however it ends (SIGTERM, SIGINT, a crash of the JVM):
        // setpriv sets its parent-death signal, kept across ip's and tcpdump's exec as long as tcpdump
        // keeps its user (-Z root: a change of user would clear it).
        List<String> a = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL"));
        if (netns != null && !netns.isBlank()) {
            a.addAll(List.of("ip", "netns", "exec", netns));
        }
        a.addAll(List.of("tcpdump", "-Z", "root", "-i", "nflog:" + group, "-U", "-w", "-", "-s", "512", "--immediate-mode"));
        this.argv = List.copyOf(a);
        this.sink = sink;
        this.thread = new Thread(this::loop, "nflog-" + group);
        this.thread.setDaemon(true);
    }

    public NflogReader start() {
        thread.start();
        return this;
    }

    /** Logged packets received so far. */
    public long received() {
        return received;
    }

    /** The running child's process id, or -1 between two children. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** How often the child was started (1 while it never died). */
    public int starts() {
        return starts;
    }

    private void loop() {
        long backoff = 500;
        while (running) {
            long before = received;
            try {
                Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                process = p;
                starts++;
                Thread err = drainErrors(p.getErrorStream());
                try (InputStream in = p.getInputStream()) {
                    PcapNflogReader pcap = new PcapNflogReader(in);
                    for (NflogPacket packet = pcap.next(); packet != null; packet = pcap.next()) {
                        received++;
                        sink.accept(packet);
                    }
                } catch (IOException e) {
                    if (running) {
                        log.warn("nflog reader: {}", e.getMessage());
                    }
                }
                p.destroy();
                int exit = p.waitFor();
                err.join(1000);
                if (running) {
                    log.warn("{} exited with {}; starting it again", String.join(" ", argv), exit);
                }
            } catch (IOException e) {
                log.error("cannot start {}: {}", String.join(" ", argv), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("nflog reader failed", e);
            }
            backoff = received > before ? 500 : Math.min(backoff * 2, MAX_BACKOFF_MS);
            sleep(backoff);
        }
    }

    private static Thread drainErrors(InputStream err) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.startsWith("tcpdump: listening") && !line.contains("packets captured") && !line.contains("packets received")
                            && !line.contains("packets dropped")) {
                        log.warn("tcpdump: {}", line);
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "nflog-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        Process p = process;
        if (p != null) {
            p.destroy();
        }
        thread.interrupt();
    }
}
