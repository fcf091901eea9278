package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.server.ApiException;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import java.util.ArrayList;
import java.util.List;

/**
 * Neutron's tag extension on security groups, address groups and ports: the whole list
 * ({@code GET/PUT/DELETE …/{id}/tags}) or one tag ({@code GET/PUT/DELETE …/{id}/tags/{tag}}).
 * Each change is one revision of the store, like every other.
 */
final class NeutronTags {
    /** Neutron's longest tag. */
    static final int MAX_LENGTH = 60;

    /** Adds one endpoint to the facade's table. */
    interface Table {
        void route(HandlerType method, String path, String summary, String resource, Handler h);
    }

    /** A tagged object: its Stockade id and project. */
    private record Tagged(String id, String projectId) {}

    private interface Find {
        Tagged find(Caller c, String token);
    }

    private final Controller ctl;
    private final ObjectMapper mapper;
    private final NeutronLookup lookup;

    NeutronTags(Controller ctl, NeutronLookup lookup) {
        this.ctl = ctl;
        this.mapper = ctl.mapper();
        this.lookup = lookup;
    }

    void install(Table table) {
        install(table, "security-groups", "SecurityGroup", (c, t) -> {
            SecurityGroup g = lookup.group(c, t);
            return new Tagged(g.id(), g.projectId());
        });
        install(table, "address-groups", "AddressGroup", (c, t) -> {
            IpSet s = lookup.addressGroup(c, t);
            return new Tagged(s.id(), s.projectId());
        });
        install(table, "ports", "Port", (c, t) -> {
            Vnic v = lookup.port(c, t);
            return new Tagged(v.id(), v.projectId());
        });
    }

    private void install(Table table, String collection, String resource, Find find) {
        String path = "/v2.0/" + collection + "/{id}/tags";
        table.route(HandlerType.GET, path, "Neutron: the tags of one of the " + collection, resource,
                ctx -> tags(ctx, ctl.tags(find.find(caller(ctx), ctx.pathParam("id")).id())));
        table.route(HandlerType.PUT, path, "Neutron: replace the tags of one of the " + collection, resource, ctx -> {
            Tagged t = find.find(caller(ctx), ctx.pathParam("id"));
            tags(ctx, set(ctx, t, given(ctx)));
        });
        table.route(HandlerType.DELETE, path, "Neutron: remove every tag of one of the " + collection, resource, ctx -> {
            set(ctx, find.find(caller(ctx), ctx.pathParam("id")), List.of());
            ctx.status(204);
        });
        table.route(HandlerType.GET, path + "/{tag}", "Neutron: whether one of the " + collection + " has a tag (204 or 404)", resource, ctx -> {
            Tagged t = find.find(caller(ctx), ctx.pathParam("id"));
            requireTag(t, ctx.pathParam("tag"));
            ctx.status(204);
        });
        table.route(HandlerType.PUT, path + "/{tag}", "Neutron: add one tag to one of the " + collection, resource, ctx -> {
            Tagged t = find.find(caller(ctx), ctx.pathParam("id"));
            List<String> next = new ArrayList<>(ctl.tags(t.id()));
            next.add(check(ctx.pathParam("tag")));
            set(ctx, t, next);
            ctx.status(201);
        });
        table.route(HandlerType.DELETE, path + "/{tag}", "Neutron: remove one tag from one of the " + collection, resource, ctx -> {
            Tagged t = find.find(caller(ctx), ctx.pathParam("id"));
            requireTag(t, ctx.pathParam("tag"));
            set(ctx, t, ctl.tags(t.id()).stream().filter(x -> !x.equals(ctx.pathParam("tag"))).toList());
            ctx.status(204);
        });
    }

    private List<String> set(Context ctx, Tagged t, List<String> tags) {
        Caller c = caller(ctx);
        if (!c.admin() && !t.projectId().equals(c.projectId())) {
            throw new ApiException(403, "PolicyNotAuthorized", null, "only an admin may tag objects of other projects or global ones");
        }
        return ctl.setTags(c, t.id(), t.projectId(), tags);
    }

    private void requireTag(Tagged t, String tag) {
        if (!ctl.tags(t.id()).contains(tag)) {
            throw NeutronErrors.notFound("TagNotFound", "Tag " + tag + " could not be found.");
        }
    }

    private List<String> given(Context ctx) {
        JsonNode n = NeutronBody.json(mapper, ctx.body());
        if (!n.isObject() || !n.path("tags").isArray()) {
            throw NeutronErrors.invalid("tags", "a body {\"tags\": [...]} is needed");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : n.get("tags")) {
            if (!t.isTextual()) {
                throw NeutronErrors.invalid("tags", "'" + t + "' is not a valid string");
            }
            out.add(check(t.asText()));
        }
        return out;
    }

    private static String check(String tag) {
        if (tag.isBlank() || tag.length() > MAX_LENGTH) {
            throw NeutronErrors.invalid("tags", "'" + tag + "' must be 1.." + MAX_LENGTH + " characters");
        }
        return tag;
    }

    private void tags(Context ctx, List<String> tags) {
        ObjectNode o = mapper.createObjectNode();
        tags.forEach(o.putArray("tags")::add);
        NeutronHttp.send(ctx, 200, o);
    }

    private static Caller caller(Context ctx) {
        return NeutronHttp.caller(ctx);
    }
}
