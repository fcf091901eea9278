package io.stockade.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Instance;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.ruletext.RuleText;
import io.stockade.store.HostStatus;
import io.stockade.wire.WatchHub;

/** The /v1 JSON of every object: the wire form plus revision and timestamps, and a few derived fields. */
public final class Views {
    private final Controller ctl;

    public Views(Controller ctl) {
        this.ctl = ctl;
    }

    private ObjectNode withMeta(String id, ObjectNode o) {
        Controller.Meta m = ctl.meta(id);
        if (m != null) {
            o.put("revision", m.revision()).put("createdAt", m.createdAt()).put("updatedAt", m.updatedAt());
        }
        return o;
    }

    public ObjectNode project(Project p) {
        return withMeta(p.id(), ctl.json().project(p));
    }

    public ObjectNode group(SecurityGroup g) {
        ObjectNode o = withMeta(g.id(), ctl.json().group(g));
        ArrayNode rules = (ArrayNode) o.get("rules");
        for (int i = 0; i < g.rules().size(); i++) {
            ((ObjectNode) rules.get(i)).put("text", RuleText.print(g.rules().get(i)));
        }
        return o;
    }

    public ObjectNode ipSet(IpSet s) {
        ObjectNode o = withMeta(s.id(), ctl.json().ipSet(s));
        ArrayNode users = o.putArray("usedBy");
        ctl.world().ipSetUsers(s.id()).forEach(users::add);
        return o;
    }

    public ObjectNode network(Network n) {
        return withMeta(n.id(), ctl.json().network(n));
    }

    /**
     * The watch hub takes in each write on its own thread: a host's desired revision is read
     * only once the hub has the world this answer shows, so a caller that waits for
     * applied ≥ desired after a write (the libvirt hook, tests, scripts) waits for that write.
     */
    private static void awaitHub(WatchHub hub, long revision) {
        try {
            if (!hub.awaitPublished(revision, 10_000)) {
                throw new ApiException(503, "busy", null, "the watch hub has not yet taken in revision " + revision + "; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "busy", null, "interrupted while waiting for the watch hub");
        }
    }

    public ObjectNode host(Host h, HostStatus status, WatchHub hub) {
        ObjectNode o = withMeta(h.id(), ctl.json().host(h));
        World w = ctl.world();
        o.put("vnics", w.vnicsOnHost(h.id()).size());
        awaitHub(hub, w.revision());
        o.put("desiredRevision", hub.desiredRevision(h.id()));
        if (status == null) {
            o.put("agent", "never seen").putNull("appliedRevision").putNull("lastHeartbeat").putNull("lastError");
        } else {
            boolean fresh = java.time.Duration.between(java.time.Instant.parse(status.lastHeartbeat()), java.time.Instant.now()).toSeconds() < 90;
            o.put("agent", !fresh ? "stale" : status.lastError() != null ? "error"
                    : status.appliedRevision() >= hub.desiredRevision(h.id()) ? "in-sync" : "applying");
            o.put("appliedRevision", status.appliedRevision()).put("lastHeartbeat", status.lastHeartbeat()).put("lastError", status.lastError());
        }
        return o;
    }

    public ObjectNode instance(Instance i) {
        ObjectNode o = withMeta(i.id(), ctl.json().instance(i));
        ArrayNode vnics = o.putArray("vnics");
        ctl.world().vnics().values().stream().filter(v -> i.id().equals(v.instanceId())).forEach(v -> vnics.add(vnic(v)));
        return o;
    }

    public ObjectNode vnic(Vnic v) {
        return withMeta(v.id(), ctl.json().vnic(v));
    }
}
