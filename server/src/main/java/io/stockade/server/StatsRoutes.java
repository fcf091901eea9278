package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stockade.compiler.Counters;
import io.stockade.core.model.Host;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Per-vnic observations of the agents: {@code PUT /v1/hosts/{id}/stats} (an agent's counters and
 * drop lines), {@code GET /v1/vnics/{id}/stats} and {@code GET /v1/vnics/{id}/drops} (long-poll
 * with {@code since} and {@code wait}, so a client can follow).
 */
final class StatsRoutes {
    /** How Routes lists and installs an endpoint. */
    interface Registrar {
        void route(HandlerType method, String path, String summary, io.javalin.http.Handler h);
    }

    static final int RING = 1000;
    private static final Set<String> DIRECTIONS = Set.of("egress", "ingress");
    private static final Set<String> REASONS = Arrays.stream(Counters.Reason.values()).map(Counters.Reason::wire).collect(Collectors.toUnmodifiableSet());
    static final Set<String> STATS_FIELDS = Set.of("counters", "unknownPort", "drops", "dropsLost");
    static final Set<String> COUNT_FIELDS = Set.of("packets", "bytes");
    static final Set<String> ROW_FIELDS = Set.of("vnic", "direction", "verdict", "reason", "packets", "bytes");

    private final Controller ctl;
    private final ObjectMapper mapper;
    private final VnicObservations observed = new VnicObservations(RING);

    StatsRoutes(Controller ctl) {
        this.ctl = ctl;
        this.mapper = ctl.mapper();
    }

    void register(Registrar r) {
        r.route(HandlerType.PUT, "/v1/hosts/{id}/stats", "An agent reports its vnics' counters and recent drop lines", this::report);
        r.route(HandlerType.GET, "/v1/hosts/{id}/stats", "Frames a host dropped from unknown bridge ports, and drop lines its agent lost", this::hostStats);
        r.route(HandlerType.GET, "/v1/vnics/{id}/stats", "Accepted and dropped packets and bytes of a vnic, by direction and reason", this::stats);
        r.route(HandlerType.GET, "/v1/vnics/{id}/drops", "A vnic's last logged drops (limit, since=SEQ, wait=SECONDS to follow)", this::drops);
    }

    private void report(Context ctx) {
        Caller c = Routes.caller(ctx);
        World w = ctl.world();
        Host h = Resolve.host(w, ctx.pathParam("id"));
        if (!c.admin() && !c.isHost(h.name())) {
            throw ApiException.forbidden("only the host's own token may report its stats");
        }
        Body b = Body.parse(mapper, ctx.body(), STATS_FIELDS);
        String at = Instant.now().toString();
        Map<String, List<VnicObservations.Row>> rows = new HashMap<>();
        List<JsonNode> given = b.has("counters") ? b.objects("counters") : List.of();
        for (int i = 0; i < given.size(); i++) {
            Body row = Body.of(given.get(i), "counters[" + i + "].", ROW_FIELDS);
            String vnic = row.string("vnic", true);
            String prefix = "counters[" + i + "].";
            String dir = oneOf(row, prefix, "direction", DIRECTIONS);
            String verdict = oneOf(row, prefix, "verdict", Set.of("accept", "drop"));
            String reason = verdict.equals("drop") ? oneOf(row, prefix, "reason", REASONS) : "";
            rows.computeIfAbsent(vnic, k -> new ArrayList<>()).add(new VnicObservations.Row(dir, verdict, reason,
                    count(row, prefix, "packets"), count(row, prefix, "bytes")));
        }
        Map<String, List<ObjectNode>> drops = new HashMap<>();
        List<JsonNode> lines = b.has("drops") ? b.objects("drops") : List.of();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isObject()) {
                throw ApiException.badRequest("drops[" + i + "]", "must be an object (a drop line)");
            }
            JsonNode vnic = lines.get(i).get("vnic");
            if (vnic == null || !vnic.isTextual()) {
                throw ApiException.badRequest("drops[" + i + "].vnic", "is required: the vnic id");
            }
            drops.computeIfAbsent(vnic.asText(), k -> new ArrayList<>()).add((ObjectNode) lines.get(i));
        }
        Body unknown = b.has("unknownPort") ? Body.of(b.node().get("unknownPort"), "unknownPort.", COUNT_FIELDS) : null;
        VnicObservations.HostCounters hostCounters = new VnicObservations.HostCounters(at,
                unknown == null ? 0 : count(unknown, "unknownPort.", "packets"), unknown == null ? 0 : count(unknown, "unknownPort.", "bytes"),
                b.has("dropsLost") ? count(b, "", "dropsLost") : 0);
        // Everything is checked: now keep it. Vnics that moved away or are gone by now are skipped: the agent's view may lag by a revision.
        rows.forEach((vnic, r) -> {
            if (onHost(w, vnic, h)) {
                observed.putCounters(vnic, new VnicObservations.Counters(h.id(), at, r));
            }
        });
        drops.forEach((vnic, d) -> {
            if (onHost(w, vnic, h)) {
                d.forEach(x -> x.put("host", h.id()));
                observed.addDrops(vnic, d);
            }
        });
        observed.putHost(h.id(), hostCounters);
        observed.retain(w.vnics().keySet(), w.hosts().keySet());
        ctx.status(204);
    }

    private void hostStats(Context ctx) {
        Caller c = Routes.caller(ctx);
        Host h = Resolve.host(ctl.world(), ctx.pathParam("id"));
        if (!c.admin() && c.role() != Caller.Role.AUDITOR && !c.isHost(h.name())) {
            throw ApiException.forbidden("only an admin, an auditor or the host's own token may read a host's stats");
        }
        json(ctx, hostStats(mapper, h.id(), observed.host(h.id())));
    }

    /** A host's counters: none yet (null) is zeros and no time. */
    static ObjectNode hostStats(ObjectMapper mapper, String hostId, VnicObservations.HostCounters hc) {
        ObjectNode o = mapper.createObjectNode().put("host", hostId);
        if (hc == null) {
            o.putNull("updatedAt");
        } else {
            o.put("updatedAt", hc.at());
        }
        o.putObject("unknownPort").put("packets", hc == null ? 0 : hc.unknownPackets()).put("bytes", hc == null ? 0 : hc.unknownBytes());
        return o.put("dropsLost", hc == null ? 0 : hc.dropsLost());
    }

    private void stats(Context ctx) {
        World w = ctl.world();
        Vnic v = Resolve.vnic(w, Routes.caller(ctx), ctx.pathParam("id"));
        json(ctx, vnicStats(mapper, v.id(), v.hostId(), logsDrops(w, v), observed.counters(v.id())));
    }

    /** A vnic's counters by direction, accepted and dropped by each reason: none yet (null) is zeros and no time. */
    static ObjectNode vnicStats(ObjectMapper mapper, String vnicId, String hostId, boolean logDrops, VnicObservations.Counters c) {
        ObjectNode o = mapper.createObjectNode().put("vnic", vnicId).put("host", hostId).put("logDrops", logDrops);
        if (c == null) {
            o.putNull("updatedAt");
        } else {
            o.put("updatedAt", c.at());
        }
        for (String dir : List.of("egress", "ingress")) {
            ObjectNode d = o.putObject(dir);
            ObjectNode accepted = d.putObject("accepted").put("packets", 0).put("bytes", 0);
            ObjectNode dropped = d.putObject("dropped");
            for (Counters.Reason reason : Counters.reasons(dir)) {
                dropped.putObject(reason.wire()).put("packets", 0).put("bytes", 0);
            }
            if (c != null) {
                for (VnicObservations.Row r : c.rows()) {
                    if (r.direction().equals(dir)) {
                        (r.verdict().equals("accept") ? accepted : dropped.putObject(r.reason())).put("packets", r.packets()).put("bytes", r.bytes());
                    }
                }
            }
        }
        return o;
    }

    private void drops(Context ctx) throws InterruptedException {
        World w = ctl.world();
        Vnic v = Resolve.vnic(w, Routes.caller(ctx), ctx.pathParam("id"));
        int limit = QueryParams.integer(ctx, "limit", 100, 1, RING);
        long since = QueryParams.integer(ctx, "since", 0, 0, Integer.MAX_VALUE);
        int wait = QueryParams.integer(ctx, "wait", 0, 0, 60);
        List<VnicObservations.Line> lines = observed.drops(v.id(), since, limit, Duration.ofSeconds(wait));
        json(ctx, drops(mapper, v.id(), logsDrops(w, v), since, lines));
    }

    /** A vnic's drop lines after {@code since}, each with its sequence number and host, and the sequence number to follow from. */
    static ObjectNode drops(ObjectMapper mapper, String vnicId, boolean logDrops, long since, List<VnicObservations.Line> lines) {
        ArrayNode items = mapper.createArrayNode();
        lines.forEach(l -> items.add(l.drop().deepCopy().put("seq", l.seq())));
        long next = lines.isEmpty() ? Math.max(since, 0) : lines.get(lines.size() - 1).seq();
        ObjectNode o = mapper.createObjectNode().put("vnic", vnicId).put("logDrops", logDrops).put("next", next);
        o.set("items", items);
        return o;
    }

    private static boolean logsDrops(World w, Vnic v) {
        return v.logDrops() || w.groupsOf(v).stream().anyMatch(SecurityGroup::logDrops);
    }

    private static boolean onHost(World w, String vnicId, Host h) {
        Vnic v = w.vnics().get(vnicId);
        return v != null && h.id().equals(v.hostId());
    }

    private static String oneOf(Body b, String prefix, String field, Set<String> allowed) {
        String s = b.string(field, true);
        if (!allowed.contains(s)) {
            throw ApiException.badRequest(prefix + field, "must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + s + "'");
        }
        return s;
    }

    private static long count(Body b, String prefix, String field) {
        JsonNode n = b.node().get(field);
        if (n == null || !n.canConvertToLong() || n.asLong() < 0) {
            throw ApiException.badRequest(prefix + field, "must be a count (an integer, 0 or more), got " + n);
        }
        return n.asLong();
    }

    private void json(Context ctx, JsonNode node) {
        try {
            ctx.contentType("application/json").result(mapper.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
