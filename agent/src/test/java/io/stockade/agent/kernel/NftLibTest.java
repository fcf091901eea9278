package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.agent.Shell;
import io.stockade.agent.nft.NftLib;
import io.stockade.agent.nft.Nftables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** libnftables kept open: transactions land in the chosen namespace only, refusals change nothing and say why. */
@RequiresRoot
class NftLibTest {
    private Namespaces namespaces;
    private String nsA;
    private String nsB;

    @BeforeEach
    void up() {
        namespaces = Namespaces.create("skl", 2);
        nsA = namespaces.get(0);
        nsB = namespaces.get(1);
    }

    @AfterEach
    void down() {
        namespaces.close();
    }

    private static String tables(String ns) {
        return new Shell(ns).run(null, "nft", "list", "tables").out();
    }

    @Test
    void appliesInItsNamespaceOnly() {
        try (NftLib a = NftLib.open(nsA)) {
            a.apply("add table inet t1\nadd set inet t1 s { type ipv4_addr; }\nadd element inet t1 s { 192.0.2.1 }\n");
            assertThat(tables(nsA)).contains("table inet t1");
            assertThat(tables(nsB)).doesNotContain("t1");
            assertThat(a.listJson("inet", "t1")).contains("\"192.0.2.1\"");
            assertThat(a.listJson("inet", "missing")).isNull();
        }
    }

    @Test
    void aRefusedTransactionAppliesNothingAndSaysWhy() {
        try (NftLib a = NftLib.open(nsA)) {
            a.apply("add table inet t2\n");
            // The first two lines are fine; the third is not: the whole buffer must be refused.
            String bad = "add set inet t2 s { type ipv4_addr; }\nadd element inet t2 s { 192.0.2.1 }\nadd rule inet t2 nochain accept\n";
            assertThatThrownBy(() -> a.apply(bad)).isInstanceOf(Nftables.NftException.class).hasMessageContaining("Could not process rule");
            assertThat(a.listJson("inet", "t2")).doesNotContain("\"s\"");
            // The context stays usable after a refusal.
            a.apply("add set inet t2 ok { type ipv4_addr; }\n");
            assertThat(a.listJson("inet", "t2")).contains("\"ok\"");
        }
    }

    @Test
    void checkChangesNothing() {
        try (NftLib a = NftLib.open(nsA)) {
            a.check("add table inet t3\n");
            assertThat(tables(nsA)).doesNotContain("t3");
            assertThatThrownBy(() -> a.check("add rule inet t3 nowhere accept\n")).isInstanceOf(Nftables.NftException.class);
            a.apply("add table inet t3\n");
            assertThat(tables(nsA)).contains("t3");
        }
    }

    /** The generation moves by one per committed transaction, from this context or any other process, and not for a refused one. */
    @Test
    void theGenerationMovesWithEveryCommitInItsNamespace() {
        try (NftLib a = NftLib.open(nsA); NftLib b = NftLib.open(nsB)) {
            long g = a.generation();
            long other = b.generation();
            assertThat(a.generation()).isEqualTo(g);
            a.apply("add table inet t4\n");
            assertThat(a.generation()).isEqualTo(g + 1);
            assertThatThrownBy(() -> a.apply("add rule inet t4 nowhere accept\n")).isInstanceOf(Nftables.NftException.class);
            assertThat(a.generation()).isEqualTo(g + 1);
            assertThat(new Shell(nsA).run(null, "nft", "add", "table", "inet", "t5").ok()).isTrue();
            assertThat(a.generation()).isEqualTo(g + 2);
            assertThat(b.generation()).as("another namespace").isEqualTo(other);
            a.apply("add set inet t4 s { type ipv4_addr; }\nadd element inet t4 s { 192.0.2.1 }\n");
            io.stockade.compiler.NftObject.Table t4 = new io.stockade.compiler.NftObject.Table("inet", "t4");
            var set = new io.stockade.compiler.NftObject.Set(t4, "s", io.stockade.compiler.NftSet.Type.of("ipv4_addr"), false);
            assertThat(a.summary(set)).hasValueSatisfying(s -> assertThat(s.size()).isEqualTo(1));
            assertThat(a.summary(set).orElseThrow()).isEqualTo(a.list("inet", "t4").orElseThrow().sets().get("s"));
        }
    }
}
