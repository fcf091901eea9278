package io.stockade.agent.nft;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * A raw netfilter netlink socket ({@code NETLINK_NETFILTER}) through libc: what the generation
 * check ({@code NFT_MSG_GETGEN}) and the conntrack sweep (ctnetlink) each speak their messages
 * on, and what the nftables monitor ({@link NftMonitor}) hears the kernel's announcements on. It
 * belongs to the network namespace of the thread that opens it, whichever thread uses it
 * afterwards. Failures are {@link IllegalStateException}s naming the errno.
 */
public final class NetfilterSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW_CLOEXEC = 3 | 0x80000;
    private static final int NETLINK_NETFILTER = 12;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_ADD_MEMBERSHIP = 1;
    private static final int NETLINK_DROP_MEMBERSHIP = 2;
    /** recv's flag to answer a datagram's whole length even when it did not fit the buffer. */
    public static final int MSG_TRUNC = 0x20;
    /** errno: nothing to read on a non-blocking socket. */
    public static final int EAGAIN = 11;
    /** errno: the kernel dropped messages for this socket, its receive buffer being full. */
    public static final int ENOBUFS = 105;
    /** errno: a signal came before anything was read. */
    public static final int EINTR = 4;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        long send(int fd, byte[] buf, long len, int flags);

        long recv(int fd, byte[] buf, long len, int flags);

        int setsockopt(int fd, int level, int name, int[] value, int len);

        int bind(int fd, byte[] address, int len);

        int close(int fd);

        String strerror(int errno);
    }

    private static final int MSG_DONTWAIT = 0x40;

    private static final LibC C = Native.load("c", LibC.class);
    private final int fd;
    private boolean closed;

    /** Opens the socket in the calling thread's network namespace. */
    public NetfilterSocket() {
        this(SOCK_RAW_CLOEXEC);
    }

    private NetfilterSocket(int type) {
        fd = C.socket(AF_NETLINK, type, NETLINK_NETFILTER);
        if (fd < 0) {
            throw new IllegalStateException("cannot open a netfilter netlink socket (errno " + Native.getLastError() + ")");
        }
    }

    /**
     * Opens a non-blocking socket in the calling thread's network namespace that receives the
     * multicast group's messages, with a receive buffer of {@code receiveBuffer} bytes (beyond
     * {@code net.core.rmem_max} when the process may, as root).
     */
    public static NetfilterSocket subscribed(int group, int receiveBuffer) {
        NetfilterSocket s = new NetfilterSocket(SOCK_RAW_CLOEXEC | SOCK_NONBLOCK);
        try {
            int[] size = {receiveBuffer};
            if (C.setsockopt(s.fd, SOL_SOCKET, SO_RCVBUFFORCE, size, 4) != 0 && C.setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, size, 4) != 0) {
                throw new IllegalStateException("netlink: cannot size the receive buffer (errno " + Native.getLastError() + ")");
            }
            // Bound to an address of its own (the kernel picks it): a socket without one is taken for the sender and left out of multicasts.
            byte[] address = new byte[12];
            address[0] = AF_NETLINK; // sockaddr_nl: family (native order, little-endian on the hosts run), pad, pid 0, groups 0
            if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN) {
                address[0] = 0;
                address[1] = AF_NETLINK;
            }
            if (C.bind(s.fd, address, address.length) != 0) {
                throw new IllegalStateException("netlink: cannot bind the socket (errno " + Native.getLastError() + ")");
            }
            s.join(group);
            return s;
        } catch (IllegalStateException e) {
            s.close();
            throw e;
        }
    }

    /** Sends the first {@code len} bytes of {@code message} as one datagram; {@code what} names it in the error. */
    public void send(byte[] message, int len, String what) {
        if (C.send(fd, message, len, 0) != len) {
            throw new IllegalStateException("netlink: sending " + what + " failed (errno " + Native.getLastError() + ")");
        }
    }

    /** Receives the multicast group's messages (again). */
    public void join(int group) {
        if (C.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, new int[] {group}, 4) != 0) {
            throw new IllegalStateException("netlink: cannot join group " + group + " (errno " + Native.getLastError() + ")");
        }
    }

    /** Stops receiving the multicast group's messages; those already queued stay readable. */
    public void leave(int group) {
        if (C.setsockopt(fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, new int[] {group}, 4) != 0) {
            throw new IllegalStateException("netlink: cannot leave group " + group + " (errno " + Native.getLastError() + ")");
        }
    }

    /** Reads one datagram into {@code buf}; returns its length, or a negative number on error (see {@link #lastError}). */
    public long recv(byte[] buf) {
        return recv(buf, 0);
    }

    /** {@link #recv(byte[])} with recv's flags (say {@link #MSG_TRUNC}). */
    public long recv(byte[] buf, int flags) {
        return C.recv(fd, buf, buf.length, flags);
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

    /** Closes the socket; a second call does nothing (the number may belong to another file by then). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            C.close(fd);
        }
    }
}
