package io.stockade.agent.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One nf_tables request over netfilter's netlink socket and its one answer, matched by sequence
 * number: what the generation check ({@link Generation}) and a table's head ({@link TableHeads})
 * each ask. The socket belongs to the namespace of the thread that opens it. Failures are
 * {@link Nftables.NftException}s naming the request.
 */
final class NftQuery implements AutoCloseable {
    private static final int NLMSG_ERROR = 2;
    private static final int NLM_F_REQUEST = 1;
    private static final int ENOENT = 2;

    private final NetfilterSocket socket;
    private int seq;

    NftQuery() {
        try {
            socket = new NetfilterSocket();
        } catch (IllegalStateException e) {
            throw new Nftables.NftException(e.getMessage());
        }
    }

    /**
     * Sends message {@code type} for protocol family {@code family} with {@code attributes} (already
     * laid out, padded) and returns the answer of type {@code answer}, in native order; empty when
     * the kernel answers that the object does not exist (ENOENT). {@code what} names the request in
     * errors; answers to earlier requests that timed out are skipped.
     */
    Optional<ByteBuffer> ask(int type, int family, byte[] attributes, int answer, String what) {
        int len = 20 + attributes.length;
        ByteBuffer req = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        req.putInt(len).putShort((short) type).putShort((short) NLM_F_REQUEST).putInt(++seq).putInt(0);
        req.put((byte) family).put((byte) 0).putShort((short) 0); // nfgenmsg: family, version 0, resource 0
        req.put(attributes);
        try {
            socket.send(req.array(), len, what);
        } catch (IllegalStateException e) {
            throw new Nftables.NftException(e.getMessage());
        }
        byte[] buf = new byte[8192];
        while (true) {
            long n = socket.recv(buf);
            if (n < 16) {
                throw new Nftables.NftException("netlink: reading the answer to " + what + " failed (errno " + NetfilterSocket.lastError() + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder());
            int got = b.getShort(4) & 0xffff;
            if (b.getInt(8) != seq) {
                continue;
            }
            if (got == NLMSG_ERROR) {
                int error = -b.getInt(16);
                if (error == ENOENT) {
                    return Optional.empty();
                }
                throw new Nftables.NftException("netlink: " + what + " refused (error " + error + ")");
            }
            if (got != answer) {
                throw new Nftables.NftException("netlink: unexpected answer " + got + " to " + what);
            }
            return Optional.of(b.limit((int) Math.min(n, b.getInt(0) & 0xffffffffL))); // the message, as long as it says
        }
    }

    /** The unsigned 32-bit value (network order) of an answer's top-level attribute, if it has it. */
    static OptionalLong u32(ByteBuffer answer, int attribute) {
        for (int at = 20; at + 4 <= answer.limit(); ) {
            int alen = answer.getShort(at) & 0xffff;
            int atype = answer.getShort(at + 2) & 0x3fff;
            if (alen < 4) {
                break;
            }
            if (atype == attribute) {
                return OptionalLong.of(answer.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(at + 4) & 0xffffffffL);
            }
            at += (alen + 3) & ~3;
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        socket.close();
    }
}
