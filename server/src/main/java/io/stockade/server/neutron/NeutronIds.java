package io.stockade.server.neutron;

import io.stockade.core.model.Ids;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.World;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Neutron's UUIDs for Stockade's objects: a name-based UUID (version 5) of the Stockade id, so
 * the same object has the same UUID in every controller and after every restart. The reverse
 * lookup is an index of the current world, kept up to date by listening to its changes; it also
 * notes when this controller first saw each rule (rules have no stored timestamps of their own).
 *
 * <p>The controller tells of each new world with its write lock held, so hearing of one only
 * queues it (issue 21: a group of 30,000 new rules is 30,000 UUIDs to index, which must not hold
 * other tenants' writes); a virtual thread started for the queue indexes the worlds in turn, and
 * every lookup first indexes what is still queued, so it sees every world published before it.
 */
public final class NeutronIds implements Consumer<World> {
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
    /** Guarded by this (the indexing lock). */
    private World indexed;
    /** Worlds heard of and not yet indexed, with when: guarded by itself. */
    private final java.util.ArrayDeque<Heard> queued = new java.util.ArrayDeque<>();
    /** Whether a virtual thread is indexing the queue: guarded by {@link #queued}. */
    private boolean indexing;

    private record Heard(World world, String at) {}

    /** An index that follows the controller's world from now on. */
    public static NeutronIds following(io.stockade.server.Controller ctl) {
        NeutronIds ids = new NeutronIds();
        ctl.onChange(ids);
        synchronized (ids) {
            if (ids.indexed == null) {
                ids.index(null, ctl.world(), null);
            }
        }
        return ids;
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

    /** Queues a new world (O(1): called with the controller's write lock held) and starts indexing if no one is. */
    @Override
    public void accept(World next) {
        boolean start;
        synchronized (queued) {
            queued.add(new Heard(next, Instant.now().toString()));
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

    /** Indexes every world queued so far, oldest first. */
    private synchronized void indexQueued() {
        while (true) {
            Heard h;
            synchronized (queued) {
                h = queued.poll();
            }
            if (h == null) {
                return;
            }
            if (indexed == null || h.world().revision() >= indexed.revision()) {
                index(indexed, h.world(), indexed == null ? null : h.at());
            }
        }
    }

    /** Indexes {@code next} from {@code old} (null: from nothing); rules new to the index are seen {@code now} (null: since start). */
    private void index(World old, World next, String now) {
        diff(old == null ? Map.of() : old.ipSets(), next.ipSets());
        diff(old == null ? Map.of() : old.vnics(), next.vnics());
        diff(old == null ? Map.of() : old.projects(), next.projects());
        diff(old == null ? Map.of() : old.networks(), next.networks());
        diff(old == null ? Map.of() : old.instances(), next.instances());
        Map<String, SecurityGroup> before = old == null ? Map.of() : old.groups();
        diff(before, next.groups());
        // A write shares the maps it does not touch (World.apply): an untouched map has nothing new.
        for (SecurityGroup g : before == next.groups() ? List.<SecurityGroup>of() : next.groups().values()) {
            SecurityGroup was = before.get(g.id());
            if (was == g) {
                continue;
            }
            for (Rule r : g.rules()) {
                RuleRef known = rulesById.get(r.id());
                if (known == null || !known.groupId().equals(g.id())) {
                    RuleRef ref = new RuleRef(g.id(), r.id(), now, next.revision());
                    rulesById.put(r.id(), ref);
                    rulesByUuid.put(uuid(r.id()), ref);
                }
            }
            if (was != null) {
                java.util.Set<String> kept = new java.util.HashSet<>();
                g.rules().forEach(r -> kept.add(r.id()));
                was.rules().stream().filter(r -> !kept.contains(r.id())).forEach(r -> forget(r, g.id()));
            }
        }
        for (SecurityGroup g : before.values()) {
            if (!next.groups().containsKey(g.id())) {
                g.rules().forEach(r -> forget(r, g.id()));
            }
        }
        indexed = next;
    }

    /** Forgets a rule gone from a group, unless it now lives in another one. */
    private void forget(Rule r, String groupId) {
        RuleRef ref = rulesById.get(r.id());
        if (ref != null && ref.groupId().equals(groupId)) {
            rulesById.remove(r.id());
            rulesByUuid.remove(uuid(r.id()));
        }
    }

    private <T> void diff(Map<String, T> before, Map<String, T> after) {
        if (before == after) {
            return;
        }
        for (String id : after.keySet()) {
            if (!before.containsKey(id)) {
                objects.put(uuid(id), id);
            }
        }
        for (String id : before.keySet()) {
            if (!after.containsKey(id)) {
                objects.remove(uuid(id));
            }
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
