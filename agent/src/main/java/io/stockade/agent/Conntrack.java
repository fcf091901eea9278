package io.stockade.agent;

import io.stockade.core.model.Match;
import io.stockade.core.net.Ip;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kernel's connection tracking table, read over ctnetlink and pruned with the {@code conntrack} tool. */
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

    /** Deletes the entry of one flow; true when the tool found and deleted it. */
    public boolean delete(Flow f) {
        List<String> argv = new ArrayList<>(List.of("conntrack", "-D", "-p", Integer.toString(f.protocol()),
                "-s", Ip.format(f.src()), "-d", Ip.format(f.dst())));
        if (f.protocol() == Match.TCP || f.protocol() == Match.UDP || f.protocol() == Match.SCTP || f.protocol() == Match.DCCP) {
            argv.addAll(List.of("--sport", Integer.toString(f.sport()), "--dport", Integer.toString(f.dport())));
        } else if (f.protocol() == Match.ICMP || f.protocol() == Match.ICMPV6) {
            argv.addAll(List.of("--icmp-type", Integer.toString(f.icmpType()), "--icmp-code", Integer.toString(f.icmpCode()),
                    "--icmp-id", Integer.toString(f.icmpId())));
        }
        return shell.run(null, argv.toArray(String[]::new)).ok();
    }
}
