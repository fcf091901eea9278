package io.stockade.agent.nft;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * A raw netfilter netlink socket ({@code NETLINK_NETFILTER}) through libc: what the generation
 * check ({@code NFT_MSG_GETGEN}) and the conntrack sweep (ctnetlink) each speak their messages
 * on. It belongs to the network namespace of the thread that opens it, whichever thread uses it
 * afterwards. Failures are {@link IllegalStateException}s naming the errno.
 */
public final class NetfilterSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW_CLOEXEC = 3 | 0x80000;
    private static final int NETLINK_NETFILTER = 12;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        long send(int fd, byte[] buf, long len, int flags);

        long recv(int fd, byte[] buf, long len, int flags);

        int close(int fd);

        String strerror(int errno);
    }

    private static final int MSG_DONTWAIT = 0x40;

    private static final LibC C = Native.load("c", LibC.class);
    private final int fd;

    /** Opens the socket in the calling thread's network namespace. */
    public NetfilterSocket() {
        fd = C.socket(AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_NETFILTER);
        if (fd < 0) {
            throw new IllegalStateException("cannot open a netfilter netlink socket (errno " + Native.getLastError() + ")");
        }
    }

    /** Sends the first {@code len} bytes of {@code message} as one datagram; {@code what} names it in the error. */
    public void send(byte[] message, int len, String what) {
        if (C.send(fd, message, len, 0) != len) {
            throw new IllegalStateException("netlink: sending " + what + " failed (errno " + Native.getLastError() + ")");
        }
    }

    /** Reads one datagram into {@code buf}; returns its length, or a negative number on error (see {@link #lastError}). */
    public long recv(byte[] buf) {
        return C.recv(fd, buf, buf.length, 0);
    }

    /** Reads one datagram already queued into {@code buf} without waiting; returns its length, or a negative number when none is queued. */
    public long recvNow(byte[] buf) {
        return C.recv(fd, buf, buf.length, MSG_DONTWAIT);
    }

    /** The C library's words for an errno ("No such file or directory"), with its number. */
    public static String describe(int errno) {
        return C.strerror(errno) + " (errno " + errno + ")";
    }

    /** The errno of the last failed call on this thread. */
    public static int lastError() {
        return Native.getLastError();
    }

    @Override
    public void close() {
        C.close(fd);
    }
}
