package io.stockade.agent.nft;

import io.stockade.agent.stats.Count;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.Transaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel boundary: run one transaction atomically, and read the tables back. A fake in the
 * tests keeps the same state in memory.
 */
public interface Nftables {
    /** Applies the transaction atomically; throws {@link NftException} (nothing applied) when nft refuses it. */
    void run(Transaction tx);

    /** The table's chains and sets as the kernel holds them now, or empty when the table does not exist. */
    Optional<Listing> list(String family, String table);

    /** One chain, set or map as the kernel holds it now, or empty when it does not exist. */
    Optional<Listing.Summary> summary(NftObject object);

    /**
     * Whether a table is dormant (its base chains unhooked, so none of its rules sees a packet),
     * read without its chains and sets; empty when the table does not exist.
     */
    Optional<Boolean> dormant(NftObject.Table table);

    /**
     * The ruleset's generation: it changes with every transaction committed in the kernel's
     * network namespace, by anyone; -1 when it cannot be read (then every check lists the tables).
     */
    long generation();

    /**
     * Follows the commits made in the kernel's network namespace and which of the named table's
     * objects each touched (see {@link Commits}), from now on; empty when this boundary cannot
     * hear them (then drift is found by listing). It is closed with this boundary, or before by the caller.
     */
    default Optional<Commits> follow(String table) {
        return Optional.empty();
    }

    /**
     * The counts of a counted set's or map's elements by key, each field of a key as nft lists it
     * (see {@link io.stockade.compiler.Counters#field}); empty when the set does not exist.
     */
    Map<List<String>, Count> counts(NftObject.Set set);

    /**
     * The kernel boundary for a network namespace (null: the agent's own): libnftables kept open
     * when it loads, else the {@code nft} command.
     */
    static Nftables open(io.stockade.agent.Shell shell) {
        try {
            return NftLib.open(shell.netns());
        } catch (UnsatisfiedLinkError e) {
            org.slf4j.LoggerFactory.getLogger(Nftables.class).warn("libnftables not found ({}); running the nft command per change", e.getMessage());
            return new NftCli(shell);
        }
    }

    /** A refused transaction, with nft's own message. */
    final class NftException extends RuntimeException {
        public NftException(String message) {
            super(message);
        }
    }
}
