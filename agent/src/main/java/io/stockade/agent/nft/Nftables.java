package io.stockade.agent.nft;

/** The kernel boundary: run one nft script as one transaction, and read the tables back. */
public interface Nftables {
    /** Applies the script atomically; throws {@link NftException} (nothing applied) when nft refuses it. */
    void apply(String script);

    /** Checks the script without applying it ({@code nft -c}). */
    void check(String script);

    /** {@code nft -j list table FAMILY NAME}, or null when the table does not exist. */
    String listJson(String family, String table);

    /** A refused script, with nft's own message. */
    final class NftException extends RuntimeException {
        public NftException(String message) {
            super(message);
        }
    }
}
