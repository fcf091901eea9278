package io.stockade.agent.kernel;

import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.NftDataplane;
import io.stockade.agent.drops.Drop;
import io.stockade.agent.drops.DropJournal;
import io.stockade.agent.drops.NflogReader;
import io.stockade.agent.nft.NftCli;
import io.stockade.agent.stats.Count;
import io.stockade.agent.stats.StatsRow;
import io.stockade.compiler.DropLog;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drop counters and drop logging with real packets: blocked packets show up as drop lines with
 * the right vnic, direction, reason, 5-tuple and needed rule; allowed ones raise the accept
 * counter; a flood is logged within the kernel's rate limit; switching logging off stops the lines.
 */
@RequiresRoot
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DropLogKernelTest extends KernelFixture {
    private static final int RATE = 1;
    private static final int BURST = 5;
    private static NftDataplane plane;
    private static NflogReader reader;
    private static DropJournal journal;
    private static volatile World current;
    private static final List<Drop> seen = new ArrayList<>();

    /** db1 (logs its drops) serves 3306 to the clients group and 22 to all; app1 is a client (logs too); web1 is isolated. */
    private static World world(boolean db1Logs) {
        World w = TestWorld.wakame()
                .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts"), tcpIn(22, 22, "0.0.0.0/0"))
                .group("sg-dbclnts").group("sg-web")
                .vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").vnic("vif-web1", "sg-web").build();
        return w.toBuilder().vnic(w.vnics().get("vif-db1").withLogDrops(db1Logs))
                .vnic(w.vnics().get("vif-app1").withLogDrops(true)).build();
    }

    @BeforeAll
    static void start() {
        int group = 1000 + ThreadLocalRandom.current().nextInt(60000);
        plane = new NftDataplane(new NftCli(net.host), TestWorld.HOST, List.of("uplink0"), new DropLog(group, RATE, BURST));
        current = world(true);
        plane.applyFull(current);
        net.flushConntrack();
        journal = new DropJournal(() -> current, 100_000);
        reader = new NflogReader(net.host.netns(), group, journal).start();
        // The reader is ready once a logged packet comes through (tcpdump binds the group as it starts).
        World w = current;
        boolean ready = false;
        for (int i = 0; i < 100 && !ready; i++) {
            Packet p = withSourcePort(TestWorld.tcpFromOutside(w, "203.0.113.9", "vif-app1", 7), 20000 + i);
            net.send(net.topology.vm("out"), p);
            ready = await(d -> d.vnic().equals("vif-app1") && d.dstPort() == 7, 10);
        }
        assertThat(ready).as("tcpdump delivers nflog group %d", group).isTrue();
    }

    @AfterAll
    static void stop() {
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    @Order(1)
    void aBlockedConnectIsADropWithVnicReasonTupleAndTheNeededRule() {
        long before = count("vif-db1", "ingress", "drop", "no-rule").packets();
        net.send(net.topology.vm("out"), withSourcePort(TestWorld.tcpFromOutside(current, "198.51.100.7", "vif-db1", 3306), 41001));
        assertThat(await(d -> d.srcPort() == 41001, 100)).isTrue();
        Drop d = seen.stream().filter(x -> x.srcPort() == 41001).findFirst().orElseThrow();
        assertThat(d.vnic()).isEqualTo("vif-db1");
        assertThat(d.direction()).isEqualTo("ingress");
        assertThat(d.reason()).isEqualTo("no-rule");
        assertThat(d.protocol()).isEqualTo("tcp");
        assertThat(d.src()).isEqualTo("198.51.100.7");
        assertThat(d.dst()).isEqualTo("192.0.2.10");
        assertThat(d.dstPort()).isEqualTo(3306);
        assertThat(d.neededGroup()).isEqualTo("sg-dbsrv");
        assertThat(d.neededRule()).isEqualTo("tcp:3306,3306,ip4:198.51.100.7");
        assertThat(count("vif-db1", "ingress", "drop", "no-rule").packets()).isGreaterThan(before);
    }

    @Test
    @Order(2)
    void anIsolatedNeighbourIsAnIsolationDropAndNeedsAReference() {
        long before = count("vif-db1", "ingress", "drop", "isolation").packets();
        net.send(net.topology.vm("v2"), withSourcePort(TestWorld.tcp(current, "vif-web1", "vif-db1", 22), 41002));
        assertThat(await(d -> d.srcPort() == 41002, 100)).isTrue();
        Drop d = seen.stream().filter(x -> x.srcPort() == 41002).findFirst().orElseThrow();
        assertThat(d).extracting(Drop::vnic, Drop::direction, Drop::reason, Drop::src, Drop::dst, Drop::dstPort)
                .containsExactly("vif-db1", "ingress", "isolation", "192.0.2.12", "192.0.2.10", 22);
        assertThat(d.neededGroup()).isEqualTo("sg-dbsrv");
        assertThat(d.neededRule()).isEqualTo("tcp:22,22,sg-web");
        assertThat(count("vif-db1", "ingress", "drop", "isolation").packets()).isGreaterThan(before);
    }

    @Test
    @Order(3)
    void anAllowedFlowRaisesTheAcceptCounters() {
        long dbIn = count("vif-db1", "ingress", "accept", "").packets();
        long appOut = count("vif-app1", "egress", "accept", "").packets();
        long dropped = count("vif-db1", "ingress", "drop", "no-rule").packets();
        assertThat(net.deliver(current, withSourcePort(TestWorld.tcp(current, "vif-app1", "vif-db1", 3306), 41003), true)).isTrue();
        assertThat(count("vif-db1", "ingress", "accept", "").packets()).isGreaterThan(dbIn);
        assertThat(count("vif-app1", "egress", "accept", "").packets()).isGreaterThan(appOut);
        assertThat(count("vif-db1", "ingress", "drop", "no-rule").packets()).isEqualTo(dropped);
        assertThat(seen).noneMatch(d -> d.srcPort() == 41003);
    }

    @Test
    @Order(4)
    void aFloodIsLoggedWithinTheRateLimitAndCountedInFull() {
        long before = count("vif-db1", "ingress", "drop", "no-rule").packets();
        int linesBefore = lines(d -> d.vnic().equals("vif-db1") && d.protocol().equals("icmp"));
        long start = System.nanoTime();
        net.topology.exec(net.topology.vm("out").namespace(), "ping", "-q", "-n", "-l", "3000", "-c", "3000", "-w", "1",
                "-I", "198.51.100.7", "192.0.2.10");
        long flooded = count("vif-db1", "ingress", "drop", "no-rule").packets() - before;
        marker(42001);
        double seconds = (System.nanoTime() - start) / 1e9;
        int logged = lines(d -> d.vnic().equals("vif-db1") && d.protocol().equals("icmp")) - linesBefore;
        assertThat(flooded).as("echo requests dropped and counted").isGreaterThanOrEqualTo(1000);
        assertThat(logged).as("lines logged of %d dropped in %.1f s", flooded, seconds)
                .isBetween(1, BURST + (int) Math.ceil(RATE * (seconds + 1)));
    }

    @Test
    @Order(5)
    void framesFromAnUnknownBridgePortAreCountedForTheHost() {
        Count before = plane.counters().getOrDefault(io.stockade.compiler.Counters.UNKNOWN_PORT.name(), Count.ZERO);
        String ns = net.host.netns();
        try {
            net.topology.exec(ns, "ip", "link", "add", "stray0", "type", "veth", "peer", "name", "stray1");
            net.topology.exec(ns, "ip", "link", "set", "stray0", "master", "br0", "up");
            net.topology.exec(ns, "ip", "link", "set", "stray1", "up");
            net.topology.exec(ns, "arping", "-c", "3", "-w", "5", "-I", "stray1", "-S", "192.0.2.99", "192.0.2.10");
            Count after = plane.counters().getOrDefault(io.stockade.compiler.Counters.UNKNOWN_PORT.name(), Count.ZERO);
            assertThat(after.packets()).isGreaterThanOrEqualTo(before.packets() + 3);
        } finally {
            net.topology.exec(ns, "ip", "link", "del", "stray0");
        }
    }

    @Test
    @Order(6)
    void switchingLoggingOffStopsTheLines() {
        World off = world(false);
        plane.applyChange(current, off);
        current = off;
        long before = count("vif-db1", "ingress", "drop", "no-rule").packets();
        for (int i = 0; i < 3; i++) {
            net.send(net.topology.vm("out"), withSourcePort(TestWorld.tcpFromOutside(off, "198.51.100.7", "vif-db1", 3306), 43000 + i));
        }
        marker(42002);
        assertThat(seen).noneMatch(d -> d.srcPort() >= 43000 && d.srcPort() < 43003);
        assertThat(count("vif-db1", "ingress", "drop", "no-rule").packets()).isGreaterThan(before);
        World on = world(true);
        plane.applyChange(current, on);
        current = on;
        net.send(net.topology.vm("out"), withSourcePort(TestWorld.tcpFromOutside(on, "198.51.100.7", "vif-db1", 3306), 43100));
        assertThat(await(d -> d.srcPort() == 43100, 100)).as("logging on again").isTrue();
    }

    @Test
    @Order(7)
    void aDeadTcpdumpIsStartedAgain() {
        long pid = reader.pid();
        assertThat(pid).isPositive();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        boolean again = false;
        for (int i = 0; i < 30 && !again; i++) {
            net.send(net.topology.vm("out"), withSourcePort(TestWorld.tcpFromOutside(current, "198.51.100.7", "vif-db1", 3306), 44000 + i));
            again = await(d -> d.srcPort() >= 44000 && d.srcPort() < 44030, 10);
        }
        assertThat(again).as("lines flow again after the child was killed").isTrue();
        assertThat(reader.starts()).isGreaterThanOrEqualTo(2);
        assertThat(reader.pid()).isNotEqualTo(pid);
    }

    /**
     * Sends a packet logged through app1's own rate limit and waits for its line: lines of db1
     * sent before it have arrived by then (one nflog queue, in order).
     */
    private static void marker(int sport) {
        for (int i = 0; i < 20; i++) {
            net.send(net.topology.vm("out"), withSourcePort(TestWorld.tcpFromOutside(current, "203.0.113.9", "vif-app1", 8), sport));
            if (await(d -> d.srcPort() == sport && d.vnic().equals("vif-app1"), 40)) {
                return;
            }
            ProbeNet.sleep(1000);
        }
        throw new AssertionError("marker line " + sport + " never arrived");
    }

    private static Count count(String vnic, String direction, String verdict, String reason) {
        return StatsRow.of(List.of(vnic), plane.counters()).stream()
                .filter(r -> r.direction().equals(direction) && r.verdict().equals(verdict) && r.reason().equals(reason))
                .findFirst().orElseThrow().count();
    }

    private static int lines(Predicate<Drop> p) {
        synchronized (seen) {
            seen.addAll(journal.drain());
            return (int) seen.stream().filter(p).count();
        }
    }

    /** Polls the journal (up to {@code tries} × 50 ms) until a line matches. */
    private static boolean await(Predicate<Drop> p, int tries) {
        for (int i = 0; i < tries; i++) {
            if (lines(p) > 0) {
                return true;
            }
            ProbeNet.sleep(50);
        }
        return false;
    }

    private static Packet withSourcePort(Packet p, int port) {
        return new Packet(p.from(), p.to(), p.kind(), p.srcMac(), p.dstMac(), p.srcIp(), p.dstIp(), p.protocol(), port, p.dstPort(),
                p.icmpType(), p.icmpCode(), p.state());
    }
}
