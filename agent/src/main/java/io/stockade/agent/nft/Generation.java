package io.stockade.agent.nft;

/**
 * The ruleset's generation id, asked of the kernel over netfilter's netlink socket
 * ({@code NFT_MSG_GETGEN}): it changes with every transaction committed in the network
 * namespace, whoever commits it, so an unchanged id means an unchanged ruleset, read in one
 * request instead of a listing. The socket belongs to the namespace of the thread that opens it.
 */
final class Generation implements AutoCloseable {
    private static final int NFT_MSG_GETGEN = (10 << 8) | 16;
    private static final int NFT_MSG_NEWGEN = (10 << 8) | 15;
    private static final int NFTA_GEN_ID = 1;
    private static final int AF_UNSPEC = 0;

    private final NftQuery query = new NftQuery();

    long read() {
        java.nio.ByteBuffer answer = query.ask(NFT_MSG_GETGEN, AF_UNSPEC, new byte[0], NFT_MSG_NEWGEN, "GETGEN")
                .orElseThrow(() -> new Nftables.NftException("netlink: GETGEN refused (no such object)"));
        return NftQuery.u32(answer, NFTA_GEN_ID).orElseThrow(() -> new Nftables.NftException("netlink: no generation id in the answer"));
    }

    @Override
    public void close() {
        query.close();
    }
}
