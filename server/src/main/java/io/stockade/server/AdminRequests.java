package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import io.stockade.server.command.AdminCommand.CreateHost;
import io.stockade.server.command.AdminCommand.CreateNetwork;
import io.stockade.server.command.AdminCommand.CreateProject;
import io.stockade.server.command.AdminCommand.RegisterHost;
import io.stockade.server.command.AdminCommand.UpdateProject;
import io.stockade.server.command.AdminCommand.CreateToken;
import io.stockade.server.command.AdminCommand.ReportStatus;
import io.stockade.server.command.AdminCommand.SetQuotas;
import io.stockade.server.command.Patch;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code /v1} requests on projects, networks and hosts read as commands, what needs the world
 * left to {@link AdminOps}; and those on tokens, quotas and hosts' status, left to {@link AccessOps}.
 */
final class AdminRequests {
    static final Set<String> PROJECT_FIELDS = Set.of("id", "name", "smtpAllowed");
    static final Set<String> NETWORK_FIELDS = Set.of("id", "name", "subnets", "gateways", "dhcpServers", "dnsServers", "routerMacs", "mode");
    static final Set<String> HOST_FIELDS = Set.of("name", "bridge", "uplinks");
    static final Set<String> AGENT_FIELDS = Set.of("bridge", "uplinks");
    static final Set<String> STATUS_FIELDS = Set.of("appliedRevision", "error");
    static final Set<String> TOKEN_FIELDS = Set.of("role", "project", "host", "description");
    static final Set<String> QUOTA_FIELDS = Arrays.stream(Quotas.Resource.values()).map(r -> r.field).collect(Collectors.toUnmodifiableSet());

    private AdminRequests() {}

    static CreateProject project(Body b) {
        String name = b.string("name", true);
        return new CreateProject(b.has("id") ? b.string("id", true) : null, name, Boolean.TRUE.equals(b.bool("smtpAllowed")));
    }

    static UpdateProject update(String project, Body b) {
        return new UpdateProject(project, b.has("name") ? Patch.to(b.string("name", true)) : Patch.keep(), Patch.unlessNull(b.bool("smtpAllowed")));
    }

    static CreateNetwork network(Body b) {
        String name = b.string("name", true);
        return new CreateNetwork(b.has("id") ? b.string("id", true) : null, name,
                list(b, "subnets").stream().map(s -> Cidr.parse(s, "subnets")).toList(),
                list(b, "gateways").stream().map(s -> Ip.parse(s, "gateways")).toList(),
                list(b, "dhcpServers").stream().map(s -> Ip.parse(s, "dhcpServers")).toList(),
                list(b, "dnsServers").stream().map(s -> Ip.parse(s, "dnsServers")).toList(),
                list(b, "routerMacs").stream().map(s -> MacAddress.parse(s, "routerMacs")).toList(),
                b.has("mode") ? FirewallMode.parse(b.string("mode", true), "mode") : FirewallMode.SECURITY_GROUPS);
    }

    static CreateHost host(Body b) {
        String name = b.string("name", true);
        return new CreateHost(name, b.string("bridge", false), b.has("uplinks") ? b.strings("uplinks") : List.of());
    }

    /** An agent's announcement of its host: a field left out keeps what the host has. */
    static RegisterHost register(String host, Body b) {
        return new RegisterHost(host, b.has("bridge") ? Patch.to(b.string("bridge", true)) : Patch.keep(),
                b.has("uplinks") ? Patch.to(b.strings("uplinks")) : Patch.keep());
    }

    /** An agent's report of its host's applied revision (none given: 0) and last error. */
    static ReportStatus status(String host, Body b) {
        Integer rev = b.integer("appliedRevision");
        return new ReportStatus(host, rev == null ? 0 : rev, b.string("error", false));
    }

    /** A token to make: a member's needs its {@code project}, a host's its {@code host}; the other roles' ignore both. */
    static CreateToken token(Body b) {
        String role = b.string("role", true);
        Caller.Role r = switch (role) {
            case "admin" -> Caller.Role.ADMIN;
            case "service" -> Caller.Role.SERVICE;
            case "auditor" -> Caller.Role.AUDITOR;
            case "member" -> Caller.Role.MEMBER;
            case "host" -> Caller.Role.HOST;
            default -> throw ApiException.invalid("role", "must be admin, service, auditor, member or host, got '" + role + "'");
        };
        String project = r == Caller.Role.MEMBER ? b.string("project", true) : null;
        String host = r == Caller.Role.HOST ? b.string("host", true) : null;
        String description = b.string("description", false);
        if (description != null && description.length() > io.stockade.core.model.Names.MAX_NAME) {
            throw ApiException.invalid("description", "must be at most " + io.stockade.core.model.Names.MAX_NAME + " characters, got " + description.length());
        }
        return new CreateToken(r, project, host, description);
    }

    /** Quotas to change: each field a whole number of at least 0, or null for the default; a field left out keeps its limit. */
    static SetQuotas quotas(String project, Body b) {
        Map<Quotas.Resource, OptionalLong> limits = new EnumMap<>(Quotas.Resource.class);
        for (Quotas.Resource r : Quotas.Resource.values()) {
            JsonNode v = b.node().get(r.field);
            if (v == null) {
                continue;
            }
            if (!v.isNull() && (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0)) {
                throw ApiException.invalid(r.field, "must be a whole number of at least 0, or null for the default; got " + v);
            }
            limits.put(r, v.isNull() ? OptionalLong.empty() : OptionalLong.of(v.asLong()));
        }
        return new SetQuotas(project, limits);
    }

    private static List<String> list(Body b, String field) {
        List<String> v = b.strings(field);
        return v == null ? List.of() : v;
    }
}
