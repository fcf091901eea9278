package io.stockade.agent;

import io.stockade.core.model.World;

/** What the agent needs of the kernel: install, change and check a host's firewall. */
public interface Dataplane {
    /** At start: a fail-closed ruleset (no vnic traffic) unless a Stockade ruleset is already there. */
    void ensureFailClosed();

    /** Replaces the whole ruleset with the slice's, in one transaction. */
    void applyFull(World slice);

    /**
     * Moves the kernel from {@code from}'s ruleset to {@code to}'s with the minimal transaction;
     * true when the change may have taken a permission away (see {@link io.stockade.compiler.Widening}), so
     * tracked flows must be judged again.
     */
    boolean applyChange(World from, World to);

    /**
     * Puts back what someone changed in the kernel's ruleset (flushed, edited, deleted) since it
     * was applied for {@code slice}; true when something had to be repaired.
     */
    boolean repair(World slice);
}
