package io.stockade.agent;

import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kernel's connection tracking table, read and pruned over ctnetlink, with no process spawned. */
public final class Conntrack {
    /** One tracked flow, by its original direction. */
    public record Flow(int protocol, InetAddress src, InetAddress dst, int sport, int dport, int icmpType, int icmpCode, int icmpId) {}

    private static final Logger log = LoggerFactory.getLogger(Conntrack.class);

    private final Shell shell;
    private CtNetlink netlink;

    public Conntrack(Shell shell) {
        this.shell = shell;
    }

    /**
     * Every tracked flow of the shell's namespace, dumped over ctnetlink (no process spawned); empty,
     * with the reason logged, when the kernel cannot be asked (the next sweep asks again).
     */
    public synchronized List<Flow> list() {
        try {
            if (netlink == null) {
                netlink = CtNetlink.open(shell.netns());
            }
            return netlink.dump();
        } catch (RuntimeException e) {
            log.error("listing tracked flows failed: {}", e.getMessage());
            if (netlink != null) {
                netlink.close();
                netlink = null;
            }
            return List.of();
        }
    }

    /** Deletes the entry of one flow over ctnetlink; true when the kernel found and deleted it. */
    public synchronized boolean delete(Flow f) {
        try {
            if (netlink == null) {
                netlink = CtNetlink.open(shell.netns());
            }
            return netlink.delete(f);
        } catch (RuntimeException e) {
            log.error("deleting the tracked flow {} failed: {}", f, e.getMessage());
            return false;
        }
    }
}
