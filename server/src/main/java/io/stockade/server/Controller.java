package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Instance;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.ValidationException;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.policy.Policy;
import io.stockade.store.Change;
import io.stockade.store.Store;
import io.stockade.store.StoredObject;
import io.stockade.wire.WorldJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The controller's state and its one write path: the current world in memory (read without
 * locks), and mutations that are validated against it, written to the store in one transaction
 * (one revision), then published to listeners (the watch hub). No HTTP here: the native API and
 * the Neutron facade both call this.
 */
public final class Controller {
    /** The objects a mutation leaves behind, what it returns, and a line for the audit log. */
    public record Mutation<T>(World next, T result, String detail) {}

    /** When an object was made and last changed, and at which revision. */
    public record Meta(String createdAt, String updatedAt, long revision) {}

    private static final String TAGS = "tags";
    private static final String TAGS_PREFIX = "tags/";

    private final Store store;
    private final Policy policy;
    private final ObjectMapper mapper;
    private final WorldJson json;
    private final Map<String, Meta> meta = new ConcurrentHashMap<>();
    /** Tags of objects (Neutron's): API metadata kept beside the world, since no firewall depends on them. */
    private final Map<String, List<String>> tags = new ConcurrentHashMap<>();
    private final ThreadLocal<Runnable> precondition = new ThreadLocal<>();
    /**
     * What this thread's writes produced since {@link #forgetWrites}, by object id: a write's
     * response shows the revision that write made, not a later one another request made before
     * the response was rendered (issue 21, honest revisions). The HTTP layer forgets at the start
     * of each request.
     */
    private final ThreadLocal<Map<String, Meta>> written = ThreadLocal.withInitial(java.util.HashMap::new);
    private final List<Consumer<World>> listeners = new CopyOnWriteArrayList<>();
    private volatile World world;

    public Controller(Store store, Policy policy, ObjectMapper mapper) {
        this.store = store;
        this.policy = policy;
        this.mapper = mapper;
        this.json = new WorldJson(mapper);
        this.world = load();
    }

    private World load() {
        World.Builder b = World.builder().policy(policy).revision(store.revision());
        for (StoredObject o : store.loadAll()) {
            decode(o, b);
        }
        return b.build();
    }

    private void decode(StoredObject o, World.Builder b) {
        JsonNode n = read(o.body());
        switch (o.kind()) {
            case "project" -> b.project(json.readProject(n));
            case "group" -> b.group(json.readGroup(n));
            case "ipset" -> b.ipSet(json.readIpSet(n));
            case "network" -> b.network(json.readNetwork(n));
            case "host" -> b.host(json.readHost(n));
            case "instance" -> b.instance(json.readInstance(n));
            case "vnic" -> b.vnic(json.readVnic(n));
            case TAGS -> tags.put(n.path("object").asText(), strings(n.path("tags")));
            default -> throw new IllegalStateException("unknown object kind in store: " + o.kind());
        }
        meta.put(o.id(), new Meta(o.createdAt(), o.updatedAt(), o.revision()));
    }

    /**
     * Takes in what other controllers on the same database wrote since this one's revision: the
     * objects the change log names are read again (or dropped when gone), and listeners hear of
     * the new world. The revision log is the truth; notifications only say when to look.
     */
    public synchronized void catchUp() {
        long stored = store.revision();
        World current = world;
        if (stored <= current.revision()) {
            return;
        }
        World.Builder b = current.toBuilder();
        for (String id : store.objectsChangedSince(current.revision())) {
            java.util.Optional<StoredObject> o = store.object(id);
            if (o.isPresent()) {
                decode(o.get(), b);
            } else {
                b.remove(id);
                meta.remove(id);
                if (id.startsWith(TAGS_PREFIX)) {
                    tags.remove(id.substring(TAGS_PREFIX.length()));
                }
            }
        }
        World next = b.build().atRevision(stored);
        world = next;
        listeners.forEach(l -> l.accept(next));
    }

    private JsonNode read(String body) {
        try {
            return mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("corrupt object in store: " + e.getMessage(), e);
        }
    }

    public World world() {
        return world;
    }

    public Policy policy() {
        return policy;
    }

    public Store store() {
        return store;
    }

    public WorldJson json() {
        return json;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public Meta meta(String id) {
        Meta mine = written.get().get(id);
        return mine != null ? mine : meta.get(id);
    }

    /** Starts a request: its write responses show what its own writes made. */
    public void forgetWrites() {
        written.get().clear();
    }

    /**
     * Runs an operation whose mutation happens only if {@code check} passes (it throws otherwise),
     * checked against the current world under the same lock as the write: Neutron's
     * {@code If-Match: revision_number=N}. The operations themselves need not know.
     */
    public <T> T provided(Runnable check, java.util.function.Supplier<T> operation) {
        precondition.set(check);
        try {
            return operation.get();
        } finally {
            precondition.remove();
        }
    }

    /** An object's tags, sorted; empty when it has none. */
    public List<String> tags(String objectId) {
        return tags.getOrDefault(objectId, List.of());
    }

    /** When an object's tags last changed, or null when it never had any. */
    public Meta tagsMeta(String objectId) {
        return meta(TAGS_PREFIX + objectId);
    }

    /**
     * Replaces the tags of an object of the current world in one revision, like every other
     * change (an empty list removes them). Returns them sorted, without duplicates.
     */
    public synchronized List<String> setTags(Caller caller, String objectId, String projectId, List<String> newTags) {
        List<String> sorted = List.copyOf(new java.util.TreeSet<>(newTags));
        for (int attempt = 0; ; attempt++) {
            catchUp();
            World current = world;
            if (!current.groups().containsKey(objectId) && !current.ipSets().containsKey(objectId) && !current.vnics().containsKey(objectId)) {
                throw ApiException.notFound("object", objectId);
            }
            if (sorted.equals(tags(objectId))) {
                return sorted;
            }
            String d = mapper.createObjectNode().put("what", "set tags of " + objectId + " to " + sorted).toString();
            ObjectNode body = mapper.createObjectNode().put("object", objectId);
            sorted.forEach(body.putArray("tags")::add);
            Change c = sorted.isEmpty() ? Change.delete(TAGS, TAGS_PREFIX + objectId, projectId, objectId, d)
                    : Change.upsert(TAGS, TAGS_PREFIX + objectId, projectId, objectId, body.toString(), tags.containsKey(objectId) ? "update" : "create", d);
            long rev;
            try {
                rev = store.commit(caller.actor(), List.of(c), current.revision());
            } catch (io.stockade.store.StaleRevisionException e) {
                if (attempt < 10) {
                    continue;
                }
                throw new ApiException(503, "busy", null, "the store keeps changing under this controller; try again");
            }
            return publish(new Mutation<>(current, sorted, d), List.of(c), rev);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(t -> out.add(t.asText()));
        return List.copyOf(out);
    }

    public void onChange(Consumer<World> listener) {
        listeners.add(listener);
    }

    /**
     * Runs one mutation: builds the next world from the current one, writes every object that
     * changed in one transaction, then makes it current. Validation errors from the model become
     * 422 naming the field; nothing is written when anything fails.
     */
    public synchronized <T> T mutate(Caller caller, Function<World, Mutation<T>> f) {
        for (int attempt = 0; ; attempt++) {
            catchUp();
            World current = world;
            Runnable check = precondition.get();
            if (check != null) {
                check.run();
            }
            Mutation<T> m;
            try {
                m = f.apply(current);
            } catch (ValidationException e) {
                throw ApiException.invalid(e.field(), e.getMessage());
            }
            List<Change> changes = changes(current, m.next(), m.detail());
            if (changes.isEmpty()) {
                return m.result();
            }
            long rev;
            try {
                rev = store.commit(caller.actor(), changes, current.revision());
            } catch (io.stockade.store.StaleRevisionException e) {
                // Another controller wrote first: validate again against the newer world.
                if (attempt < 10) {
                    continue;
                }
                throw new ApiException(503, "busy", null, "the store keeps changing under this controller; try again");
            }
            return publish(m, changes, rev);
        }
    }

    private <T> T publish(Mutation<T> m, List<Change> changes, long rev) {
        String now = java.time.Instant.now().toString();
        for (Change c : changes) {
            if (c.kind().equals(TAGS)) {
                String object = c.id().substring(TAGS_PREFIX.length());
                if (c.body() == null) {
                    tags.remove(object);
                } else {
                    tags.put(object, strings(read(c.body()).path("tags")));
                }
            }
            if (c.body() == null) {
                meta.remove(c.id());
            } else {
                Meta old = meta.get(c.id());
                Meta made = new Meta(old == null ? now : old.createdAt(), now, rev);
                meta.put(c.id(), made);
                written.get().put(c.id(), made);
            }
        }
        World next = m.next().atRevision(rev);
        world = next;
        listeners.forEach(l -> l.accept(next));
        return m.result();
    }

    /** Every object that differs between the two worlds, as store changes. */
    private List<Change> changes(World a, World b, String detail) {
        List<Change> out = new ArrayList<>();
        String d = mapper.createObjectNode().put("what", detail).toString();
        diff(out, "project", a.projects(), b.projects(), p -> null, Project::name, json::project, d);
        diff(out, "network", a.networks(), b.networks(), n -> null, Network::name, json::network, d);
        diff(out, "host", a.hosts(), b.hosts(), h -> null, Host::name, json::host, d);
        diff(out, "ipset", a.ipSets(), b.ipSets(), IpSet::projectId, IpSet::name, json::ipSet, d);
        diff(out, "group", a.groups(), b.groups(), SecurityGroup::projectId, SecurityGroup::name, json::group, d);
        diff(out, "instance", a.instances(), b.instances(), Instance::projectId, Instance::name, json::instance, d);
        diff(out, "vnic", a.vnics(), b.vnics(), Vnic::projectId, v -> v.name().isEmpty() ? v.id() : v.name(), json::vnic, d);
        for (Change c : List.copyOf(out)) {
            if (c.body() == null && tags.containsKey(c.id())) {
                out.add(Change.delete(TAGS, TAGS_PREFIX + c.id(), c.projectId(), c.id(), d));
            }
        }
        return out;
    }

    private static <T> void diff(List<Change> out, String kind, Map<String, T> a, Map<String, T> b, Function<T, String> project,
            Function<T, String> name, Function<T, ObjectNode> body, String detail) {
        for (Map.Entry<String, T> e : b.entrySet()) {
            T old = a.get(e.getKey());
            if (old != e.getValue() && !Objects.equals(old, e.getValue())) {
                T v = e.getValue();
                out.add(Change.upsert(kind, e.getKey(), project.apply(v), name.apply(v), body.apply(v).toString(), old == null ? "create" : "update", detail));
            }
        }
        for (Map.Entry<String, T> e : a.entrySet()) {
            if (!b.containsKey(e.getKey())) {
                T v = e.getValue();
                out.add(Change.delete(kind, e.getKey(), project.apply(v), name.apply(v), detail));
            }
        }
    }
}
