package io.stockade.compiler;

import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.MacAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Isolation by source MAC, as both tables check it: which groups give a vnic's port full access
 * (its own) and which may reach it through a reference (the connected ones), and the MAC sets
 * that name them: {@code vnic_macs} (every filtered vnic of the host's networks, whose frames are
 * dropped unless a connected group lets them in) and {@code macs_<group>} per group named. One
 * compile of a host makes them once for both tables.
 */
final class MacSets {
    /** Who may reach a vnic's port under isolation. */
    record Peers(List<SecurityGroup> own, Set<String> connected) {
        static final Peers NONE = new Peers(List.of(), Set.of());
    }

    private final World world;
    private final CompileCache cache;
    private final boolean isolation;
    /** The groups whose MAC sets the chains name; a vnic's connected groups are often another's, so these are collected by set. */
    private final Set<Set<String>> named = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Peers> peers = new HashMap<>();
    private List<NftSet> sets;

    MacSets(World world, CompileCache cache) {
        this.world = world;
        this.cache = cache;
        this.isolation = world.policy().isolation();
    }

    boolean isolation() {
        return isolation;
    }

    /**
     * The peers of a local vnic (none without isolation; no connected groups for an unfiltered
     * vnic), whose sets this names from now on. Asked before {@link #sets()}.
     */
    Peers peers(Vnic v, boolean filtered) {
        if (!isolation) {
            return Peers.NONE;
        }
        return peers.computeIfAbsent(v.id(), id -> {
            if (sets != null) {
                throw new IllegalStateException("vnic " + id + " asked for after the MAC sets were made");
            }
            List<SecurityGroup> own = world.groupsOf(v);
            Set<String> connected = filtered ? cache.connected(own, world) : Set.of();
            own.forEach(g -> named.add(Set.of(g.id())));
            named.add(connected);
            return new Peers(own, connected);
        });
    }

    /** The sets named ({@code vnic_macs} first), none without isolation; made on the first call. */
    List<NftSet> sets() {
        if (sets == null) {
            sets = List.copyOf(make());
        }
        return sets;
    }

    private List<NftSet> make() {
        List<NftSet> sets = new ArrayList<>();
        if (!isolation) {
            return sets;
        }
        // Kept from the last compile and brought up to date from the vnics a diff touched: an agent's
        // change costs what it touches, not a walk over the network, and an unchanged set is the
        // same object, which the delta skips without a diff.
        sets.add(new NftSet("vnic_macs", MACS, false, cache.vnicMacs(world)));
        Set<String> groups = new TreeSet<>();
        named.forEach(groups::addAll);
        for (String g : groups) {
            // The world keeps a group's member list the same object while no member changes.
            List<Vnic> members = world.members(g);
            CompileCache.SetName set = cache.macSetName(g);
            sets.add(new NftSet(set.name(), MACS, false, cache.made(set.key(), List.of(members),
                    () -> macs(members.stream().filter(v -> v.hostId() != null).map(Vnic::mac).toList()))));
        }
        return sets;
    }

    static String of(String groupId) {
        return NftNames.of("macs", groupId);
    }

    private static final NftSet.Type MACS = NftSet.Type.of("ether_addr");

    private static List<NftElement> macs(List<MacAddress> macs) {
        return macs.stream().distinct().sorted().map(m -> NftElement.of(m.toString())).toList();
    }
}
