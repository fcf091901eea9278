package io.stockade.agent.nft;

import io.stockade.agent.stats.Count;
import io.stockade.agent.stats.ElementCounts;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.Render;
import io.stockade.compiler.Transaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Nftables} that speaks nft's own language, scripts in and {@code nft -j} listings out,
 * whether through libnftables ({@link NftLib}) or the {@code nft} command ({@link NftCli}): each
 * gives the two primitives, and the transactions and listings are made of them here, once.
 */
public abstract class NftScripts implements Nftables {
    /** Applies a script atomically; throws {@link NftException} (nothing applied) when nft refuses it. */
    public abstract void apply(String script);

    /** Checks the script without applying it ({@code nft -c}); throws {@link NftException} when nft refuses it. */
    public abstract void check(String script);

    /** The JSON that {@code nft -j COMMAND} prints, or null when nft refuses the command (a table that does not exist). */
    abstract String json(String command);

    @Override
    public void run(Transaction tx) {
        apply(Render.script(tx));
    }

    @Override
    public Optional<Listing> list(String family, String table) {
        return Optional.ofNullable(listJson(family, table)).map(ListingJson::parse);
    }

    @Override
    public Optional<Listing.Summary> summary(NftObject object) {
        return Optional.ofNullable(json(ListingJson.command(object))).map(json -> ListingJson.summary(object, json));
    }

    /** From {@code nft -j list tables FAMILY}: the family's tables' heads alone. */
    @Override
    public Optional<Boolean> dormant(NftObject.Table table) {
        String json = json("list tables " + table.family());
        if (json == null) {
            throw new NftException("nft could not list the " + table.family() + " tables");
        }
        return ListingJson.dormant(json, table);
    }

    /** {@code nft -j list table FAMILY NAME}, or null when the table does not exist. */
    public String listJson(String family, String table) {
        return json("list table " + family + " " + table);
    }

    @Override
    public Map<List<String>, Count> counts(NftObject.Set set) {
        return ElementCounts.parse(json(ListingJson.command(set)));
    }
}
