package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.agent.nft.NftLib;
import io.stockade.agent.nft.Nftables;
import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.Render;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Verdict;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Element-only transactions sent as netlink batches of the agent's own: the kernel ends up holding
 * exactly what libnftables makes of the same transaction (the two tables listed by {@code nft -j}
 * are equal), for every key type and value the compiler writes; a batch the kernel refuses in
 * part changes nothing and says why; the generation moves by one per batch.
 */
@RequiresRoot
class ElementBatchKernelTest {
    private static final NftObject.Table INET = new NftObject.Table("inet", "t");
    private static final NftObject.Table BRIDGE = new NftObject.Table("bridge", "b");
    private static final NftObject.Set V4 = set(INET, "v4", NftSet.Type.of("ipv4_addr"), false);
    private static final NftObject.Set V6 = set(INET, "v6", NftSet.Type.of("ipv6_addr"), false);
    private static final NftObject.Set MACS = set(INET, "macs", NftSet.Type.of("ether_addr"), false);
    private static final NftObject.Set SERVICES = set(INET, "services", NftSet.Type.of("inet_service"), false);
    private static final NftObject.Set PROTOCOLS = set(INET, "protocols", NftSet.Type.of("inet_proto"), false);
    private static final NftObject.Set PORT_ADDRESSES = set(INET, "port_ip6", NftSet.Type.of("ifname", "ipv6_addr"), false);
    private static final NftObject.Set BY_MARK = set(INET, "by_mark", NftSet.Type.of("mark").to("verdict"), false);
    private static final NftObject.Set BY_MAC = set(INET, "by_mac", NftSet.Type.of("ether_addr").to("verdict"), false);
    private static final NftObject.Set RANGES = set(INET, "ranges", NftSet.Type.of("ipv4_addr"), true);
    private static final NftObject.Set PORTS = set(BRIDGE, "dst_port", NftSet.Type.of("ifname").to("verdict"), false);
    /** Counted sets, as the fast paths are: each element counts the packets that find it. */
    private static final NftObject.Set PASS4 = new NftObject.Set(BRIDGE, "pass4", NftSet.Type.of("ifname", "ether_addr", "ipv4_addr"), false, true, false);
    private static final NftObject.Set PASS6 = new NftObject.Set(BRIDGE, "pass6", NftSet.Type.of("ifname", "ether_addr", "ipv6_addr"), false, true, false);

    private Namespaces namespaces;

    @BeforeEach
    void up() {
        namespaces = Namespaces.create("prop", 2);
    }

    @AfterEach
    void down() {
        namespaces.close();
    }

    private static NftObject.Set set(NftObject.Table t, String name, NftSet.Type type, boolean interval) {
        return new NftObject.Set(t, name, type, interval);
    }

    /** Both tables with chains and every kind of set, counted ones too, as a full load declares them. */
    private static Transaction tables() {
        Transaction.Builder tx = Transaction.builder().add(INET).add(BRIDGE);
        tx.add(new NftObject.Chain(INET, "c1", null)).add(new NftObject.Chain(INET, "c2", null)).add(new NftObject.Chain(BRIDGE, "dst_a", null));
        for (NftObject.Set s : List.of(V4, V6, MACS, SERVICES, PROTOCOLS, PORT_ADDRESSES, BY_MARK, BY_MAC, RANGES, PORTS, PASS4, PASS6)) {
            tx.add(s);
        }
        return tx.build();
    }

    private static NftObject.Elements elements(NftObject.Set s, NftElement... e) {
        return new NftObject.Elements(s.table(), s.name(), List.of(e));
    }

    private static Transaction additions() {
        return Transaction.builder()
                .add(elements(V4, NftElement.of("192.0.2.1"), NftElement.of("198.51.100.255"), NftElement.of("203.0.113.7")))
                .add(elements(V6, NftElement.of("2001:db8::1"), NftElement.of("fe80::5054:ff:fe01:86a2")))
                .add(elements(MACS, NftElement.of("52:54:00:01:86:a2"), NftElement.of("02:00:00:00:00:ff")))
                .add(elements(SERVICES, NftElement.of("67"), NftElement.of("547"), NftElement.of("65535")))
                .add(elements(PROTOCOLS, NftElement.of("tcp"), NftElement.of("udp"), NftElement.of("ipv6-icmp"), NftElement.of("132")))
                .add(elements(PORT_ADDRESSES, NftElement.of("\"t100002\"", "2001:db8::7"), NftElement.of("\"eth0\"", "fe80::1")))
                .add(elements(BY_MARK, NftElement.of("0x00005113").to(new Verdict.Goto("c1")), NftElement.of("0x80005e7a").to(Verdict.ACCEPT),
                        NftElement.of("0x00000001").to(Verdict.DROP)))
                .add(elements(BY_MAC, NftElement.of("52:54:00:01:86:a2").to(new Verdict.Jump("c2")), NftElement.of("52:54:00:00:00:01").to(Verdict.RETURN)))
                .add(elements(PORTS, NftElement.of("\"t100002\"").to(new Verdict.Jump("dst_a"))))
                .add(elements(PASS4, NftElement.of("\"t1\"", "52:54:00:01:86:a2", "192.0.2.1"), NftElement.of("\"t2\"", "52:54:00:01:86:a3", "192.0.2.2")))
                .add(elements(PASS6, NftElement.of("\"t1\"", "52:54:00:01:86:a2", "2001:db8::1")))
                .build();
    }

    private static Transaction deletions() {
        return Transaction.builder()
                .delete(elements(V4, NftElement.of("198.51.100.255")))
                .delete(elements(BY_MARK, NftElement.of("0x00005113").to(new Verdict.Goto("c1"))))
                .delete(elements(PASS4, NftElement.of("\"t2\"", "52:54:00:01:86:a3", "192.0.2.2")))
                .delete(elements(PROTOCOLS, NftElement.of("udp")))
                .add(elements(V4, NftElement.of("192.0.2.2")))
                .build();
    }

    private static String listing(NftLib nft) {
        return nft.listJson("inet", "t") + "\n" + nft.listJson("bridge", "b");
    }

    @Test
    void theKernelHoldsWhatLibnftablesWouldHaveWritten() {
        try (NftLib batches = NftLib.open(namespaces.get(0)); NftLib library = NftLib.open(namespaces.get(1))) {
            batches.run(tables());
            library.apply(Render.script(tables()));
            for (Transaction tx : List.of(additions(), deletions())) {
                long before = batches.netlinkBatches();
                long g = batches.generation();
                batches.run(tx);
                library.apply(Render.script(tx));
                assertThat(batches.netlinkBatches()).as("sent as one batch of its own").isEqualTo(before + 1);
                assertThat(batches.generation()).as("one commit").isEqualTo(g + 1);
                assertThat(listing(batches)).isEqualTo(listing(library));
            }
            assertThat(listing(batches)).contains("\"fe80::5054:ff:fe01:86a2\"", "\"t100002\"", "\"counter\"", "\"jump\"", "\"sctp\"");
        }
    }

    @Test
    void aBatchWithOneBadElementChangesNothingAndSaysWhy() {
        try (NftLib nft = NftLib.open(namespaces.get(0))) {
            nft.run(tables());
            nft.run(additions());
            String before = listing(nft);
            long g = nft.generation();
            Transaction missingChain = Transaction.builder()
                    .add(elements(V4, NftElement.of("192.0.2.99")))
                    .add(elements(BY_MAC, NftElement.of("52:54:00:00:00:99").to(new Verdict.Jump("nowhere"))))
                    .build();
            assertThatThrownBy(() -> nft.run(missingChain)).isInstanceOf(Nftables.NftException.class)
                    .hasMessageContaining("add element inet t by_mac { 52:54:00:00:00:99 : jump nowhere }")
                    .hasMessageContaining("No such file or directory");
            Transaction missingElement = Transaction.builder()
                    .add(elements(MACS, NftElement.of("52:54:00:00:00:98")))
                    .delete(elements(V6, NftElement.of("2001:db8::99")))
                    .build();
            assertThatThrownBy(() -> nft.run(missingElement)).isInstanceOf(Nftables.NftException.class)
                    .hasMessageContaining("delete element inet t v6 { 2001:db8::99 }");
            Transaction existing = Transaction.builder()
                    .add(elements(V4, NftElement.of("192.0.2.97")))
                    .create(elements(PASS4, NftElement.of("\"t1\"", "52:54:00:01:86:a2", "192.0.2.1")))
                    .build();
            assertThatThrownBy(() -> nft.run(existing)).isInstanceOf(Nftables.NftException.class).hasMessageContaining("pass4")
                    .hasMessageContaining("File exists");
            assertThat(listing(nft)).as("nothing of the refused batches").isEqualTo(before);
            assertThat(nft.generation()).isEqualTo(g);
            // The socket stays usable after refusals.
            nft.run(Transaction.builder().add(elements(V4, NftElement.of("192.0.2.98"))).build());
            assertThat(listing(nft)).contains("\"192.0.2.98\"");
        }
    }

    /** What a batch does not say exactly (intervals, sets it does not know, anything beyond elements) goes through libnftables. */
    @Test
    void otherTransactionsGoThroughLibnftables() {
        try (NftLib nft = NftLib.open(namespaces.get(0))) {
            nft.run(tables());
            long before = nft.netlinkBatches();
            nft.run(Transaction.builder().add(elements(RANGES, NftElement.of("10.0.0.0/8"), NftElement.of("192.0.2.0/24"))).build());
            nft.run(Transaction.builder().add(elements(V4, NftElement.of("192.0.2.5"))).add(new NftObject.Chain(INET, "c3", null)).build());
            new io.stockade.agent.Shell(namespaces.get(0)).run(null, "nft", "add", "set", "inet", "t", "theirs", "{ type ipv4_addr; }");
            NftObject.Set theirs = set(INET, "theirs", NftSet.Type.of("ipv4_addr"), false);
            nft.run(Transaction.builder().add(elements(theirs, NftElement.of("192.0.2.6"))).build());
            assertThat(nft.netlinkBatches()).isEqualTo(before);
            assertThat(listing(nft)).contains("\"prefix\"", "\"192.0.2.5\"", "\"192.0.2.6\"");
            // A table deleted and declared again is learnt again.
            nft.run(Transaction.builder().add(INET).delete(INET).build());
            nft.run(Transaction.builder().add(INET).add(V4).build());
            nft.run(Transaction.builder().add(elements(V4, NftElement.of("192.0.2.7"))).build());
            assertThat(nft.netlinkBatches()).isEqualTo(before + 1);
            assertThat(nft.listJson("inet", "t")).contains("\"192.0.2.7\"");
        }
    }
}
