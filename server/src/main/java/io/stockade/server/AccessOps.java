package io.stockade.server;

import io.stockade.server.command.AdminCommand.CreateToken;
import io.stockade.server.command.AdminCommand.ReportStatus;
import io.stockade.server.command.AdminCommand.RevokeToken;
import io.stockade.server.command.AdminCommand.SetQuotas;
import io.stockade.server.command.Refusal;
import io.stockade.store.HostStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The writes beside the world: tokens, quotas and hosts' status reports, kept in the store and not
 * revisioned. Each is a command of the caller checked here, once, against the current world (which
 * names the projects and hosts they concern), then written.
 */
public final class AccessOps {
    private final Controller ctl;
    private final Auth auth;

    public AccessOps(Controller ctl, Auth auth) {
        this.ctl = ctl;
        this.auth = auth;
    }

    /** A token made as asked; its secret is in the answer only. */
    public record Created(String secret, CreateToken token, String projectId) {}

    /** Only an admin makes tokens; a member's is for a project the admin names. */
    public Created create(Caller c, CreateToken command) {
        c.requireAdmin();
        String project = command.role() == Caller.Role.MEMBER ? Resolve.project(ctl.world(), c, command.project()).id() : null;
        String role = command.role().name().toLowerCase(java.util.Locale.ROOT);
        return new Created(auth.create(role, project, command.host(), command.description()), command, project);
    }

    public void revoke(Caller c, RevokeToken command) {
        c.requireAdmin();
        if (!auth.delete(command.token())) {
            throw Refusal.NotFound.of("token", command.token());
        }
    }

    /** Only an admin changes quotas, of a project it names; returns the project's id. */
    public String set(Caller c, SetQuotas command) {
        c.requireAdmin();
        String project = Resolve.project(ctl.world(), c, command.project()).id();
        Map<String, Long> limits = new HashMap<>();
        command.limits().forEach((r, limit) -> limits.put(r.field, limit.isPresent() ? limit.getAsLong() : null));
        ctl.store().setQuotas(project, limits);
        return project;
    }

    /** Only an admin or the host's own token reports a host's status. */
    public void report(Caller c, ReportStatus command) {
        var h = Resolve.host(ctl.world(), command.host());
        if (!c.admin() && !c.isHost(h.name())) {
            throw new Refusal.Forbidden(null, "only the host's own token may report its status");
        }
        ctl.hostStatuses().report(new HostStatus(h.id(), command.appliedRevision(), Instant.now().toString(), command.error()));
    }
}
