package io.stockade.server.neutron;

import io.stockade.core.model.Ids;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Neutron's UUIDs for Stockade's objects: a name-based UUID (version 5) of the Stockade id, so
 * the same object has the same UUID in every controller and after every restart. The reverse
 * lookup is an index of the current world, kept up to date from each write's change (what it
 * puts and removes: the cost of the change, not of the world); it also notes when this
 * controller first saw each rule (rules have no stored timestamps of their own).
 *
 * <p>The controller tells of each new world with its write lock held, so hearing of a change only
 * queues it (issue 21: a group of 30,000 new rules is 30,000 UUIDs to index, which must not hold
 * other tenants' writes); a virtual thread started for the queue indexes the changes in turn, and
 * every lookup first indexes what is still queued, so it sees every world published before it.
 */
public final class NeutronIds implements io.stockade.server.Controller.Listener {
    /** A digest per thread (a digest is not thread-safe, and looking one up costs as much as using it). */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** The namespace of Stockade's name-based UUIDs (itself the version-5 UUID of "stockade.io" in the DNS namespace). */
    private static final UUID NAMESPACE = v5(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "stockade.io");

    /** Where a rule lives: its group, and when this controller first saw it (null: since start). */
    public record RuleRef(String groupId, String ruleId, String seenAt, long revision) {}

    private final Map<String, String> objects = new ConcurrentHashMap<>();
    private final Map<String, RuleRef> rulesByUuid = new ConcurrentHashMap<>();
    private final Map<String, RuleRef> rulesById = new ConcurrentHashMap<>();
    /** The ids of each group's rules as last indexed: guarded by this (the indexing lock). */
    private final Map<String, Set<String>> rulesOfGroup = new HashMap<>();
    /** The revision indexed last, or -1 before the first: guarded by this. */
    private long indexed = -1;
    /** Changes heard of and not yet indexed, with when: guarded by itself. */
    private final java.util.ArrayDeque<Heard> queued = new java.util.ArrayDeque<>();
    /** Whether a virtual thread is indexing the queue: guarded by {@link #queued}. */
    private boolean indexing;

    private record Heard(WorldChange change, long revision, String at) {}

    /** An index that follows the controller's world from now on. */
    public static NeutronIds following(io.stockade.server.Controller ctl) {
        NeutronIds ids = new NeutronIds();
        ctl.onChange(ids);
        World start = ctl.world();
        synchronized (ids) {
            if (ids.indexed == -1) {
                ids.index(everything(start), null, start.revision());
                ids.indexed = start.revision();
            }
        }
        return ids;
    }

    /** The world as one change that makes it from nothing. */
    private static WorldChange everything(World w) {
        WorldChange.Builder b = WorldChange.builder();
        w.projects().values().forEach(b::project);
        w.groups().values().forEach(b::group);
        w.ipSets().values().forEach(b::ipSet);
        w.networks().values().forEach(b::network);
        w.instances().values().forEach(b::instance);
        w.vnics().values().forEach(b::vnic);
        return b.build();
    }

    private NeutronIds() {}

    public static String uuid(String stockadeId) {
        return v5(NAMESPACE, stockadeId).toString();
    }

    /** The Stockade id of an object of the kind ({@code sg}, {@code ips}, {@code vif}, {@code net}, {@code i}) that a token names: a UUID or the Stockade id itself. */
    public String id(String kind, String token) {
        if (token == null) {
            return null;
        }
        if (Ids.hasForm(kind, token)) {
            return token;
        }
        indexQueued();
        String id = objects.get(token.toLowerCase(java.util.Locale.ROOT));
        return id != null && Ids.hasForm(kind, id) ? id : null;
    }

    /** A rule named by its UUID or its Stockade id, or null. */
    public RuleRef rule(String token) {
        if (token == null) {
            return null;
        }
        indexQueued();
        return Ids.hasForm(Ids.RULE, token) ? rulesById.get(token) : rulesByUuid.get(token.toLowerCase(java.util.Locale.ROOT));
    }

    public RuleRef ruleRef(String ruleId) {
        indexQueued();
        return rulesById.get(ruleId);
    }

    /** Whether a Stockade id (of any kind, rules too) names an object of the current world. */
    public boolean exists(String stockadeId) {
        indexQueued();
        return objects.containsKey(uuid(stockadeId)) || rulesById.containsKey(stockadeId);
    }

    /** Queues a write's change (O(1): called with the controller's write lock held) and starts indexing if no one is. */
    @Override
    public void changed(World next, WorldChange change) {
        boolean start;
        synchronized (queued) {
            queued.add(new Heard(change, next.revision(), Instant.now().toString()));
            start = !indexing;
            indexing = true;
        }
        if (start) {
            Thread.ofVirtual().name("neutron-ids").start(this::indexInBackground);
        }
    }

    private void indexInBackground() {
        while (true) {
            indexQueued();
            synchronized (queued) {
                if (queued.isEmpty()) {
                    indexing = false;
                    return;
                }
            }
        }
    }

    /** Indexes every change queued so far, oldest first; those the first index already held are passed over. */
    private synchronized void indexQueued() {
        while (true) {
            Heard h;
            synchronized (queued) {
                h = queued.poll();
            }
            if (h == null) {
                return;
            }
            if (h.revision() > indexed) {
                index(h.change(), indexed == -1 ? null : h.at(), h.revision());
                indexed = h.revision();
            }
        }
    }

    /**
     * Indexes what a change removes, then what it puts (the cost of the change, not of the world);
     * rules new to the index are seen {@code now} (null: since start) at {@code revision}.
     */
    private void index(WorldChange change, String now, long revision) {
        for (String id : change.removed()) {
            objects.remove(uuid(id));
            Set<String> rules = rulesOfGroup.remove(id);
            if (rules != null) {
                rules.forEach(r -> forget(r, id));
            }
        }
        change.projects().forEach(o -> known(o.id()));
        change.ipSets().forEach(o -> known(o.id()));
        change.networks().forEach(o -> known(o.id()));
        change.instances().forEach(o -> known(o.id()));
        change.vnics().forEach(o -> known(o.id()));
        for (SecurityGroup g : change.groups()) {
            known(g.id());
            Set<String> kept = new HashSet<>();
            for (Rule r : g.rules()) {
                kept.add(r.id());
                RuleRef ref = rulesById.get(r.id());
                if (ref == null || !ref.groupId().equals(g.id())) {
                    ref = new RuleRef(g.id(), r.id(), now, revision);
                    rulesById.put(r.id(), ref);
                    rulesByUuid.put(uuid(r.id()), ref);
                }
            }
            Set<String> was = rulesOfGroup.put(g.id(), kept);
            if (was != null) {
                was.stream().filter(r -> !kept.contains(r)).forEach(r -> forget(r, g.id()));
            }
        }
    }

    private void known(String id) {
        objects.put(uuid(id), id);
    }

    /** Forgets a rule gone from a group, unless it now lives in another one. */
    private void forget(String ruleId, String groupId) {
        RuleRef ref = rulesById.get(ruleId);
        if (ref != null && ref.groupId().equals(groupId)) {
            rulesById.remove(ruleId);
            rulesByUuid.remove(uuid(ruleId));
        }
    }

    private static UUID v5(UUID namespace, String name) {
        MessageDigest sha1 = SHA1.get();
        ByteBuffer ns = ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}
