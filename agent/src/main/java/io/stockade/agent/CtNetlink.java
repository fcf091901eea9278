package io.stockade.agent;

import io.stockade.agent.nft.NetfilterSocket;
import io.stockade.agent.nft.NftLib;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The connection tracking table over ctnetlink: dumped ({@code IPCTNL_MSG_CT_GET} with
 * {@code NLM_F_DUMP}, the request {@code conntrack -L} makes) and pruned ({@code IPCTNL_MSG_CT_DELETE},
 * as {@code conntrack -D}) on a netfilter netlink socket, without spawning the tool: a process
 * started from the agent's JVM costs tens of milliseconds. The socket belongs to the network
 * namespace it was opened in, whichever thread uses it afterwards.
 */
final class CtNetlink implements AutoCloseable {
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_ACK = 4;
    private static final int NLM_F_DUMP = 0x300;
    private static final int NLA_F_NESTED = 0x8000;
    private static final int ENOENT = 2;
    private static final int CT_NEW = 1 << 8;
    private static final int CT_GET = (1 << 8) | 1;
    private static final int CT_DELETE = (1 << 8) | 2;
    private static final int CTA_TUPLE_ORIG = 1;
    private static final int CTA_TUPLE_IP = 1;
    private static final int CTA_TUPLE_PROTO = 2;

    private final NetfilterSocket socket;
    private final byte[] buf = new byte[1 << 17];
    private int seq;

    private CtNetlink() {
        socket = new NetfilterSocket();
    }

    /** Opens the socket in the named network namespace (null: the agent's own), from a thread that enters it and ends. */
    static CtNetlink open(String netns) {
        if (netns == null) {
            return new CtNetlink();
        }
        FutureTask<CtNetlink> task = new FutureTask<>(() -> {
            NftLib.enter(netns);
            return new CtNetlink();
        });
        Thread t = Thread.ofPlatform().name("ctnetlink-" + netns).start(task);
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.interrupt();
            throw new IllegalStateException("interrupted while opening ctnetlink in " + netns);
        }
    }

    /** Every tracked flow of both address families, by its original direction. */
    synchronized List<Conntrack.Flow> dump() {
        ByteBuffer req = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        req.putInt(20).putShort((short) CT_GET).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(++seq).putInt(0);
        req.put((byte) 0).put((byte) 0).putShort((short) 0); // nfgenmsg: AF_UNSPEC (every family), version 0, resource 0
        socket.send(req.array(), 20, "the ctnetlink dump request");
        List<Conntrack.Flow> flows = new ArrayList<>();
        while (true) {
            long n = socket.recv(buf);
            if (n < 0) {
                throw new IllegalStateException("ctnetlink: reading the dump failed (errno " + NetfilterSocket.lastError() + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder());
            for (int at = 0; at + 16 <= n; ) {
                int len = b.getInt(at);
                int type = b.getShort(at + 4) & 0xffff;
                if (len < 16 || at + len > n) {
                    throw new IllegalStateException("ctnetlink: malformed message of length " + len);
                }
                if (b.getInt(at + 8) == seq) {
                    if (type == NLMSG_DONE) {
                        return flows;
                    }
                    if (type == NLMSG_ERROR) {
                        throw new IllegalStateException("ctnetlink: the dump was refused (error " + -b.getInt(at + 16) + ")");
                    }
                    if (type == CT_NEW) {
                        Conntrack.Flow f = flow(b, at + 20, at + len);
                        if (f != null) {
                            flows.add(f);
                        }
                    }
                }
                at += (len + 3) & ~3;
            }
        }
    }

    /**
     * Deletes the entry of one flow by its original tuple ({@code IPCTNL_MSG_CT_DELETE}, what
     * {@code conntrack -D} sends); false when the kernel holds no such entry.
     */
    synchronized boolean delete(Conntrack.Flow f) {
        boolean v4 = f.src().getAddress().length == 4;
        ByteBuffer ip = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
        attr(ip, v4 ? 1 : 3, f.src().getAddress());
        attr(ip, v4 ? 2 : 4, f.dst().getAddress());
        ByteBuffer proto = ByteBuffer.allocate(48).order(ByteOrder.nativeOrder());
        attr(proto, 1, new byte[] {(byte) f.protocol()});
        if (f.sport() >= 0 && f.dport() >= 0) {
            attr(proto, 2, be16(f.sport()));
            attr(proto, 3, be16(f.dport()));
        }
        if (f.icmpType() >= 0) {
            int base = v4 ? 4 : 7; // id, type, code
            attr(proto, base, be16(f.icmpId()));
            attr(proto, base + 1, new byte[] {(byte) f.icmpType()});
            attr(proto, base + 2, new byte[] {(byte) f.icmpCode()});
        }
        ByteBuffer tuple = ByteBuffer.allocate(96).order(ByteOrder.nativeOrder());
        attr(tuple, CTA_TUPLE_IP | NLA_F_NESTED, Arrays.copyOf(ip.array(), ip.position()));
        attr(tuple, CTA_TUPLE_PROTO | NLA_F_NESTED, Arrays.copyOf(proto.array(), proto.position()));
        ByteBuffer req = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
        req.putInt(0).putShort((short) CT_DELETE).putShort((short) (NLM_F_REQUEST | NLM_F_ACK)).putInt(++seq).putInt(0);
        req.put((byte) (v4 ? 2 : 10)).put((byte) 0).putShort((short) 0); // nfgenmsg: AF_INET or AF_INET6
        attr(req, CTA_TUPLE_ORIG | NLA_F_NESTED, Arrays.copyOf(tuple.array(), tuple.position()));
        int len = req.position();
        req.putInt(0, len);
        socket.send(req.array(), len, "a ctnetlink delete");
        while (true) {
            long n = socket.recv(buf);
            if (n < 20) {
                throw new IllegalStateException("ctnetlink: reading the answer to a delete failed (errno " + NetfilterSocket.lastError() + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder());
            if (b.getInt(8) != seq || (b.getShort(4) & 0xffff) != NLMSG_ERROR) {
                continue;
            }
            int error = -b.getInt(16);
            if (error == 0 || error == ENOENT) {
                return error == 0;
            }
            throw new IllegalStateException("ctnetlink: the delete was refused (error " + error + ")");
        }
    }

    private static void attr(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        b.position((b.position() + 3) & ~3);
    }

    private static byte[] be16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    /** The original tuple among the attributes in {@code [from, to)}, or null when it has none. */
    static Conntrack.Flow flow(ByteBuffer b, int from, int to) {
        int orig = find(b, from, to, CTA_TUPLE_ORIG);
        if (orig < 0) {
            return null;
        }
        int origEnd = orig + (b.getShort(orig) & 0xffff);
        int ip = find(b, orig + 4, origEnd, CTA_TUPLE_IP);
        int proto = find(b, orig + 4, origEnd, CTA_TUPLE_PROTO);
        if (ip < 0 || proto < 0) {
            return null;
        }
        InetAddress[] addr = new InetAddress[2];
        int[] p = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
        forEach(b, ip + 4, ip + (b.getShort(ip) & 0xffff), (type, at, len) -> {
            // CTA_IP_V4_SRC 1, _DST 2, CTA_IP_V6_SRC 3, _DST 4
            if (type >= 1 && type <= 4) {
                addr[(type - 1) % 2] = address(b, at, len);
            }
        });
        forEach(b, proto + 4, proto + (b.getShort(proto) & 0xffff), (type, at, len) -> {
            // 1 protocol (u8); 2, 3 ports, 4 and 7 ICMP ids (be16); 5, 6 and 8, 9 ICMP type and code (u8)
            if (type < p.length) {
                p[type] = len == 1 ? b.get(at) & 0xff : (b.get(at) & 0xff) << 8 | (b.get(at + 1) & 0xff);
            }
        });
        if (addr[0] == null || addr[1] == null || p[1] < 0) {
            return null;
        }
        boolean v6 = p[7] >= 0 || p[8] >= 0;
        return new Conntrack.Flow(p[1], addr[0], addr[1], p[2], p[3], v6 ? p[8] : p[5], v6 ? p[9] : p[6], v6 ? p[7] : p[4]);
    }

    private interface Attribute {
        void accept(int type, int at, int len);
    }

    private static void forEach(ByteBuffer b, int from, int to, Attribute visit) {
        for (int at = from; at + 4 <= to; ) {
            int len = b.getShort(at) & 0xffff;
            if (len < 4 || at + len > to) {
                return;
            }
            visit.accept(b.getShort(at + 2) & 0x3fff, at + 4, len - 4);
            at += (len + 3) & ~3;
        }
    }

    /** The offset of the first attribute of the type in {@code [from, to)}, or -1. */
    private static int find(ByteBuffer b, int from, int to, int wanted) {
        int[] found = {-1};
        forEach(b, from, to, (type, at, len) -> {
            if (type == wanted && found[0] < 0) {
                found[0] = at - 4;
            }
        });
        return found[0];
    }

    private static InetAddress address(ByteBuffer b, int at, int len) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b.array(), at, at + len));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
