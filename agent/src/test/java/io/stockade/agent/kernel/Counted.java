package io.stockade.agent.kernel;

import io.stockade.agent.nft.Commits;
import io.stockade.agent.nft.Listing;
import io.stockade.agent.nft.NftLib;
import io.stockade.agent.nft.Nftables;
import io.stockade.agent.stats.Count;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.Transaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * libnftables as the agent uses it, counting what is read: tables listed whole, objects read
 * alone, and announcements lost on the monitor's socket (of {@code receiveBuffer} bytes).
 */
final class Counted implements Nftables {
    private final NftLib lib;
    private final int receiveBuffer;
    private final AtomicInteger tables = new AtomicInteger();
    private final AtomicInteger objects = new AtomicInteger();
    private final AtomicInteger losses = new AtomicInteger();

    Counted(NftLib lib, int receiveBuffer) {
        this.lib = lib;
        this.receiveBuffer = receiveBuffer;
    }

    int tablesListed() {
        return tables.get();
    }

    int objectsRead() {
        return objects.get();
    }

    /** How many drains found announcements lost. */
    int losses() {
        return losses.get();
    }

    @Override
    public void run(Transaction tx) {
        lib.run(tx);
    }

    @Override
    public Optional<Listing> list(String family, String table) {
        tables.incrementAndGet();
        return lib.list(family, table);
    }

    @Override
    public Optional<Listing.Summary> summary(NftObject object) {
        objects.incrementAndGet();
        return lib.summary(object);
    }

    @Override
    public Optional<Boolean> dormant(NftObject.Table table) {
        objects.incrementAndGet();
        return lib.dormant(table);
    }

    @Override
    public long generation() {
        return lib.generation();
    }

    @Override
    public Map<List<String>, Count> counts(NftObject.Set set) {
        return lib.counts(set);
    }

    @Override
    public Optional<Commits> follow(String table) {
        Commits heard = lib.follow(table, receiveBuffer);
        return Optional.of(new Commits() {
            @Override
            public Announced drain() {
                Announced a = heard.drain();
                if (a.loss().isPresent()) {
                    losses.incrementAndGet();
                }
                return a;
            }

            @Override
            public void unheard(Runnable commit) {
                heard.unheard(commit);
            }

            @Override
            public void close() {
                heard.close();
            }
        });
    }
}
