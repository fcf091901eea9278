package io.stockade.agent.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@link Commits} heard on netfilter's {@code NFNLGRP_NFTABLES} group, as {@code nft monitor}
 * hears them: the kernel announces every object a commit adds or deletes (a table, chain, rule,
 * set or element, in the committing process's batch order) and then the new generation
 * ({@code NFT_MSG_NEWGEN}), so the objects heard before a generation are that commit's. Only the
 * followed table's names are kept; anonymous sets (a rule's {@code { … }}) count as their rule's
 * chain, which the kernel announces with them. When the kernel drops messages (the receive buffer
 * full: {@code ENOBUFS}), the loss spans the generations from the last one heard through the one
 * the kernel answers once the buffer has been read empty: every commit that may have lost a
 * message bumped the generation before announcing anything.
 */
public final class NftMonitor implements Commits {
    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final int NFT_MSG_NEWGEN = 15;
    private static final int NFPROTO_INET = 1;
    private static final int NFPROTO_BRIDGE = 7;
    /** Receive buffer for a socket of the agent's: a few thousand announcements. */
    public static final int RECEIVE_BUFFER = 1 << 20;
    /** The group the kernel announces nftables commits to. */
    public static final int NFNLGRP_NFTABLES = 7;

    private final NetfilterSocket socket;
    private final String table;
    private final LongSupplier generation;
    /** One datagram: the kernel packs announcements into datagrams of a page or so, one object's alone when bigger. */
    private final byte[] buffer = new byte[1 << 17];
    /** The objects heard since the last generation: the commit being announced. */
    private final Set<Touched> open = new LinkedHashSet<>();
    /** The last generation heard, or the one at subscribing. */
    private long last;

    /**
     * Follows {@code table} (in the inet and bridge families) on a socket subscribed to
     * {@link #NFNLGRP_NFTABLES}; {@code generation} asks the kernel for the ruleset's generation
     * (the same namespace's), which must be known.
     */
    public NftMonitor(NetfilterSocket socket, String table, LongSupplier generation) {
        this.socket = socket;
        this.table = table;
        this.generation = generation;
        this.last = generation.getAsLong();
        if (last == -1) {
            socket.close();
            throw new Nftables.NftException("netlink: the ruleset's generation cannot be read, so announcements cannot be placed");
        }
    }

    @Override
    public Announced drain() {
        List<Commit> commits = new ArrayList<>();
        long lostAfter = -1;
        boolean lost = false;
        while (true) {
            long n = socket.recv(buffer, NetfilterSocket.MSG_TRUNC);
            if (n < 0) {
                int errno = NetfilterSocket.lastError();
                if (errno == NetfilterSocket.EAGAIN) {
                    break;
                }
                if (errno == NetfilterSocket.EINTR) {
                    continue;
                }
                if (errno != NetfilterSocket.ENOBUFS) {
                    throw new Nftables.NftException("netlink: reading nftables announcements failed (errno " + errno + ")");
                }
                n = buffer.length + 1;
            }
            if (n > buffer.length) { // dropped by the kernel, or cut short here
                if (!lost) {
                    lost = true;
                    lostAfter = last;
                }
                open.clear();
                continue;
            }
            read(ByteBuffer.wrap(buffer, 0, (int) n).order(ByteOrder.nativeOrder()), commits);
        }
        if (!lost) {
            return new Announced(commits, Optional.empty());
        }
        long through = generation.getAsLong();
        if (through == -1) {
            throw new Nftables.NftException("netlink: announcements were lost and the ruleset's generation cannot be read");
        }
        last = Math.max(last, through);
        // What was heard after the loss without its generation belongs to a commit of the loss (it bumped the generation before announcing).
        open.clear();
        return new Announced(commits, through > lostAfter ? Optional.of(new Loss(lostAfter, through)) : Optional.empty());
    }

    /** The messages of one datagram. */
    private void read(ByteBuffer b, List<Commit> commits) {
        for (int at = 0; at + 20 <= b.limit(); ) {
            int len = b.getInt(at);
            if (len < 16 || at + len > b.limit()) {
                break;
            }
            int type = b.getShort(at + 4) & 0xffff;
            if (type >> 8 == NFNL_SUBSYS_NFTABLES && len >= 20) {
                message(type & 0xff, b.get(at + 16) & 0xff, b, at + 20, at + len, commits);
            }
            at += (len + 3) & ~3;
        }
    }

    private void message(int type, int family, ByteBuffer b, int from, int to, List<Commit> commits) {
        if (type == NFT_MSG_NEWGEN) {
            long gen = u32(b, from, to, 1);
            commits.add(new Commit(gen, open));
            open.clear();
            last = gen;
            return;
        }
        String f = family == NFPROTO_INET ? "inet" : family == NFPROTO_BRIDGE ? "bridge" : null;
        if (f == null || !table.equals(string(b, from, to, 1))) {
            return;
        }
        // NEW, DEL and (since Linux 6.3) DESTROY of each kind of object: tables, chains, rules, sets, elements, objects, flowtables.
        switch (type) {
            case 0, 2, 26 -> open.add(new Touched(f, Kind.TABLE, table));
            case 3, 5, 27 -> open.add(new Touched(f, Kind.CHAIN, string(b, from, to, 3)));
            case 6, 8, 28 -> open.add(new Touched(f, Kind.CHAIN, string(b, from, to, 2)));
            case 9, 11, 29, 12, 14, 30 -> {
                String set = string(b, from, to, 2);
                if (set != null && !set.startsWith("__set")) {
                    open.add(new Touched(f, Kind.SET, set));
                }
            }
            case 18, 20, 31, 22, 24, 32 -> { } // named counters and flowtables: the drift check compares neither
            default -> open.add(new Touched(f, Kind.OTHER, table)); // a kind of announcement unknown here: the whole table is compared
        }
    }

    /** The string attribute of the given type (NUL-terminated), or null. */
    private static String string(ByteBuffer b, int from, int to, int attr) {
        int at = attribute(b, from, to, attr);
        if (at < 0) {
            return null;
        }
        int end = at + 4;
        int limit = at + (b.getShort(at) & 0xffff);
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - at - 4];
        b.get(at + 4, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** The big-endian 32-bit attribute of the given type. */
    private static long u32(ByteBuffer b, int from, int to, int attr) {
        int at = attribute(b, from, to, attr);
        if (at < 0) {
            throw new Nftables.NftException("netlink: an announced generation without its id");
        }
        long v = 0;
        for (int i = 4; i < 8; i++) {
            v = v << 8 | (b.get(at + i) & 0xff);
        }
        return v;
    }

    /** The offset of the attribute of the given type, or -1. */
    private static int attribute(ByteBuffer b, int from, int to, int attr) {
        for (int at = from; at + 4 <= to; ) {
            int alen = b.getShort(at) & 0xffff;
            if (alen < 4 || at + alen > to) {
                return -1;
            }
            if ((b.getShort(at + 2) & 0x3fff) == attr) {
                return at;
            }
            at += (alen + 3) & ~3;
        }
        return -1;
    }

    @Override
    public void unheard(Runnable commit) {
        socket.leave(NFNLGRP_NFTABLES);
        try {
            commit.run();
        } finally {
            socket.join(NFNLGRP_NFTABLES);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
