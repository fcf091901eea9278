package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.agent.nft.NftLib;
import io.stockade.agent.nft.Nftables;
import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftRule;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.Render;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Verdict;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chains rewritten by netlink batches of the agent's own, as a vnic's chains are when its groups
 * change (elements added, the chain flushed, its rules written again): the kernel ends up holding
 * exactly what libnftables makes of the same transaction ({@code nft -j} listings of both tables
 * equal, in both families, every expression the batch encodes); a rule the batch does not encode
 * sends the whole transaction to libnftables; a refused batch changes nothing.
 */
@RequiresRoot
class RuleBatchKernelTest {
    private static final NftObject.Table INET = new NftObject.Table("inet", "t");
    private static final NftObject.Table BRIDGE = new NftObject.Table("bridge", "b");
    private static final NftObject.Set INET_MACS = new NftObject.Set(INET, "macs_sg_a", NftSet.Type.of("ether_addr"), false);
    private static final NftObject.Set INET_VNICS = new NftObject.Set(INET, "vnic_macs", NftSet.Type.of("ether_addr"), false);
    private static final NftObject.Set DROP_IN = new NftObject.Set(INET, "drop_in_isolation", NftSet.Type.of("mark"), false, true, true);
    private static final NftObject.Set BRIDGE_MACS = new NftObject.Set(BRIDGE, "macs_sg_a", NftSet.Type.of("ether_addr"), false);
    private static final NftObject.Set DROP_ISOLATION = new NftObject.Set(BRIDGE, "drop_isolation", NftSet.Type.of("ifname"), false, true, true);
    private static final NftObject.Set DROP_SPOOFING = new NftObject.Set(BRIDGE, "drop_spoofing", NftSet.Type.of("ifname"), false, true, true);
    private static final NftObject.Chain IN = new NftObject.Chain(INET, "in_vif_a", null);
    private static final NftObject.Chain OTHER = new NftObject.Chain(INET, "other", null);
    private static final NftObject.Chain DST = new NftObject.Chain(BRIDGE, "dst_vif_a", null);

    private Namespaces namespaces;

    @BeforeEach
    void up() {
        namespaces = Namespaces.create("rule", 2);
    }

    @AfterEach
    void down() {
        namespaces.close();
    }

    private static Transaction tables() {
        Transaction.Builder tx = Transaction.builder().add(INET).add(BRIDGE).add(IN).add(OTHER).add(DST);
        List.of(INET_MACS, INET_VNICS, DROP_IN, BRIDGE_MACS, DROP_ISOLATION, DROP_SPOOFING).forEach(tx::add);
        return tx.add(rule(IN, Verdict.DROP, NftRule.in("ether saddr", "vnic_macs"))).add(rule(DST, Verdict.ACCEPT)).build();
    }

    private static NftObject.Rule rule(NftObject.Chain c, Verdict v, NftRule.Expr... exprs) {
        return new NftObject.Rule(c.table(), c.name(), NftRule.of(v, exprs));
    }

    private static NftObject.Elements elements(NftObject.Set s, String... keys) {
        return new NftObject.Elements(s.table(), s.name(), java.util.Arrays.stream(keys).map(NftElement::of).toList());
    }

    /** A vnic joining group a: what the compiler's delta does to its chains, with every encoded expression and verdict. */
    private static Transaction join() {
        return Transaction.builder()
                .add(elements(BRIDGE_MACS, "52:54:00:01:86:a2"))
                .add(elements(INET_MACS, "52:54:00:01:86:a2"))
                .flush(DST)
                .add(rule(DST, Verdict.CONTINUE, new NftRule.MarkSet(0x5e7a)))
                .add(rule(DST, Verdict.ACCEPT, NftRule.in("ether saddr", "macs_sg_a"), new NftRule.MarkSet(0x80005e7aL)))
                .add(rule(DST, Verdict.DROP, NftRule.in("ether saddr", "macs_sg_a"), new NftRule.Update("drop_isolation", "oifname")))
                .add(rule(DST, Verdict.DROP, NftRule.notIn("ether daddr", "macs_sg_a"), new NftRule.Update("drop_spoofing", "iifname")))
                .add(rule(DST, Verdict.ACCEPT))
                .flush(IN)
                .add(rule(IN, Verdict.ACCEPT, NftRule.in("ether saddr", "macs_sg_a")))
                .add(rule(IN, Verdict.DROP, NftRule.in("ether saddr", "vnic_macs"), NftRule.notIn("ether saddr", "macs_sg_a"),
                        new NftRule.MarkSet(0x5e7a), new NftRule.Update("drop_in_isolation", "meta mark")))
                .add(rule(IN, Verdict.CONTINUE, new NftRule.MarkSet(0x5e7a), NftRule.in("ether daddr", "vnic_macs")))
                .add(rule(IN, new Verdict.Jump("other")))
                .add(rule(IN, new Verdict.Goto("other"), NftRule.notIn("ether saddr", "vnic_macs")))
                .add(rule(IN, Verdict.RETURN))
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
            // Twice: the second rewrite replaces the first one's rules.
            for (Transaction tx : List.of(join(), join())) {
                long before = batches.netlinkBatches();
                long g = batches.generation();
                batches.run(tx);
                library.apply(Render.script(tx));
                assertThat(batches.netlinkBatches()).as("sent as one batch of its own").isEqualTo(before + 1);
                assertThat(batches.generation()).as("one commit").isEqualTo(g + 1);
                assertThat(listing(batches)).isEqualTo(listing(library));
            }
            assertThat(listing(batches)).contains("\"update\"", "\"goto\"", "\"!=\"", "\"oifname\"", "\"mangle\"");
        }
    }

    @Test
    void aRuleTheBatchDoesNotEncodeSendsTheTransactionToLibnftables() {
        try (NftLib nft = NftLib.open(namespaces.get(0))) {
            nft.run(tables());
            new io.stockade.agent.Shell(namespaces.get(0)).run(null, "nft", "add", "set", "inet", "t", "theirs", "{ type ether_addr; }");
            long before = nft.netlinkBatches();
            for (NftRule.Expr e : List.<NftRule.Expr>of(NftRule.is("ether saddr", "52:54:00:01:86:a2"), NftRule.is("meta l4proto", "{ tcp, udp }"),
                    new NftRule.Limit(10, 5), new NftRule.Log(1, 64, 1, "x"), NftRule.in("ether saddr", "theirs"))) {
                nft.run(Transaction.builder().add(elements(INET_MACS, "52:54:00:01:86:a3")).flush(IN).add(rule(IN, Verdict.ACCEPT, e)).build());
            }
            assertThat(nft.netlinkBatches()).isEqualTo(before);
            assertThat(nft.listJson("inet", "t")).as("the last, through libnftables").contains("\"@theirs\"");
        }
    }

    @Test
    void aRefusedBatchChangesNothingAndSaysWhy() {
        try (NftLib nft = NftLib.open(namespaces.get(0))) {
            nft.run(tables());
            String before = listing(nft);
            long g = nft.generation();
            Transaction tx = Transaction.builder().flush(IN).add(rule(IN, Verdict.ACCEPT, NftRule.in("ether saddr", "macs_sg_a")))
                    .add(rule(IN, new Verdict.Jump("nowhere"))).build();
            assertThatThrownBy(() -> nft.run(tx)).isInstanceOf(Nftables.NftException.class)
                    .hasMessageContaining("add rule inet t in_vif_a jump nowhere").hasMessageContaining("No such file or directory");
            assertThat(listing(nft)).isEqualTo(before);
            assertThat(nft.generation()).isEqualTo(g);
        }
    }
}
