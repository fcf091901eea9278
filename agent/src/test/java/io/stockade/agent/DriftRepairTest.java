package io.stockade.agent;

import static io.stockade.core.testing.TestWorld.tcpFromGroup;
import static io.stockade.core.testing.TestWorld.tcpIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.agent.nft.FakeNftables;
import io.stockade.agent.nft.Listing;
import io.stockade.agent.nft.Nftables;
import io.stockade.agent.stats.Count;
import io.stockade.compiler.Compiler;
import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftRule;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Verdict;
import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without root: every change made by hand to Stockade's tables is found and undone, and the
 * repair touches only what differs (no rebuild, so the named counters keep counting).
 */
class DriftRepairTest {
    private static final NftObject.Table INET = new NftObject.Table("inet", Compiler.TABLE);
    private static final NftObject.Table BRIDGE = new NftObject.Table("bridge", Compiler.TABLE);
    private static final World WORLD = TestWorld.wakame()
            .group("sg-dbsrv", tcpFromGroup(3306, 3306, "sg-dbclnts"), tcpIn(22, 22, "0.0.0.0/0"))
            .group("sg-dbclnts").vnic("vif-db1", "sg-dbsrv").vnic("vif-app1", "sg-dbclnts").build();
    /** The addresses of the referenced group's members. */
    private static final NftObject.Set REF = new NftObject.Set(INET, "ref_sg_dbclnts_v4", NftSet.Type.of("ipv4_addr"), false);

    private FakeNftables kernel;
    private NftDataplane plane;
    private String applied;

    @BeforeEach
    void apply() {
        kernel = new FakeNftables();
        plane = new NftDataplane(kernel, TestWorld.HOST, List.of("uplink0"));
        plane.applyFull(WORLD);
        applied = kernel.dump();
        assertThat(applied).contains("ref_sg_dbclnts_v4");
        assertThat(plane.repair(WORLD)).as("nothing drifted").isFalse();
    }

    private void staged(Consumer<Transaction.Builder> edit) {
        Transaction.Builder tx = Transaction.builder();
        edit.accept(tx);
        kernel.run(tx.build());
        assertThat(kernel.dump()).isNotEqualTo(applied);
        assertThat(plane.repair(WORLD)).isTrue();
        assertThat(kernel.dump()).isEqualTo(applied);
        assertThat(kernel.last().ops()).as("repaired in place, not rebuilt").noneMatch(op -> op.object() instanceof NftObject.Table);
        assertThat(plane.repair(WORLD)).as("nothing left to repair").isFalse();
    }

    @Test
    void aSetFlushed() {
        staged(tx -> tx.flush(REF));
        assertThat(kernel.last().ops()).extracting(op -> op.object().getClass().getSimpleName()).containsOnly("Set", "Elements");
    }

    @Test
    void anElementAddedOrRemoved() {
        staged(tx -> tx.add(new NftObject.Elements(INET, REF.name(), List.of(NftElement.of("198.51.100.66")))));
        String member = WORLD.vnics().get("vif-app1").addresses().get(0).getHostAddress();
        staged(tx -> tx.delete(new NftObject.Elements(INET, REF.name(), List.of(NftElement.of(member)))));
    }

    /** A swap keeps the count: found by the digest learnt at the check before it. */
    @Test
    void anElementSwapped() {
        String member = WORLD.vnics().get("vif-app1").addresses().get(0).getHostAddress();
        staged(tx -> tx.delete(new NftObject.Elements(INET, REF.name(), List.of(NftElement.of(member))))
                .add(new NftObject.Elements(INET, REF.name(), List.of(NftElement.of("198.51.100.66")))));
    }

    @Test
    void aChainFlushedOrARuleInserted() {
        staged(tx -> tx.flush(new NftObject.Chain(INET, "in_vif_db1", null)));
        staged(tx -> tx.insert(new NftObject.Rule(BRIDGE, "prerouting", NftRule.of(Verdict.ACCEPT))));
    }

    @Test
    void aRuleReplacedByAnotherKeepsTheCountAndIsFound() {
        NftObject.Chain chain = new NftObject.Chain(INET, "forward", null);
        staged(tx -> tx.flush(chain).add(new NftObject.Rule(INET, "forward", NftRule.of(Verdict.ACCEPT))));
    }

    @Test
    void objectsAddedByHandAreRemoved() {
        NftObject.Set theirs = new NftObject.Set(INET, "theirs", NftSet.Type.of("ipv4_addr"), false);
        NftObject.Chain chain = new NftObject.Chain(INET, "mine", null);
        staged(tx -> tx.add(theirs).add(chain).add(new NftObject.Rule(INET, "mine", NftRule.of(Verdict.DROP, NftRule.in("ip saddr", "theirs")))));
    }

    /** While nobody else commits, a check reads nothing but the generation once the objects the agent wrote are learnt. */
    @Test
    void anUnchangedKernelIsNotListed() {
        World joined = WORLD.toBuilder().vnic(WORLD.vnics().get("vif-db1").withGroups(List.of("sg-dbsrv", "sg-dbclnts"))).build();
        plane.applyChange(WORLD, joined);
        // The first checks learn the objects the change wrote, a few chains a check.
        int checks = 0;
        int before;
        do {
            before = kernel.listings();
            assertThat(plane.repair(joined)).isFalse();
        } while (kernel.listings() != before && ++checks < 20);
        int listings = kernel.listings();
        int transactions = kernel.transactions();
        for (int i = 0; i < 5; i++) {
            assertThat(plane.repair(joined)).isFalse();
        }
        assertThat(kernel.listings()).isEqualTo(listings);
        assertThat(kernel.transactions()).isEqualTo(transactions);
        kernel.run(Transaction.builder().flush(REF).build());
        assertThat(plane.repair(joined)).as("someone else committed: listed and repaired").isTrue();
        assertThat(kernel.listings()).isGreaterThan(listings);
    }

    /** Checks until the objects the last change wrote are learnt (a few chains a check); then nothing is read. */
    private void learnt(World world) {
        int checks = 0;
        int before;
        do {
            before = kernel.listings();
            assertThat(plane.repair(world)).isFalse();
        } while (kernel.listings() != before && ++checks < 20);
    }

    /** Another program commits a table of its own; the kernel as applied now holds it too. */
    private void theirs(String name) {
        NftObject.Table t = new NftObject.Table("inet", name);
        kernel.run(Transaction.builder().add(t).add(new NftObject.Chain(t, "input", null)).add(new NftObject.Rule(t, "input", NftRule.of(Verdict.ACCEPT))).build());
        applied = kernel.dump();
    }

    /** Another program's commits to its own tables are announced as touching none of Stockade's: nothing is read. */
    @Test
    void othersCommitsToTheirTablesReadNothing() {
        learnt(WORLD);
        int listings = kernel.listings();
        for (int i = 0; i < 3; i++) {
            theirs("someone" + i);
            assertThat(plane.repair(WORLD)).isFalse();
        }
        assertThat(kernel.listings()).isEqualTo(listings);
    }

    /** After others' commits, a hand edit of one set is read alone (one listing, not both tables) and repaired. */
    @Test
    void aTouchedSetIsReadAlone() {
        learnt(WORLD);
        theirs("someone");
        int listings = kernel.listings();
        int tables = kernel.tablesListed();
        staged(tx -> tx.flush(REF));
        assertThat(kernel.listings() - listings).as("the set read alone to compare, then to learn what the repair wrote").isEqualTo(2);
        assertThat(kernel.tablesListed()).isEqualTo(tables);
    }

    /** A set or chain of someone else in Stockade's table, named by the announcement, is read alone and removed. */
    @Test
    void objectsAddedByHandAfterOthersCommitsAreRemoved() {
        learnt(WORLD);
        theirs("someone");
        objectsAddedByHandAreRemoved();
    }

    /** The objects the agent's own change wrote are not taken for someone else's edit. */
    @Test
    void theAgentsOwnCommitsAreNotRepaired() {
        World joined = WORLD.toBuilder().vnic(WORLD.vnics().get("vif-db1").withGroups(List.of("sg-dbsrv", "sg-dbclnts"))).build();
        learnt(WORLD);
        int transactions = kernel.transactions();
        plane.applyChange(WORLD, joined);
        theirs("someone");
        learnt(joined);
        assertThat(kernel.transactions()).as("the change and their commit, no repair").isEqualTo(transactions + 2);
    }

    /** A lost announcement of someone else's commit lists both tables whole: the edit it hid is found. */
    @Test
    void aLostAnnouncementListsTheTables() {
        learnt(WORLD);
        int tables = kernel.tablesListed();
        kernel.loseNextAnnouncement();
        staged(tx -> tx.flush(REF));
        assertThat(kernel.tablesListed() - tables).as("bridge and inet listed").isEqualTo(2);
    }

    /** A lost announcement of the agent's own commit (its generation moved by one) hides nothing: no listing. */
    @Test
    void aLostAnnouncementOfTheAgentsOwnCommitListsNothing() {
        World joined = WORLD.toBuilder().vnic(WORLD.vnics().get("vif-db1").withGroups(List.of("sg-dbsrv", "sg-dbclnts"))).build();
        learnt(WORLD);
        kernel.loseNextAnnouncement();
        plane.applyChange(WORLD, joined);
        int tables = kernel.tablesListed();
        learnt(joined);
        assertThat(kernel.tablesListed()).as("only the objects the change wrote were read, alone").isEqualTo(tables);
        int listings = kernel.listings();
        theirs("someone");
        assertThat(plane.repair(joined)).isFalse();
        assertThat(kernel.listings()).isEqualTo(listings);
    }

    /**
     * An element swapped in a set the agent just wrote, while the tables are listed whole: the
     * listing shows the swap before its announcement comes, so the digest it taught is forgotten
     * and the set written again at the next check.
     */
    @Test
    void anEditDuringAWholeListingIsNotTakenForTheAppliedState() {
        World joined = WORLD.toBuilder().vnic(WORLD.vnics().get("vif-db1").withGroups(List.of("sg-dbsrv", "sg-dbclnts"))).build();
        learnt(WORLD);
        plane.applyChange(WORLD, joined);
        kernel.loseNextAnnouncement();
        theirs("someone");
        String member = WORLD.vnics().get("vif-app1").addresses().get(0).getHostAddress();
        kernel.commitDuringNextListing(Transaction.builder().delete(new NftObject.Elements(INET, REF.name(), List.of(NftElement.of(member))))
                .add(new NftObject.Elements(INET, REF.name(), List.of(NftElement.of("198.51.100.66")))).build());
        assertThat(plane.repair(joined)).as("the listing showed the swap with the applied count").isFalse();
        assertThat(kernel.dump()).isNotEqualTo(applied);
        assertThat(plane.repair(joined)).as("the set written again").isTrue();
        assertThat(kernel.dump()).isEqualTo(applied);
    }

    /**
     * A table made dormant (its chains unhooked: no packet is filtered) is found by reading its
     * head alone, not by listing the tables, and woken in place, its chains and sets kept.
     */
    @Test
    void aDormantTableIsWokenFromItsHeadAlone() {
        learnt(WORLD);
        int listed = kernel.tablesListed();
        kernel.makeDormant(BRIDGE);
        assertThat(kernel.dump()).isNotEqualTo(applied);
        assertThat(plane.repair(WORLD)).isTrue();
        assertThat(kernel.dump()).isEqualTo(applied);
        assertThat(kernel.last().ops()).containsExactly(new Transaction.Op(Transaction.Verb.ADD, BRIDGE));
        assertThat(kernel.tablesListed()).as("no table listed whole").isEqualTo(listed);
        assertThat(plane.repair(WORLD)).as("nothing left to repair").isFalse();
    }

    /** Without the kernel's announcements, a check after someone else's commit finds a dormant table too. */
    @Test
    void aDormantTableIsWokenWithoutAnnouncements() {
        FakeNftables fake = new FakeNftables();
        // The fake kernel without its announcements (follow() keeps its default: none).
        Nftables deaf = new Nftables() {
            @Override
            public void run(Transaction tx) {
                fake.run(tx);
            }

            @Override
            public Optional<Listing> list(String family, String table) {
                return fake.list(family, table);
            }

            @Override
            public Optional<Listing.Summary> summary(NftObject object) {
                return fake.summary(object);
            }

            @Override
            public Optional<Boolean> dormant(NftObject.Table table) {
                return fake.dormant(table);
            }

            @Override
            public long generation() {
                return fake.generation();
            }

            @Override
            public Map<List<String>, Count> counts(NftObject.Set set) {
                return fake.counts(set);
            }
        };
        NftDataplane p = new NftDataplane(deaf, TestWorld.HOST, List.of("uplink0"));
        p.applyFull(WORLD);
        assertThat(p.repair(WORLD)).as("nothing drifted").isFalse();
        fake.makeDormant(INET);
        assertThat(p.repair(WORLD)).isTrue();
        assertThat(fake.dump()).isEqualTo(applied);
        assertThat(fake.last().ops()).containsExactly(new Transaction.Op(Transaction.Verb.ADD, INET));
    }

    @Test
    void aTableDeletedIsRebuilt() {
        kernel.run(Transaction.builder().delete(INET).build());
        assertThat(plane.repair(WORLD)).isTrue();
        assertThat(kernel.dump()).isEqualTo(applied);
    }
}
