package io.stockade.agent.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The ruleset's generation id, asked of the kernel over netfilter's netlink socket
 * ({@code NFT_MSG_GETGEN}): it changes with every transaction committed in the network
 * namespace, whoever commits it, so an unchanged id means an unchanged ruleset, read in one
 * request instead of a listing. The socket belongs to the namespace of the thread that opens it.
 */
final class Generation implements AutoCloseable {
    private static final int NFT_MSG_GETGEN = (10 << 8) | 16;
    private static final int NFT_MSG_NEWGEN = (10 << 8) | 15;
    private static final int NLMSG_ERROR = 2;
    private static final int NLM_F_REQUEST = 1;
    private static final int NFTA_GEN_ID = 1;

    private final NetfilterSocket socket;
    private int seq;

    Generation() {
        try {
            socket = new NetfilterSocket();
        } catch (IllegalStateException e) {
            throw new Nftables.NftException(e.getMessage());
        }
    }

    long read() {
        ByteBuffer req = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        req.putInt(20).putShort((short) NFT_MSG_GETGEN).putShort((short) NLM_F_REQUEST).putInt(++seq).putInt(0);
        req.put((byte) 0).put((byte) 0).putShort((short) 0); // nfgenmsg: AF_UNSPEC, version 0, resource 0
        try {
            socket.send(req.array(), 20, "GETGEN");
        } catch (IllegalStateException e) {
            throw new Nftables.NftException(e.getMessage());
        }
        byte[] buf = new byte[8192];
        while (true) {
            long n = socket.recv(buf);
            if (n < 16) {
                throw new Nftables.NftException("netlink: reading the generation failed (errno " + NetfilterSocket.lastError() + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder());
            int len = b.getInt(0);
            int type = b.getShort(4) & 0xffff;
            int got = b.getInt(8);
            if (got != seq) {
                continue; // an answer to an earlier request that timed out: skip it
            }
            if (type == NLMSG_ERROR) {
                throw new Nftables.NftException("netlink: GETGEN refused (error " + -b.getInt(16) + ")");
            }
            if (type != NFT_MSG_NEWGEN) {
                throw new Nftables.NftException("netlink: unexpected answer " + type + " to GETGEN");
            }
            for (int at = 20; at + 4 <= Math.min(len, n); ) {
                int alen = b.getShort(at) & 0xffff;
                int atype = b.getShort(at + 2) & 0x3fff;
                if (alen < 4) {
                    break;
                }
                if (atype == NFTA_GEN_ID) {
                    return b.order(ByteOrder.BIG_ENDIAN).getInt(at + 4) & 0xffffffffL;
                }
                at += (alen + 3) & ~3;
            }
            throw new Nftables.NftException("netlink: no generation id in the answer");
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
