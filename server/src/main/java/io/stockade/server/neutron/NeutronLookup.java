package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Ids;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Project;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.server.ApiException;
import io.stockade.server.Caller;
import io.stockade.server.Controller;

/**
 * The objects a Neutron request names (by UUID, or by Stockade id), among those the caller may
 * see, with Neutron's "not found" for the rest; and the project a new object belongs to.
 */
final class NeutronLookup {
    private final Controller ctl;
    private final NeutronIds ids;

    NeutronLookup(Controller ctl, NeutronIds ids) {
        this.ctl = ctl;
        this.ids = ids;
    }

    SecurityGroup group(Caller c, String token) {
        SecurityGroup g = ctl.world().groups().get(ids.id(Ids.GROUP, token));
        if (g == null || !c.sees(g.projectId(), g.global())) {
            throw NeutronErrors.notFound("SecurityGroupNotFound", "Security group " + token + " does not exist");
        }
        return g;
    }

    /** A rule and its group, as one snapshot of the world had them. */
    record GroupRule(SecurityGroup group, Rule rule) {}

    GroupRule rule(Caller c, String token) {
        NeutronIds.RuleRef ref = ids.rule(token);
        SecurityGroup g = ref == null ? null : ctl.world().groups().get(ref.groupId());
        Rule r = g == null ? null : g.rules().stream().filter(x -> x.id().equals(ref.ruleId())).findFirst().orElse(null);
        if (r == null || !c.sees(g.projectId(), g.global())) {
            throw NeutronErrors.notFound("SecurityGroupRuleNotFound", "Security group rule " + token + " does not exist");
        }
        return new GroupRule(g, r);
    }

    IpSet addressGroup(Caller c, String token) {
        IpSet s = ctl.world().ipSets().get(ids.id(Ids.IP_SET, token));
        if (s == null || !c.sees(s.projectId(), s.global())) {
            throw NeutronErrors.notFound("AddressGroupNotFound", "Address group " + token + " could not be found.");
        }
        return s;
    }

    Vnic port(Caller c, String token) {
        String id = ids.id(Ids.VNIC, token);
        Vnic v = id == null ? null : ctl.world().vnics().get(id);
        if (v == null || !c.sees(v.projectId(), false)) {
            throw NeutronErrors.notFound("PortNotFound", "Port " + token + " could not be found.");
        }
        return v;
    }

    /**
     * Runs a change of an object only when the request's {@code If-Match: revision_number=N}
     * (if any) names its current revision, else 412; checked under the lock of the write.
     */
    <T> T ifMatch(io.javalin.http.Context ctx, String id, java.util.function.Supplier<T> change) {
        String header = ctx.header("If-Match");
        if (header == null) {
            return change.get();
        }
        long expected;
        try {
            expected = Long.parseLong(header.strip().replaceFirst("^revision_number=", ""));
        } catch (NumberFormatException e) {
            throw NeutronErrors.badRequest("If-Match must be revision_number=N, not '" + header + "'");
        }
        return ctl.provided(() -> {
            Controller.Meta m = NeutronViews.meta(ctl, id);
            long current = m == null ? 0 : m.revision();
            if (current != expected) {
                throw new ApiException(412, "HTTPPreconditionFailed", null, "Constrained to " + expected + ", but current revision is " + current);
            }
        }, change);
    }

    /** {@link #ifMatch} for a change without a result. */
    void ifMatch(io.javalin.http.Context ctx, String id, Runnable change) {
        ifMatch(ctx, id, () -> {
            change.run();
            return null;
        });
    }

    /**
     * The project a new object belongs to: the one given (a member may only name its own), else
     * the caller's. An admin token has no project of its own: its default is the project named
     * {@code admin}, when there is one.
     */
    String owner(Caller c, ObjectNode r) {
        String project = r.hasNonNull("project_id") ? NeutronRules.text(r, "project_id") : null;
        String tenant = r.hasNonNull("tenant_id") ? NeutronRules.text(r, "tenant_id") : null;
        if (project != null && tenant != null && !project.equals(tenant)) {
            throw NeutronErrors.invalid("tenant_id", "project_id and tenant_id must be the same");
        }
        String given = project != null ? project : tenant;
        if (given == null) {
            if (c.projectId() != null) {
                return c.projectId();
            }
            return ctl.world().projects().values().stream().filter(p -> p.name().equals("admin")).map(Project::id).findFirst()
                    .orElseThrow(() -> NeutronErrors.invalid("project_id", "is required with an admin token (it has no project of its own; "
                            + "give project_id, openstack --project P, or create a project named 'admin' to be the default)"));
        }
        if (!c.admin() && !given.equals(c.projectId())) {
            throw new ApiException(403, "PolicyNotAuthorized", null,
                    "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin privileges");
        }
        return given;
    }
}
