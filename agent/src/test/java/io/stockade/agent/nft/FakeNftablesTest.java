package io.stockade.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.compiler.NftChain;
import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftRule;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Verdict;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake kernel refuses what nft refuses and applies a transaction all or nothing. */
class FakeNftablesTest {
    private static final NftObject.Table T = new NftObject.Table("inet", "t");
    private static final NftObject.Set ADDRS = new NftObject.Set(T, "addrs", NftSet.Type.of("ipv4_addr"), false);
    private static final NftObject.Set BY_MAC = new NftObject.Set(T, "by_mac", NftSet.Type.of("ether_addr").to("verdict"), false);
    private static final NftObject.Chain FORWARD = new NftObject.Chain(T, "forward", new NftChain.Base("filter", "forward", 0, "accept"));
    private static final NftObject.Chain VNIC = new NftObject.Chain(T, "vnic", null);

    private final FakeNftables nft = new FakeNftables();

    @BeforeEach
    void table() {
        nft.run(Transaction.builder().add(T).add(ADDRS).add(BY_MAC).add(FORWARD).add(VNIC)
                .add(rule(FORWARD, NftRule.of(new Verdict.Vmap("ether saddr", "by_mac"))))
                .add(rule(VNIC, NftRule.of(Verdict.RETURN, NftRule.in("ip saddr", "addrs"))))
                .add(elements(ADDRS, NftElement.of("192.0.2.1"))).build());
    }

    private static NftObject.Rule rule(NftObject.Chain c, NftRule r) {
        return new NftObject.Rule(T, c.name(), r);
    }

    private static NftObject.Elements elements(NftObject.Set s, NftElement... e) {
        return new NftObject.Elements(T, s.name(), java.util.List.of(e));
    }

    @Test
    void aTransactionThatFailsChangesNothing() {
        String before = nft.dump();
        Transaction tx = Transaction.builder().add(elements(ADDRS, NftElement.of("192.0.2.2"))).flush(VNIC)
                .delete(elements(ADDRS, NftElement.of("198.51.100.1"))).build();
        assertThatThrownBy(() -> nft.run(tx)).isInstanceOf(Nftables.NftException.class).hasMessageContaining("No such file or directory");
        assertThat(nft.dump()).isEqualTo(before);
        nft.refuseNext("out of memory");
        assertThatThrownBy(() -> nft.run(Transaction.builder().flush(VNIC).build())).hasMessageContaining("out of memory");
        assertThat(nft.dump()).isEqualTo(before);
    }

    @Test
    void missingObjectsAreRefused() {
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(elements(new NftObject.Set(T, "nope", NftSet.Type.of("ipv4_addr"), false),
                NftElement.of("192.0.2.1"))).build())).hasMessageContaining("no set nope");
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(rule(VNIC, NftRule.of(Verdict.RETURN, NftRule.in("ip saddr", "nope")))).build()))
                .hasMessageContaining("no set nope");
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(rule(VNIC, NftRule.of(new Verdict.Jump("nowhere")))).build()))
                .hasMessageContaining("no chain nowhere");
        assertThatThrownBy(() -> nft.run(Transaction.builder().delete(new NftObject.Table("bridge", "t")).build())).hasMessageContaining("No such file");
    }

    @Test
    void duplicatesAreRefusedByCreateAndAcceptedByAdd() {
        nft.run(Transaction.builder().add(T).add(ADDRS).add(elements(ADDRS, NftElement.of("192.0.2.1"))).build());
        assertThatThrownBy(() -> nft.run(Transaction.builder().create(ADDRS).build())).hasMessageContaining("File exists");
        assertThatThrownBy(() -> nft.run(Transaction.builder().create(elements(ADDRS, NftElement.of("192.0.2.1"))).build())).hasMessageContaining("File exists");
        assertThatThrownBy(() -> nft.run(Transaction.builder().create(T).build())).hasMessageContaining("File exists");
        nft.run(Transaction.builder().add(elements(BY_MAC, NftElement.of("52:54:00:00:00:01").to(new Verdict.Jump("vnic")))).build());
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(elements(BY_MAC, NftElement.of("52:54:00:00:00:01").to(Verdict.DROP))).build()))
                .as("a key mapped to another value").hasMessageContaining("File exists");
    }

    @Test
    void elementsOfTheWrongTypeAreRefused() {
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(elements(ADDRS, NftElement.of("52:54:00:00:00:01"))).build()))
                .hasMessageContaining("is not a ipv4_addr");
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(elements(ADDRS, NftElement.of("192.0.2.1", "80"))).build()))
                .hasMessageContaining("2 fields");
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(elements(BY_MAC, NftElement.of("52:54:00:00:00:01"))).build()))
                .hasMessageContaining("without a value");
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(elements(ADDRS, NftElement.of("192.0.2.9").to(Verdict.ACCEPT))).build()))
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> nft.run(Transaction.builder().add(elements(BY_MAC, NftElement.of("52:54:00:00:00:01").to(new Verdict.Goto("nowhere")))).build()))
                .hasMessageContaining("no chain nowhere");
    }

    @Test
    void objectsInUseCannotBeDeleted() {
        assertThatThrownBy(() -> nft.run(Transaction.builder().delete(ADDRS).build())).hasMessageContaining("busy");
        assertThatThrownBy(() -> nft.run(Transaction.builder().delete(VNIC).build())).as("a chain with rules").hasMessageContaining("busy");
        nft.run(Transaction.builder().add(elements(BY_MAC, NftElement.of("52:54:00:00:00:01").to(new Verdict.Jump("vnic")))).build());
        assertThatThrownBy(() -> nft.run(Transaction.builder().flush(VNIC).delete(VNIC).build())).as("a chain a map jumps to").hasMessageContaining("busy");
        nft.run(Transaction.builder().flush(VNIC).delete(elements(BY_MAC, NftElement.of("52:54:00:00:00:01"))).delete(VNIC).delete(ADDRS).build());
        assertThat(nft.dump()).doesNotContain("vnic").doesNotContain("addrs");
    }

    @Test
    void aListingSeesEveryChangeOfAChainOrSet() {
        Listing before = nft.list("inet", "t").orElseThrow();
        nft.run(Transaction.builder().delete(elements(ADDRS, NftElement.of("192.0.2.1"))).add(elements(ADDRS, NftElement.of("192.0.2.7"))).build());
        Listing swapped = nft.list("inet", "t").orElseThrow();
        assertThat(swapped.sets().get("addrs").size()).isEqualTo(before.sets().get("addrs").size());
        assertThat(swapped.sets().get("addrs")).isNotEqualTo(before.sets().get("addrs"));
        assertThat(swapped.chains()).isEqualTo(before.chains());
        assertThat(swapped.maps()).containsExactly("by_mac");
        assertThat(nft.list("inet", "nope")).isEmpty();
    }
}
