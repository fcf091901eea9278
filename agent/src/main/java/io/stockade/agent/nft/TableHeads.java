package io.stockade.agent.nft;

import io.stockade.compiler.NftObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A table's head asked of the kernel over netfilter's netlink socket ({@code NFT_MSG_GETTABLE}):
 * its flags without its chains and sets, in one request. nft 1.0.6 cannot say it: its JSON
 * writes freed memory where a table's flags go, and its text lists the whole table. The socket
 * belongs to the namespace of the thread that opens it.
 */
final class TableHeads implements AutoCloseable {
    private static final int NFT_MSG_NEWTABLE = 10 << 8;
    private static final int NFT_MSG_GETTABLE = (10 << 8) | 1;
    private static final int NLMSG_ERROR = 2;
    private static final int NLM_F_REQUEST = 1;
    private static final int NFTA_TABLE_NAME = 1;
    private static final int NFTA_TABLE_FLAGS = 2;
    private static final int NFT_TABLE_F_DORMANT = 1;
    private static final int ENOENT = 2;

    private final NetfilterSocket socket;
    private int seq;

    TableHeads() {
        try {
            socket = new NetfilterSocket();
        } catch (IllegalStateException e) {
            throw new Nftables.NftException(e.getMessage());
        }
    }

    /** Whether the table is dormant; empty when it does not exist. */
    Optional<Boolean> dormant(NftObject.Table table) {
        byte[] name = (table.name() + "\0").getBytes(StandardCharsets.UTF_8);
        int attr = 4 + name.length;
        int len = 20 + ((attr + 3) & ~3);
        ByteBuffer req = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        req.putInt(len).putShort((short) NFT_MSG_GETTABLE).putShort((short) NLM_F_REQUEST).putInt(++seq).putInt(0);
        req.put((byte) family(table.family())).put((byte) 0).putShort((short) 0); // nfgenmsg: family, version 0, resource 0
        req.putShort((short) attr).putShort((short) NFTA_TABLE_NAME).put(name);
        try {
            socket.send(req.array(), len, "GETTABLE");
        } catch (IllegalStateException e) {
            throw new Nftables.NftException(e.getMessage());
        }
        byte[] buf = new byte[8192];
        while (true) {
            long n = socket.recv(buf);
            if (n < 16) {
                throw new Nftables.NftException("netlink: reading the head of " + table + " failed (errno " + NetfilterSocket.lastError() + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder());
            int size = b.getInt(0);
            int type = b.getShort(4) & 0xffff;
            if (b.getInt(8) != seq) {
                continue; // an answer to an earlier request that timed out: skip it
            }
            if (type == NLMSG_ERROR) {
                int error = -b.getInt(16);
                if (error == ENOENT) {
                    return Optional.empty();
                }
                throw new Nftables.NftException("netlink: GETTABLE of " + table + " refused (error " + error + ")");
            }
            if (type != NFT_MSG_NEWTABLE) {
                throw new Nftables.NftException("netlink: unexpected answer " + type + " to GETTABLE");
            }
            for (int at = 20; at + 4 <= Math.min(size, n); ) {
                int alen = b.getShort(at) & 0xffff;
                int atype = b.getShort(at + 2) & 0x3fff;
                if (alen < 4) {
                    break;
                }
                if (atype == NFTA_TABLE_FLAGS) {
                    return Optional.of((b.order(ByteOrder.BIG_ENDIAN).getInt(at + 4) & NFT_TABLE_F_DORMANT) != 0);
                }
                at += (alen + 3) & ~3;
            }
            return Optional.of(false);
        }
    }

    private static int family(String family) {
        return switch (family) {
            case "inet" -> 1;
            case "bridge" -> 7;
            default -> throw new IllegalArgumentException("no table family '" + family + "' here (inet or bridge)");
        };
    }

    @Override
    public void close() {
        socket.close();
    }
}
