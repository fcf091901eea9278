package io.stockade.server;

import static io.stockade.server.Caller.Role.ADMIN;
import static io.stockade.server.Caller.Role.AUDITOR;
import static io.stockade.server.Caller.Role.HOST;
import static io.stockade.server.Caller.Role.MEMBER;
import static io.stockade.server.Caller.Role.SERVICE;

import io.stockade.server.Caller.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which roles may call which route: one table (role × route), checked before every handler of
 * {@code /v1} and {@code /v2.0}. A route without a row is refused to everyone (and fails
 * {@code AuthorizationMatrixTest}). Whose objects a permitted caller reaches is decided after:
 * by {@link Caller#sees} (members: their project's and global objects; an invisible object is a
 * 404) and by the handlers' own-host checks (a host: its own host only). docs/operations.md shows
 * this table.
 */
public final class Authz {
    private Authz() {}

    /** No token needed. */
    static final Set<Role> PUBLIC = Set.of();
    private static final Set<Role> EVERYONE = EnumSet.allOf(Role.class);
    private static final Set<Role> READERS = EnumSet.of(ADMIN, SERVICE, AUDITOR, MEMBER);
    private static final Set<Role> TENANTS = EnumSet.of(ADMIN, MEMBER);
    private static final Set<Role> PLACERS = EnumSet.of(ADMIN, SERVICE, MEMBER);
    private static final Set<Role> ADMINS = EnumSet.of(ADMIN);
    private static final Set<Role> AGENTS = EnumSet.of(ADMIN, HOST);
    private static final Set<Role> HOST_READERS = EnumSet.of(ADMIN, AUDITOR, HOST);
    /**
     * Hosts are the operator's infrastructure (a host's view counts every project's vnics on it
     * and shows its agent's last error): a member sees none, as Neutron shows binding:host_id to
     * admins only; a host's token reads its own host through its watch, status and stats.
     */
    private static final Set<Role> OPERATORS = EnumSet.of(ADMIN, SERVICE, AUDITOR);

    /** "METHOD path" (the path as routed, with {parameters}) → the roles that may call it. */
    static final Map<String, Set<Role>> TABLE = withTags(Map.ofEntries(
            Map.entry("GET /healthz", PUBLIC),
            Map.entry("GET /metrics", PUBLIC),
            Map.entry("GET /openapi.json", PUBLIC),
            Map.entry("GET /v1/policy", EVERYONE),
            Map.entry("GET /v1/whoami", EVERYONE),
            Map.entry("GET /v1/events", READERS),
            Map.entry("POST /v1/rule-text/check", TENANTS),

            Map.entry("GET /v1/projects", READERS),
            Map.entry("POST /v1/projects", ADMINS),
            Map.entry("GET /v1/projects/{id}", READERS),
            Map.entry("PATCH /v1/projects/{id}", ADMINS),
            Map.entry("DELETE /v1/projects/{id}", ADMINS),
            Map.entry("GET /v1/projects/{id}/quota", READERS),
            Map.entry("PUT /v1/projects/{id}/quota", ADMINS),

            Map.entry("GET /v1/security-groups", READERS),
            Map.entry("POST /v1/security-groups", TENANTS),
            Map.entry("GET /v1/security-groups/{id}", READERS),
            Map.entry("PATCH /v1/security-groups/{id}", TENANTS),
            Map.entry("DELETE /v1/security-groups/{id}", TENANTS),
            Map.entry("GET /v1/security-groups/{id}/rules", READERS),
            Map.entry("POST /v1/security-groups/{id}/rules", TENANTS),
            Map.entry("PUT /v1/security-groups/{id}/rules", TENANTS),
            Map.entry("DELETE /v1/security-groups/{id}/rules/{rule}", TENANTS),

            Map.entry("GET /v1/ip-sets", READERS),
            Map.entry("POST /v1/ip-sets", TENANTS),
            Map.entry("GET /v1/ip-sets/{id}", READERS),
            Map.entry("PATCH /v1/ip-sets/{id}", TENANTS),
            Map.entry("DELETE /v1/ip-sets/{id}", TENANTS),
            Map.entry("POST /v1/ip-sets/{id}/entries", TENANTS),
            Map.entry("DELETE /v1/ip-sets/{id}/entries", TENANTS),

            Map.entry("GET /v1/networks", READERS),
            Map.entry("POST /v1/networks", ADMINS),
            Map.entry("GET /v1/networks/{id}", READERS),
            Map.entry("DELETE /v1/networks/{id}", ADMINS),

            Map.entry("GET /v1/hosts", OPERATORS),
            Map.entry("POST /v1/hosts", ADMINS),
            Map.entry("GET /v1/hosts/{id}", OPERATORS),
            Map.entry("DELETE /v1/hosts/{id}", ADMINS),
            Map.entry("PUT /v1/hosts/{id}/agent", AGENTS),
            Map.entry("PUT /v1/hosts/{id}/status", AGENTS),
            Map.entry("PUT /v1/hosts/{id}/stats", AGENTS),
            Map.entry("GET /v1/hosts/{id}/stats", HOST_READERS),
            Map.entry("GET /v1/hosts/{id}/ruleset", HOST_READERS),
            Map.entry("GET /v1/watch", AGENTS),

            Map.entry("GET /v1/instances", READERS),
            Map.entry("POST /v1/instances", PLACERS),
            Map.entry("GET /v1/instances/{id}", READERS),
            Map.entry("DELETE /v1/instances/{id}", PLACERS),
            Map.entry("PUT /v1/instances/{id}/security-groups", PLACERS),
            Map.entry("GET /v1/vnics", READERS),
            Map.entry("POST /v1/vnics", PLACERS),
            Map.entry("GET /v1/vnics/{id}", READERS),
            Map.entry("PATCH /v1/vnics/{id}", PLACERS),
            Map.entry("DELETE /v1/vnics/{id}", PLACERS),
            Map.entry("PUT /v1/vnics/{id}/security-groups", PLACERS),
            Map.entry("GET /v1/vnics/{id}/stats", READERS),
            Map.entry("GET /v1/vnics/{id}/drops", READERS),

            Map.entry("GET /v1/export", READERS),
            Map.entry("POST /v1/import", TENANTS),

            Map.entry("GET /v1/explain", READERS),
            Map.entry("GET /v1/audit", EnumSet.of(ADMIN, AUDITOR, MEMBER)),
            Map.entry("GET /v1/tokens", ADMINS),
            Map.entry("POST /v1/tokens", ADMINS),
            Map.entry("DELETE /v1/tokens/{id}", ADMINS),

            Map.entry("GET /v2.0/security-groups", READERS),
            Map.entry("POST /v2.0/security-groups", TENANTS),
            Map.entry("GET /v2.0/security-groups/{id}", READERS),
            Map.entry("PUT /v2.0/security-groups/{id}", TENANTS),
            Map.entry("DELETE /v2.0/security-groups/{id}", TENANTS),
            Map.entry("GET /v2.0/security-group-rules", READERS),
            Map.entry("POST /v2.0/security-group-rules", TENANTS),
            Map.entry("GET /v2.0/security-group-rules/{id}", READERS),
            Map.entry("DELETE /v2.0/security-group-rules/{id}", TENANTS),
            Map.entry("GET /v2.0/address-groups", READERS),
            Map.entry("POST /v2.0/address-groups", TENANTS),
            Map.entry("GET /v2.0/address-groups/{id}", READERS),
            Map.entry("PUT /v2.0/address-groups/{id}", TENANTS),
            Map.entry("DELETE /v2.0/address-groups/{id}", TENANTS),
            Map.entry("PUT /v2.0/address-groups/{id}/add_addresses", TENANTS),
            Map.entry("PUT /v2.0/address-groups/{id}/remove_addresses", TENANTS),
            Map.entry("GET /v2.0/networks", READERS),
            Map.entry("GET /v2.0/networks/{id}", READERS),
            Map.entry("GET /v2.0", READERS),
            Map.entry("GET /v2.0/extensions", READERS),
            Map.entry("GET /v2.0/extensions/{alias}", READERS),
            Map.entry("GET /projects", READERS),
            Map.entry("GET /projects/{id}", READERS),
            Map.entry("GET /v2.0/ports", READERS),
            Map.entry("POST /v2.0/ports", PLACERS),
            Map.entry("GET /v2.0/ports/{id}", READERS),
            Map.entry("PUT /v2.0/ports/{id}", PLACERS),
            Map.entry("DELETE /v2.0/ports/{id}", PLACERS),
            Map.entry("GET /v2.0/quotas", READERS),
            Map.entry("GET /v2.0/quotas/{project_id}", READERS),
            Map.entry("GET /v2.0/quotas/{project_id}/details", READERS),
            Map.entry("GET /v2.0/quotas/{project_id}/default", READERS),
            Map.entry("PUT /v2.0/quotas/{project_id}", ADMINS),
            Map.entry("DELETE /v2.0/quotas/{project_id}", ADMINS),
            Map.entry("GET /os-quota-sets/{project_id}", READERS)));

    /** Neutron's tag routes of each tagged collection: read like the object, written by admins and members (tags are the tenant's metadata). */
    private static Map<String, Set<Role>> withTags(Map<String, Set<Role>> table) {
        Map<String, Set<Role>> out = new java.util.HashMap<>(table);
        for (String collection : List.of("security-groups", "address-groups", "ports")) {
            String path = "/v2.0/" + collection + "/{id}/tags";
            for (String p : List.of(path, path + "/{tag}")) {
                out.put("GET " + p, READERS);
                out.put("PUT " + p, TENANTS);
                out.put("DELETE " + p, TENANTS);
            }
        }
        return Map.copyOf(out);
    }

    /** Refuses (403) a caller whose role has no right to the route; a route without a row is refused to all. */
    public static void require(Caller c, String method, String path) {
        Set<Role> roles = TABLE.get(method + " " + path);
        if (roles == null) {
            throw ApiException.forbidden("no role may call " + method + " " + path + " (it has no row in the authorization table)");
        }
        if (!roles.contains(c.role())) {
            throw ApiException.forbidden("a " + c.role().name().toLowerCase() + " token may not call " + method + " " + path + " (allowed: "
                    + String.join(", ", roles.stream().map(r -> r.name().toLowerCase()).sorted().toList()) + ")");
        }
    }
}
