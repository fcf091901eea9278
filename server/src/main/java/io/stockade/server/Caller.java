package io.stockade.server;

/**
 * Who makes a request. Roles (the table of who may call what is {@link Authz}):
 * <ul>
 * <li>admin: everything;
 * <li>service: the orchestrator that places vnics (sets host, device, port security and
 *     addresses outside a network's subnets) in any project; it sees every project;
 * <li>auditor: reads everything, writes nothing;
 * <li>member: its own project's objects (and global groups and ip sets);
 * <li>host: a host's agent, for its own host only.
 * </ul>
 */
public record Caller(String tokenId, Role role, String projectId, String hostName) {
    /** The request attribute under which the HTTP layers keep the authenticated caller. */
    public static final String ATTRIBUTE = "stockade.caller";

    public enum Role { ADMIN, SERVICE, AUDITOR, MEMBER, HOST }

    public boolean admin() {
        return role == Role.ADMIN;
    }

    /** Whether the caller may set placement fields: a vnic's host, device, port security, addresses outside its subnets. */
    public boolean places() {
        return role == Role.ADMIN || role == Role.SERVICE;
    }

    /** Whether the caller may see hosts, the operator's infrastructure (and so where a vnic runs): admin, service, auditor. */
    public boolean seesHosts() {
        return role == Role.ADMIN || role == Role.SERVICE || role == Role.AUDITOR;
    }

    public String actor() {
        return role.name().toLowerCase() + ":" + tokenId;
    }

    /** Whether the caller may see objects of this project (global objects are seen by all). */
    public boolean sees(String objectProject, boolean global) {
        return role == Role.ADMIN || role == Role.SERVICE || role == Role.AUDITOR || global
                || (role == Role.MEMBER && projectId != null && projectId.equals(objectProject));
    }

    /** Whether the caller is this host's own agent. */
    public boolean isHost(String name) {
        return role == Role.HOST && name.equals(hostName);
    }

    public void requireAdmin() {
        if (!admin()) {
            throw new io.stockade.server.command.Refusal.Forbidden(null, "only an admin may do this");
        }
    }
}
