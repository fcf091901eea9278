package io.stockade.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stockade.core.model.Project;

/** {@code /v1/projects/{id}/quota}: a project's limits, defaults and use; an admin changes them. */
final class QuotaRoutes {
    private final Controller ctl;
    private final Quotas quotas;
    private final AccessOps access;

    QuotaRoutes(Controller ctl, AccessOps access) {
        this.ctl = ctl;
        this.quotas = new Quotas(ctl);
        this.access = access;
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
        String project = access.set(Routes.caller(ctx), AdminRequests.quotas(ctx.pathParam("id"), Body.parse(ctl.mapper(), ctx.body(), AdminRequests.QUOTA_FIELDS)));
        ctx.contentType("application/json").result(view(project).toString());
    }

    private ObjectNode view(String projectId) {
        return Answers.quota(ctl.mapper(), projectId, quotas.limits(projectId), quotas.defaults(), quotas.used(ctl.world(), projectId));
    }
}
