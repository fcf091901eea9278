package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import io.stockade.server.TagOps;
import io.stockade.server.command.TagCommand.AddTag;
import io.stockade.server.command.TagCommand.RemoveTag;
import io.stockade.server.command.TagCommand.SetTags;
import io.stockade.server.command.TagCommand.Tagged;
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

    /** A tagged object's Stockade id, found by its Neutron token in Neutron's words when it is not there. */
    private interface Find {
        String find(Caller c, String token);
    }

    private final Controller ctl;
    private final ObjectMapper mapper;
    private final NeutronLookup lookup;
    private final TagOps ops;

    NeutronTags(Controller ctl, NeutronLookup lookup) {
        this.ctl = ctl;
        this.mapper = ctl.mapper();
        this.lookup = lookup;
        this.ops = new TagOps(ctl);
    }

    void install(Table table) {
        install(table, "security-groups", "SecurityGroup", Tagged.GROUP, (c, t) -> lookup.group(c, t).id());
        install(table, "address-groups", "AddressGroup", Tagged.IP_SET, (c, t) -> lookup.addressGroup(c, t).id());
        install(table, "ports", "Port", Tagged.VNIC, (c, t) -> lookup.port(c, t).id());
    }

    /** The routes of one collection; a write reads its body (or tag) first, then finds the object, then runs its command. */
    private void install(Table table, String collection, String resource, Tagged kind, Find find) {
        String path = "/v2.0/" + collection + "/{id}/tags";
        table.route(HandlerType.GET, path, "Neutron: the tags of one of the " + collection, resource,
                ctx -> tags(ctx, ctl.tags(find.find(caller(ctx), ctx.pathParam("id")))));
        table.route(HandlerType.PUT, path, "Neutron: replace the tags of one of the " + collection, resource, ctx -> {
            List<String> given = given(ctx);
            tags(ctx, ops.apply(caller(ctx), new SetTags(kind, find.find(caller(ctx), ctx.pathParam("id")), given)));
        });
        table.route(HandlerType.DELETE, path, "Neutron: remove every tag of one of the " + collection, resource, ctx -> {
            ops.apply(caller(ctx), new SetTags(kind, find.find(caller(ctx), ctx.pathParam("id")), List.of()));
            ctx.status(204);
        });
        table.route(HandlerType.GET, path + "/{tag}", "Neutron: whether one of the " + collection + " has a tag (204 or 404)", resource, ctx -> {
            requireTag(find.find(caller(ctx), ctx.pathParam("id")), ctx.pathParam("tag"));
            ctx.status(204);
        });
        table.route(HandlerType.PUT, path + "/{tag}", "Neutron: add one tag to one of the " + collection, resource, ctx -> {
            String tag = check(ctx.pathParam("tag"));
            ops.apply(caller(ctx), new AddTag(kind, find.find(caller(ctx), ctx.pathParam("id")), tag));
            ctx.status(201);
        });
        table.route(HandlerType.DELETE, path + "/{tag}", "Neutron: remove one tag from one of the " + collection, resource, ctx -> {
            ops.apply(caller(ctx), new RemoveTag(kind, find.find(caller(ctx), ctx.pathParam("id")), ctx.pathParam("tag")));
            ctx.status(204);
        });
    }

    private void requireTag(String id, String tag) {
        if (!ctl.tags(id).contains(tag)) {
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
