package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.Conntrack;
import io.stockade.agent.ConntrackSweeper;
import io.stockade.agent.Shell;
import io.stockade.core.model.Match;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.testing.TestWorld;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep reads the kernel's connection tracking table over ctnetlink, with no process spawned:
 * entries put into a namespace's table by the {@code conntrack} tool come back with their original
 * tuple, and a sweep deletes exactly the flows the slice no longer allows.
 */
@RequiresRoot
class ConntrackKernelTest {
    private final String ns = "stkct" + ProcessHandle.current().pid();
    private final Shell host = new Shell(ns);

    @BeforeEach
    void up() {
        assertThat(new Shell(null).run(null, "ip", "netns", "add", ns).ok()).isTrue();
    }

    @AfterEach
    void down() {
        new Shell(null).run(null, "ip", "netns", "del", ns);
    }

    private void insert(String... tuple) {
        String[] argv = new String[tuple.length + 4];
        argv[0] = "conntrack";
        argv[1] = "-I";
        System.arraycopy(tuple, 0, argv, 2, tuple.length);
        argv[argv.length - 2] = "-t";
        argv[argv.length - 1] = "600";
        Shell.Result r = host.run(null, argv);
        assertThat(r.ok()).as("conntrack -I: %s", r.err()).isTrue();
    }

    @Test
    void listsEveryFamilyAndProtocolByItsOriginalTuple() {
        insert("-p", "tcp", "-s", "192.0.2.11", "-d", "192.0.2.10", "--sport", "40000", "--dport", "3306", "--state", "ESTABLISHED");
        insert("-p", "udp", "-s", "2001:db8::11", "-d", "2001:db8::10", "--sport", "5353", "--dport", "53");
        insert("-p", "icmp", "-s", "198.51.100.1", "-d", "198.51.100.2", "--icmp-type", "8", "--icmp-code", "0", "--icmp-id", "77");
        insert("-p", "icmpv6", "-s", "2001:db8::1", "-d", "2001:db8::2", "--icmpv6-type", "128", "--icmpv6-code", "0", "--icmpv6-id", "7");

        assertThat(new Conntrack(host).list()).containsExactlyInAnyOrder(
                new Conntrack.Flow(Match.TCP, ip("192.0.2.11"), ip("192.0.2.10"), 40000, 3306, -1, -1, -1),
                new Conntrack.Flow(Match.UDP, ip("2001:db8::11"), ip("2001:db8::10"), 5353, 53, -1, -1, -1),
                new Conntrack.Flow(Match.ICMP, ip("198.51.100.1"), ip("198.51.100.2"), -1, -1, 8, 0, 77),
                new Conntrack.Flow(Match.ICMPV6, ip("2001:db8::1"), ip("2001:db8::2"), -1, -1, 128, 0, 7));
    }

    @Test
    void deletesEachFlowByItsOriginalTuple() {
        insert("-p", "tcp", "-s", "192.0.2.11", "-d", "192.0.2.10", "--sport", "40000", "--dport", "3306", "--state", "ESTABLISHED");
        insert("-p", "tcp", "-s", "192.0.2.11", "-d", "192.0.2.10", "--sport", "40001", "--dport", "3306", "--state", "ESTABLISHED");
        insert("-p", "udp", "-s", "2001:db8::11", "-d", "2001:db8::10", "--sport", "5353", "--dport", "53");
        insert("-p", "icmp", "-s", "198.51.100.1", "-d", "198.51.100.2", "--icmp-type", "8", "--icmp-code", "0", "--icmp-id", "77");
        insert("-p", "icmpv6", "-s", "2001:db8::1", "-d", "2001:db8::2", "--icmpv6-type", "128", "--icmpv6-code", "0", "--icmpv6-id", "7");
        Conntrack conntrack = new Conntrack(host);
        Conntrack.Flow kept = new Conntrack.Flow(Match.TCP, ip("192.0.2.11"), ip("192.0.2.10"), 40001, 3306, -1, -1, -1);
        java.util.List<Conntrack.Flow> cut = conntrack.list().stream().filter(f -> !f.equals(kept)).toList();
        assertThat(cut).hasSize(4);

        for (Conntrack.Flow f : cut) {
            assertThat(conntrack.delete(f)).as("%s", f).isTrue();
            assertThat(conntrack.delete(f)).as("%s is gone already", f).isFalse();
        }
        assertThat(conntrack.list()).containsExactly(kept);
    }

    @Test
    void anEmptyTableListsNothing() {
        assertThat(new Conntrack(host).list()).isEmpty();
    }

    @Test
    void aSweepDeletesExactlyTheFlowsTheSliceNoLongerAllows() {
        World w = TestWorld.wakame().group("sg-a").group("sg-z").vnic("vif-x", "sg-a").vnic("vif-y", "sg-a").vnic("vif-z", "sg-z").build();
        String x = Ip.format(w.vnics().get("vif-x").addresses().get(0));
        String y = Ip.format(w.vnics().get("vif-y").addresses().get(0));
        String z = Ip.format(w.vnics().get("vif-z").addresses().get(0));
        insert("-p", "tcp", "-s", x, "-d", y, "--sport", "41000", "--dport", "5000", "--state", "ESTABLISHED");
        insert("-p", "tcp", "-s", x, "-d", z, "--sport", "41001", "--dport", "5000", "--state", "ESTABLISHED");
        Conntrack conntrack = new Conntrack(host);

        assertThat(new ConntrackSweeper(conntrack).sweep(w, TestWorld.HOST)).as("x and z share no group").isEqualTo(1);
        assertThat(conntrack.list()).extracting(Conntrack.Flow::dst).containsExactly(ip(y));
        assertThat(new ConntrackSweeper(conntrack).sweep(w, TestWorld.HOST)).as("nothing left to cut").isZero();
    }

    private static InetAddress ip(String s) {
        return Ip.parse(s, "ip");
    }
}
