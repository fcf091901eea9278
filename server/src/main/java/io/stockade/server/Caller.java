package io.stockade.server;

/** Who makes a request: an admin, a member of one project, or a host's agent. */
public record Caller(String tokenId, Role role, String projectId, String hostName) {
    /** The request attribute under which the HTTP layers keep the authenticated caller. */
    public static final String ATTRIBUTE = "stockade.caller";

    public enum Role { ADMIN, MEMBER, HOST }

    public boolean admin() {
        return role == Role.ADMIN;
    }

    public String actor() {
        return role.name().toLowerCase() + ":" + tokenId;
    }

    /** Whether the caller may see objects of this project (global objects are seen by all). */
    public boolean sees(String objectProject, boolean global) {
        return admin() || global || (projectId != null && projectId.equals(objectProject));
    }

    public void requireAdmin() {
        if (!admin()) {
            throw ApiException.forbidden("only an admin may do this");
        }
    }
}
