package io.stockade.agent.nft;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.Transaction;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link Nftables} through libnftables, the library the {@code nft} command is built on, kept
 * open for the agent's lifetime: one buffer is one kernel transaction, as with {@code nft -f},
 * without starting a process per change (~10-15 ms each). Every call runs on one thread of its
 * own; for a named network namespace that thread enters the namespace once ({@code setns}), so
 * the library's netlink socket talks to that namespace's kernel tables. Transactions of
 * elements and rewritten chains skip the library (see {@link #run}).
 */
public final class NftLib extends NftScripts implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int OUTPUT_JSON = 1 << 4;

    /** The part of libnftables.h the agent uses. */
    interface LibNftables extends Library {
        Pointer nft_ctx_new(int flags);

        void nft_ctx_free(Pointer ctx);

        int nft_ctx_buffer_output(Pointer ctx);

        String nft_ctx_get_output_buffer(Pointer ctx);

        int nft_ctx_buffer_error(Pointer ctx);

        String nft_ctx_get_error_buffer(Pointer ctx);

        void nft_ctx_set_dry_run(Pointer ctx, boolean dry);

        int nft_ctx_output_get_flags(Pointer ctx);

        void nft_ctx_output_set_flags(Pointer ctx, int flags);

        int nft_run_cmd_from_buffer(Pointer ctx, String buffer);
    }

    interface LibC extends Library {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    /**
     * libnftables keeps some state in globals (GMP's allocators, which every new context sets
     * again, and xtables'), so the contexts of one process take turns: one agent has one, but a
     * test may run several agents in one JVM.
     */
    private static final Object LIBRARY = new Object();

    private final ExecutorService thread;
    private final LibNftables lib;
    private final Pointer ctx;
    private final Generation generation;
    private final TableHeads heads;
    /** The socket that transactions of elements and rewritten chains go through, bypassing libnftables (see {@link NetlinkBatch}). */
    private final NetfilterSocket elements;
    private final DeclaredSets declared = new DeclaredSets();
    private int seq;
    private final java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();
    /** The monitors {@link #follow} opened, closed with the library. */
    private final java.util.List<NftMonitor> monitors = new java.util.concurrent.CopyOnWriteArrayList<>();

    private NftLib(String netns) {
        this.lib = Native.load("nftables", LibNftables.class);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nftables" + (netns == null ? "" : "-" + netns));
            t.setDaemon(true);
            return t;
        });
        this.ctx = call(() -> {
            if (netns != null) {
                enter(netns);
            }
            Pointer c = lib.nft_ctx_new(0);
            if (c == null) {
                throw new NftException("libnftables: nft_ctx_new failed");
            }
            lib.nft_ctx_buffer_output(c);
            lib.nft_ctx_buffer_error(c);
            return c;
        });
        this.generation = call(Generation::new);
        this.heads = call(TableHeads::new);
        this.elements = call(() -> {
            try {
                return new NetfilterSocket();
            } catch (IllegalStateException e) {
                throw new NftException(e.getMessage());
            }
        });
    }

    /**
     * Applies the transaction atomically: one that only adds and deletes elements of sets this
     * context declared, flushes chains and appends rules whose expressions the batch encodes goes
     * to the kernel as one netlink batch of its own ({@link NetlinkBatch}), without libnftables
     * reading the ruleset back first; any other through libnftables.
     */
    @Override
    public void run(Transaction tx) {
        boolean sent = call(() -> {
            Optional<NetlinkBatch> batch = NetlinkBatch.of(tx, declared::get, seq + 1);
            batch.ifPresent(b -> {
                seq += b.sequenceNumbers();
                b.commit(elements);
                batches.incrementAndGet();
            });
            return batch.isPresent();
        });
        if (!sent) {
            super.run(tx);
        }
        declared.committed(tx);
    }

    /** How many transactions went to the kernel as netlink batches of their own, without libnftables. */
    public long netlinkBatches() {
        return batches.get();
    }

    @Override
    public long generation() {
        return call(generation::read);
    }

    /** Asked over netlink ({@link TableHeads}): nft 1.0.6's JSON garbles a table's flags. */
    @Override
    public Optional<Boolean> dormant(NftObject.Table table) {
        return call(() -> heads.dormant(table));
    }

    /** Follows the commits of the library's namespace (see {@link NftMonitor}), with the agent's receive buffer. */
    @Override
    public java.util.Optional<Commits> follow(String table) {
        try {
            return java.util.Optional.of(follow(table, NftMonitor.RECEIVE_BUFFER));
        } catch (IllegalStateException | NftException e) {
            org.slf4j.LoggerFactory.getLogger(NftLib.class).warn("cannot follow nftables' announcements ({}); drift is found by listing", e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** Follows the commits of the library's namespace on a socket with a receive buffer of {@code receiveBuffer} bytes. */
    public Commits follow(String table, int receiveBuffer) {
        NetfilterSocket socket = call(() -> NetfilterSocket.subscribed(NftMonitor.NFNLGRP_NFTABLES, receiveBuffer));
        NftMonitor monitor = new NftMonitor(socket, table, this::generation);
        monitors.add(monitor);
        return monitor;
    }

    /**
     * Opens libnftables for the given network namespace (null: the agent's own), or throws
     * {@link UnsatisfiedLinkError} when the library is not installed.
     */
    public static NftLib open(String netns) {
        return new NftLib(netns == null || netns.isBlank() ? null : netns);
    }

    /** Moves the calling thread (only it) into the named network namespace. */
    public static void enter(String netns) {
        LibC c = Native.load("c", LibC.class);
        int fd = c.open("/run/netns/" + netns, O_RDONLY);
        if (fd < 0) {
            throw new NftException("cannot open network namespace " + netns + " (errno " + Native.getLastError() + ")");
        }
        try {
            if (c.setns(fd, CLONE_NEWNET) != 0) {
                throw new NftException("cannot enter network namespace " + netns + " (errno " + Native.getLastError() + ")");
            }
        } finally {
            c.close(fd);
        }
    }

    @Override
    public void apply(String script) {
        run(script, false, "nft refused the transaction: ");
    }

    @Override
    public void check(String script) {
        run(script, true, "nft -c: ");
    }

    private void run(String script, boolean dry, String what) {
        call(() -> {
            lib.nft_ctx_set_dry_run(ctx, dry);
            try {
                int rc = lib.nft_run_cmd_from_buffer(ctx, script);
                String err = lib.nft_ctx_get_error_buffer(ctx);
                lib.nft_ctx_get_output_buffer(ctx);
                if (rc != 0) {
                    throw new NftException(what + (err == null ? "error " + rc : err.strip()));
                }
                return null;
            } finally {
                lib.nft_ctx_set_dry_run(ctx, false);
            }
        });
    }

    @Override
    String json(String command) {
        return call(() -> {
            int flags = lib.nft_ctx_output_get_flags(ctx);
            lib.nft_ctx_output_set_flags(ctx, flags | OUTPUT_JSON);
            try {
                int rc = lib.nft_run_cmd_from_buffer(ctx, command);
                String out = lib.nft_ctx_get_output_buffer(ctx);
                lib.nft_ctx_get_error_buffer(ctx);
                return rc == 0 ? out : null;
            } finally {
                lib.nft_ctx_output_set_flags(ctx, flags);
            }
        });
    }

    private <T> T call(Callable<T> c) {
        Future<T> f = thread.submit(() -> {
            synchronized (LIBRARY) {
                return c.call();
            }
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted while nftables worked");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new NftException("libnftables: " + e.getCause());
        }
    }

    @Override
    public void close() {
        call(() -> {
            lib.nft_ctx_free(ctx);
            generation.close();
            heads.close();
            elements.close();
            monitors.forEach(NftMonitor::close);
            return null;
        });
        thread.shutdown();
    }
}
