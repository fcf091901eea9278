package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stockade.core.model.Project;
import io.stockade.server.AccessOps;
import io.stockade.server.ApiException;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import io.stockade.server.Quotas;
import io.stockade.server.Resolve;
import io.stockade.server.command.AdminCommand;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.OptionalLong;
import java.util.Map;

/**
 * Neutron's quota API over Stockade's quotas ({@code openstack quota show --network}):
 * {@code security_group}, {@code security_group_rule} (Stockade's limit is per group, not per
 * project), {@code address_group} and {@code port}. The same numbers as {@code /v1/projects/{id}/quota}.
 */
final class NeutronQuotas {
    private final Controller ctl;
    private final Quotas quotas;

    private final AccessOps access;

    NeutronQuotas(Controller ctl, AccessOps access) {
        this.ctl = ctl;
        this.quotas = new Quotas(ctl);
        this.access = access;
    }

    void install(NeutronTags.Table table) {
        table.route(HandlerType.GET, "/v2.0/quotas", "Neutron: projects with quotas other than the defaults", "Quota", this::list);
        table.route(HandlerType.GET, "/v2.0/quotas/{project_id}", "Neutron: a project's quotas", "Quota",
                ctx -> send(ctx, 200, wrap(limits(project(ctx)))));
        table.route(HandlerType.GET, "/v2.0/quotas/{project_id}/details", "Neutron: a project's quotas with their use", "Quota", this::details);
        table.route(HandlerType.GET, "/v2.0/quotas/{project_id}/default", "Neutron: the default quotas", "Quota",
                ctx -> send(ctx, 200, wrap(view(quotas.defaults(), project(ctx)))));
        table.route(HandlerType.PUT, "/v2.0/quotas/{project_id}", "Neutron: change a project's quotas (admin)", "Quota", this::update);
        table.route(HandlerType.DELETE, "/v2.0/quotas/{project_id}", "Neutron: reset a project's quotas to the defaults (admin)", "Quota", ctx -> {
            Map<Quotas.Resource, OptionalLong> defaults = new EnumMap<>(Quotas.Resource.class);
            for (Quotas.Resource r : Quotas.Resource.values()) {
                defaults.put(r, OptionalLong.empty());
            }
            access.set(caller(ctx), new AdminCommand.SetQuotas(ctx.pathParam("project_id"), defaults));
            ctx.status(204);
        });
        // openstack quota show asks Nova and Cinder (this path, at the one endpoint it is given) before
        // Neutron and fails on a 404: their quota set here is empty, since Stockade limits neither.
        table.route(HandlerType.GET, "/os-quota-sets/{project_id}", "Compute and volume quotas (none: for openstack quota show)", "Quota", ctx -> {
            ObjectNode o = ctl.mapper().createObjectNode();
            o.putObject("quota_set").put("id", project(ctx));
            send(ctx, 200, o);
        });
    }

    private static Caller caller(Context ctx) {
        return ctx.attribute(Caller.ATTRIBUTE);
    }

    private String project(Context ctx) {
        Project p = Resolve.project(ctl.world(), caller(ctx), ctx.pathParam("project_id"));
        return p.id();
    }

    private ObjectNode limits(String project) {
        return view(quotas.limits(project), project);
    }

    private ObjectNode view(Map<Quotas.Resource, Long> values, String project) {
        ObjectNode o = ctl.mapper().createObjectNode();
        for (Quotas.Resource r : Quotas.Resource.values()) {
            if (r.neutron != null) {
                o.put(r.neutron, values.get(r));
            }
        }
        return o.put("project_id", project);
    }

    private ObjectNode wrap(ObjectNode quota) {
        ObjectNode o = ctl.mapper().createObjectNode();
        o.set("quota", quota);
        return o;
    }

    private void list(Context ctx) {
        ArrayNode items = ctl.mapper().createArrayNode();
        for (String p : ctl.store().projectsWithQuotas()) {
            if (ctl.world().projects().containsKey(p) && caller(ctx).sees(p, false)) {
                items.add(limits(p));
            }
        }
        ObjectNode o = ctl.mapper().createObjectNode();
        o.set("quotas", items);
        send(ctx, 200, o);
    }

    private void details(Context ctx) {
        String p = project(ctx);
        Map<Quotas.Resource, Long> limits = quotas.limits(p);
        Map<Quotas.Resource, Long> used = quotas.used(ctl.world(), p);
        ObjectNode q = ctl.mapper().createObjectNode();
        for (Quotas.Resource r : Quotas.Resource.values()) {
            if (r.neutron != null) {
                q.putObject(r.neutron).put("limit", limits.get(r)).put("used", used.get(r)).put("reserved", 0);
            }
        }
        send(ctx, 200, wrap(q));
    }

    private void update(Context ctx) {
        JsonNode body = NeutronBody.json(ctl.mapper(), ctx.body());
        JsonNode q = body.path("quota");
        if (!q.isObject()) {
            throw NeutronErrors.badRequest("Unable to find 'quota' in request body");
        }
        Map<Quotas.Resource, OptionalLong> changes = new EnumMap<>(Quotas.Resource.class);
        for (var it = q.fields(); it.hasNext(); ) {
            var f = it.next();
            Quotas.Resource r = null;
            for (Quotas.Resource x : Quotas.Resource.values()) {
                if (f.getKey().equals(x.neutron)) {
                    r = x;
                }
            }
            if (r == null) {
                throw NeutronErrors.invalid(f.getKey(), "Unrecognized attribute(s) '" + f.getKey() + "'");
            }
            JsonNode v = f.getValue();
            if (!v.isIntegralNumber() || v.asLong() < -1) {
                throw NeutronErrors.invalid(f.getKey(), "must be a whole number (-1 for unlimited)");
            }
            changes.put(r, OptionalLong.of(v.asLong() == -1 ? Long.MAX_VALUE : v.asLong()));
        }
        String p = access.set(caller(ctx), new AdminCommand.SetQuotas(ctx.pathParam("project_id"), changes));
        send(ctx, 200, wrap(limits(p)));
    }

    private void send(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
