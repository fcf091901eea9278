package io.stockade.agent.nft;

import io.stockade.compiler.NftObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A table's head asked of the kernel over netfilter's netlink socket ({@code NFT_MSG_GETTABLE}):
 * its flags without its chains and sets, in one request. nft 1.0.6 cannot say it: its JSON
 * writes freed memory where a table's flags go, and its text lists the whole table. The socket
 * belongs to the namespace of the thread that opens it.
 */
final class TableHeads implements AutoCloseable {
    private static final int NFT_MSG_NEWTABLE = 10 << 8;
    private static final int NFT_MSG_GETTABLE = (10 << 8) | 1;
    private static final int NFTA_TABLE_NAME = 1;
    private static final int NFTA_TABLE_FLAGS = 2;
    private static final int NFT_TABLE_F_DORMANT = 1;

    private final NftQuery query = new NftQuery();

    /** Whether the table is dormant; empty when it does not exist. */
    Optional<Boolean> dormant(NftObject.Table table) {
        byte[] name = (table.name() + "\0").getBytes(StandardCharsets.UTF_8);
        int attr = 4 + name.length;
        ByteBuffer attributes = ByteBuffer.allocate((attr + 3) & ~3).order(ByteOrder.nativeOrder());
        attributes.putShort((short) attr).putShort((short) NFTA_TABLE_NAME).put(name);
        int family = NetlinkBatch.family(table.family())
                .orElseThrow(() -> new IllegalArgumentException("no table family '" + table.family() + "' here"));
        return query.ask(NFT_MSG_GETTABLE, family, attributes.array(), NFT_MSG_NEWTABLE, "GETTABLE of " + table)
                .map(answer -> (NftQuery.u32(answer, NFTA_TABLE_FLAGS).orElse(0) & NFT_TABLE_F_DORMANT) != 0);
    }

    @Override
    public void close() {
        query.close();
    }
}
