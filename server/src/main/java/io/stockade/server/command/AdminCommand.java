package io.stockade.server.command;

import io.stockade.core.model.FirewallMode;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import io.stockade.server.Caller;
import io.stockade.server.Quotas;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The admin's writes: projects (with their default group), networks and hosts; and beside the
 * world (in the store, not revisioned): tokens, quotas, and the status each host's agent reports.
 * Objects are named by a token (an id or a unique name).
 */
public sealed interface AdminCommand extends Command {
    /** A new project: {@code id} the one asked for (null: a fresh one); ids are never reused. */
    record CreateProject(String id, String name, boolean smtpAllowed) implements AdminCommand {}

    record UpdateProject(String project, Patch<String> name, Patch<Boolean> smtpAllowed) implements AdminCommand {}

    /** Deletes a project that owns nothing but its default group. */
    record DeleteProject(String project) implements AdminCommand {}

    /** Makes the project's default group, when its profile has one and the project has none (as Neutron on a project's first request). */
    record EnsureDefaultGroup(String project) implements AdminCommand {}

    /** A new network: {@code id} the one asked for (null: a fresh one). */
    record CreateNetwork(String id, String name, List<Cidr> subnets, List<InetAddress> gateways, List<InetAddress> dhcpServers,
            List<InetAddress> dnsServers, List<MacAddress> routerMacs, FirewallMode mode) implements AdminCommand {
        public CreateNetwork {
            subnets = List.copyOf(subnets);
            gateways = List.copyOf(gateways);
            dhcpServers = List.copyOf(dhcpServers);
            dnsServers = List.copyOf(dnsServers);
            routerMacs = List.copyOf(routerMacs);
        }
    }

    /** Deletes a network no vnic is on. */
    record DeleteNetwork(String network) implements AdminCommand {}

    record CreateHost(String name, String bridge, List<String> uplinks) implements AdminCommand {
        public CreateHost {
            uplinks = List.copyOf(uplinks);
        }
    }

    /** An agent announces its host (by name or id): created on first start, bridge and uplinks kept current. */
    record RegisterHost(String host, Patch<String> bridge, Patch<List<String>> uplinks) implements AdminCommand {}

    /** Deletes a host no vnic is on. */
    record DeleteHost(String host) implements AdminCommand {}

    /** A host's agent reports the revision it applied (0: none yet) and its last error (null: none). */
    record ReportStatus(String host, int appliedRevision, String error) implements AdminCommand {}

    /**
     * A new API token: a member's names its {@code project} (a token), a host's its {@code host}
     * (by name); the other roles have neither.
     */
    record CreateToken(Caller.Role role, String project, String host, String description) implements AdminCommand {
        public CreateToken {
            if ((project != null) != (role == Caller.Role.MEMBER) || (host != null) != (role == Caller.Role.HOST)) {
                throw new IllegalArgumentException("a member's token names a project, a host's a host, the others' neither: got " + role + ", "
                        + project + ", " + host);
            }
        }
    }

    /** Revokes a token, by its id: it stops working at once. */
    record RevokeToken(String token) implements AdminCommand {}

    /**
     * Changes some of a project's quotas: each resource named to a limit, or (empty) back to the
     * profile's default; the others keep theirs.
     */
    record SetQuotas(String project, Map<Quotas.Resource, OptionalLong> limits) implements AdminCommand {
        public SetQuotas {
            limits = Map.copyOf(limits);
        }
    }
}
