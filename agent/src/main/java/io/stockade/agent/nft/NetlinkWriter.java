package io.stockade.agent.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes netfilter netlink messages into one growing buffer: headers and attribute headers in the
 * host's byte order, as netlink wants them; payloads as given (the kernel's data is big-endian
 * unless its type says otherwise).
 */
final class NetlinkWriter {
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_APPEND = 0x800;
    private static final int NLA_F_NESTED = 0x8000;

    private ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());

    /** Starts a message with its netfilter header (family, version 0, resource id); returns where it starts, for {@link #end}. */
    int begin(int type, int flags, int seq, int family, int resourceId) {
        int start = b.position();
        room(20);
        b.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        b.put((byte) family).put((byte) 0).put((byte) (resourceId >> 8)).put((byte) resourceId);
        return start;
    }

    /** Writes the length of the message started at {@code start}. */
    void end(int start) {
        b.putInt(start, b.position() - start);
    }

    void attr(int type, byte[] payload) {
        room(4 + payload.length + 3);
        b.putShort((short) (4 + payload.length)).putShort((short) type).put(payload);
        pad();
    }

    /** A NUL-terminated string, as the kernel's names are sent. */
    void attr(int type, String text) {
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        attr(type, z);
    }

    void attrBe32(int type, int value) {
        attr(type, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(value).array());
    }

    /** Opens a nested attribute; returns where it starts, for {@link #close}. */
    int open(int type) {
        room(4);
        int start = b.position();
        b.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return start;
    }

    void close(int start) {
        b.putShort(start, (short) (b.position() - start));
    }

    int length() {
        return b.position();
    }

    byte[] bytes() {
        return b.array();
    }

    private void pad() {
        while ((b.position() & 3) != 0) {
            b.put((byte) 0);
        }
    }

    private void room(int n) {
        if (b.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n)).order(ByteOrder.nativeOrder());
            b.flip();
            bigger.put(b);
            b = bigger;
        }
    }
}
