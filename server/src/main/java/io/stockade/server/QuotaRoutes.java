package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stockade.core.model.Project;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code /v1/projects/{id}/quota}: a project's limits, defaults and use; an admin changes them. */
final class QuotaRoutes {
    static final Set<String> FIELDS = Arrays.stream(Quotas.Resource.values()).map(r -> r.field).collect(Collectors.toUnmodifiableSet());

    private final Controller ctl;
    private final Quotas quotas;

    QuotaRoutes(Controller ctl) {
        this.ctl = ctl;
        this.quotas = new Quotas(ctl);
    }

    void register(StatsRoutes.Registrar r) {
        r.route(HandlerType.GET, "/v1/projects/{id}/quota", "A project's quotas: limit, default and use of each resource", this::show);
        r.route(HandlerType.PUT, "/v1/projects/{id}/quota", "Change a project's quotas (admin; a number, or null for the default)", this::change);
    }

    private void show(Context ctx) {
        Project p = Resolve.project(ctl.world(), Routes.caller(ctx), ctx.pathParam("id"));
        ctx.contentType("application/json").result(view(p.id()).toString());
    }

    private void change(Context ctx) {
        Routes.caller(ctx).requireAdmin();
        Project p = Resolve.project(ctl.world(), Routes.caller(ctx), ctx.pathParam("id"));
        Body b = Body.parse(ctl.mapper(), ctx.body(), FIELDS);
        Map<String, Long> changes = new HashMap<>();
        for (String f : FIELDS) {
            JsonNode v = b.node().get(f);
            if (v == null) {
                continue;
            }
            if (!v.isNull() && (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0)) {
                throw ApiException.invalid(f, "must be a whole number of at least 0, or null for the default; got " + v);
            }
            changes.put(f, v.isNull() ? null : v.asLong());
        }
        ctl.store().setQuotas(p.id(), changes);
        ctx.contentType("application/json").result(view(p.id()).toString());
    }

    private ObjectNode view(String projectId) {
        return Answers.quota(ctl.mapper(), projectId, quotas.limits(projectId), quotas.defaults(), quotas.used(ctl.world(), projectId));
    }
}
