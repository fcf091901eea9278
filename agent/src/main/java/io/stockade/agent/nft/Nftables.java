package io.stockade.agent.nft;

/** The kernel boundary: run one nft script as one transaction, and read the tables back. */
public interface Nftables {
    /** Applies the script atomically; throws {@link NftException} (nothing applied) when nft refuses it. */
    void apply(String script);

    /** Checks the script without applying it ({@code nft -c}). */
    void check(String script);

    /** {@code nft -j list table FAMILY NAME}, or null when the table does not exist. */
    String listJson(String family, String table);

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

    /**
     * The table's named counters with their values, as {@code nft -j} lists them, or null when the
     * table does not exist. The whole table's listing holds them too; implementations may list less.
     */
    default String listCountersJson(String family, String table) {
        return listJson(family, table);
    }

    /** A refused script, with nft's own message. */
    final class NftException extends RuntimeException {
        public NftException(String message) {
            super(message);
        }
    }
}
