package io.stockade.agent.nft;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The commits made in a kernel's network namespace, as the kernel announces them, with the
 * objects of one followed table each touched: who edits that table is known without reading it,
 * and a commit to anybody else's table touches none of it. Announcements that were lost (a full
 * receive buffer) are reported as the generations they may belong to, never left out.
 */
public interface Commits extends AutoCloseable {
    /** What was announced since the last call, in the order committed. */
    Announced drain();

    /**
     * Runs {@code commit} without listening: the kernel builds its announcements only while
     * someone listens, and for a whole rebuild of a big host (every object deleted and added,
     * rules with their expressions) that costs many times the commit itself. Commits made
     * meanwhile by anyone are not heard: the caller tells from the generation whether there were
     * others than its own.
     */
    void unheard(Runnable commit);

    @Override
    void close();

    /**
     * What an object of the followed table is: the table itself (its head: made, deleted, its
     * flags changed), a chain (with its rules) or a set or map (with its elements); or
     * {@code OTHER}, an announcement of a kind not known here, which may have touched anything in it.
     */
    enum Kind { TABLE, CHAIN, SET, OTHER }

    /** An object of the followed table in the given family, by name (the table's own name for {@link Kind#TABLE}). */
    record Touched(String family, Kind kind, String name) {}

    /** One commit: the ruleset's generation after it (what {@code NFT_MSG_GETGEN} then answers) and the followed table's objects it touched. */
    record Commit(long generation, Set<Touched> touched) {
        public Commit {
            touched = Set.copyOf(touched);
        }
    }

    /** Announcements of the commits of generations {@code after} (excluded) to {@code through} (included) may be lost, whole or in part. */
    record Loss(long after, long through) {
        public Loss {
            if (through <= after) {
                throw new IllegalArgumentException("a loss spans at least one generation: after " + after + ", through " + through);
            }
        }
    }

    /** The commits announced, and the loss if some announcements did not arrive. */
    record Announced(List<Commit> commits, Optional<Loss> loss) {
        public Announced {
            commits = List.copyOf(commits);
        }
    }
}
