package io.stockade.server.neutron;

import static io.stockade.server.neutron.NeutronHttp.caller;
import static io.stockade.server.neutron.NeutronHttp.noContent;
import static io.stockade.server.neutron.NeutronHttp.one;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Network;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.MacAddress;
import io.stockade.server.ApiException;
import io.stockade.server.Body;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import io.stockade.server.VnicOps;
import io.stockade.server.command.Patch;
import io.stockade.server.command.VnicCommand;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Ports are vnics. Neutron's rules for them hold: a new port of a project gets the project's
 * {@code default} group unless it names others or has port security off; port security cannot
 * be turned off while the port has groups (409), and groups need port security (400). A port
 * bound to a host is plugged as {@code tap} + the first 11 characters of its UUID, as Nova names
 * the tap; its MAC, when not given, is Neutron's {@code fa:16:3e:…}.
 */
final class NeutronPorts {
    static final Set<String> ATTRIBUTES = Set.of("id", "name", "description", "mac_address", "port_security_enabled", "admin_state_up", "status",
            "network_id", "device_id", "device_owner", "binding:host_id", "fixed_ips", "security_groups", "project_id", "tenant_id",
            "tags", "revision_number", "created_at", "updated_at");
    private static final Set<String> POST = Set.of("name", "description", "network_id", "mac_address", "fixed_ips", "security_groups", "port_security_enabled",
            "device_id", "binding:host_id", "project_id", "tenant_id", "admin_state_up");
    private static final Set<String> PUT = Set.of("name", "description", "security_groups", "port_security_enabled", "admin_state_up");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Controller ctl;
    private final ObjectMapper mapper;
    private final NeutronIds ids;
    private final NeutronViews views;
    private final NeutronLookup lookup;
    private final VnicOps vnics;

    NeutronPorts(Controller ctl, NeutronIds ids, NeutronViews views, NeutronLookup lookup) {
        this.ctl = ctl;
        this.mapper = ctl.mapper();
        this.ids = ids;
        this.views = views;
        this.lookup = lookup;
        this.vnics = new VnicOps(ctl);
    }

    /** The port endpoints (the list is the facade's own, since it pages and filters like every list). */
    void install(NeutronTags.Table table, BiConsumer<Context, java.util.function.Function<World, List<ObjectNode>>> list) {
        table.route(HandlerType.GET, "/v2.0/ports", "Neutron: list ports (vnics)", "Port", ctx -> list.accept(ctx, w -> {
            var statuses = ctl.hostStatuses().all();
            return w.vnics().values().stream().filter(v -> caller(ctx).sees(v.projectId(), false)).map(v -> views.port(w, v, statuses, caller(ctx))).toList();
        }));
        table.route(HandlerType.POST, "/v2.0/ports", "Neutron: create a port (a vnic) on a network", "Port", this::create);
        table.route(HandlerType.GET, "/v2.0/ports/{id}", "Neutron: show a port", "Port", ctx -> one(ctx, 200, "port", views.port(ctl.world(), port(ctx), caller(ctx))));
        table.route(HandlerType.PUT, "/v2.0/ports/{id}", "Neutron: change a port's security groups, port security, name or description", "Port", this::update);
        table.route(HandlerType.DELETE, "/v2.0/ports/{id}", "Neutron: delete a port", "Port", ctx -> noContent(ctx, () -> lookup.ifMatch(ctx, port(ctx).id(), () -> vnics.delete(caller(ctx), new VnicCommand.DeleteVnic(port(ctx).id())))));
    }

    private void create(Context ctx) {
        ObjectNode r = NeutronBody.resource(mapper, ctx.body(), "port", ATTRIBUTES, POST, "POST");
        requireUp(r);
        Caller c = caller(ctx);
        World w = ctl.world();
        String project = lookup.owner(c, r);
        if (!r.hasNonNull("network_id")) {
            throw NeutronErrors.invalid("network_id", "is required");
        }
        String netToken = NeutronRules.text(r, "network_id");
        Network net = w.networks().get(NeutronRules.require(ids.id(Ids.NETWORK, netToken), "NetworkNotFound", "Network " + netToken + " could not be found."));
        String id = Ids.newId(Ids.VNIC);
        String mac = r.hasNonNull("mac_address") ? NeutronRules.text(r, "mac_address") : newMac(w);
        List<String> addresses = addresses(r, net, w);
        String instance = null;
        if (r.hasNonNull("device_id") && !NeutronRules.text(r, "device_id").isEmpty()) {
            String device = NeutronRules.text(r, "device_id");
            instance = NeutronRules.require(ids.id(Ids.INSTANCE, device), "InstanceNotFound", "Instance " + device + " could not be found.");
        }
        String host = null;
        String tap = null;
        if (r.hasNonNull("binding:host_id") && !NeutronRules.text(r, "binding:host_id").isEmpty()) {
            host = NeutronRules.text(r, "binding:host_id");
            tap = "tap" + NeutronIds.uuid(id).substring(0, 11);
        }
        boolean security = !r.path("port_security_enabled").isBoolean() || r.get("port_security_enabled").asBoolean();
        List<String> groups;
        if (r.has("security_groups")) {
            groups = groups(r);
        } else {
            groups = security ? w.groups().values().stream().filter(g -> g.projectId().equals(project) && g.name().equals("default") && ctl.policy().defaultGroup())
                    .map(SecurityGroup::id).toList() : List.of();
        }
        requireSecurityForGroups(security, groups, true);
        Body fields = NeutronBody.fields(r);
        VnicCommand.CreateVnic create = new VnicCommand.CreateVnic(id, fields.string("name", false), project, instance, host, tap,
                MacAddress.parse(mac, "mac"), parsed(addresses), net.id(), groups, !Boolean.FALSE.equals(fields.bool("port_security_enabled")),
                false, fields.string("description", false), false);
        one(ctx, 201, "port", views.port(ctl.world(), vnics.create(c, create), c));
    }

    private void update(Context ctx) {
        ObjectNode r = NeutronBody.resource(mapper, ctx.body(), "port", ATTRIBUTES, PUT, "PUT");
        requireUp(r);
        Vnic v = port(ctx);
        List<String> groups = r.has("security_groups") ? groups(r) : v.securityGroupIds();
        boolean security = r.path("port_security_enabled").isBoolean() ? r.get("port_security_enabled").asBoolean() : v.portSecurity();
        requireSecurityForGroups(security, groups, r.has("security_groups"));
        Body fields = NeutronBody.fields(r);
        VnicCommand.UpdateVnic update = new VnicCommand.UpdateVnic(v.id(), Patch.unlessNull(fields.string("name", false)), Patch.keep(), Patch.keep(),
                Patch.keep(), Patch.keep(), Patch.keep(), Patch.keep(), r.has("security_groups") ? Patch.to(groups) : Patch.keep(),
                Patch.unlessNull(fields.bool("port_security_enabled")), Patch.keep(), Patch.unlessNull(fields.string("description", false)), false);
        one(ctx, 200, "port", views.port(ctl.world(), lookup.ifMatch(ctx, v.id(), () -> vnics.update(caller(ctx), update)), caller(ctx)));
    }

    /** Stockade's ports are always up: {@code admin_state_up} may only be said to be true. */
    private static void requireUp(ObjectNode r) {
        if (r.has("admin_state_up") && !r.get("admin_state_up").equals(com.fasterxml.jackson.databind.node.BooleanNode.TRUE)) {
            throw NeutronErrors.invalid("admin_state_up", "only true is supported (a port is always up; port_security_enabled=false turns filtering off)");
        }
    }

    private static void requireSecurityForGroups(boolean security, List<String> groups, boolean groupsGiven) {
        if (security || groups.isEmpty()) {
            return;
        }
        if (groupsGiven) {
            throw new ApiException(400, "PortSecurityAndIPRequiredForSecurityGroups", null,
                    "Port security must be enabled and port must have an IP address in order to use security groups.");
        }
        throw new ApiException(409, "PortSecurityPortHasSecurityGroup", null,
                "Port has security group associated. Cannot disable port security or ip address until security group is removed");
    }

    /** {@code security_groups}: a list of group ids; null is none (Neutron's {@code convert_none_to_empty_list}). */
    private List<String> groups(ObjectNode r) {
        if (r.get("security_groups").isNull()) {
            return List.of();
        }
        List<String> tokens = NeutronBody.fields(r).strings("security_groups");
        if (tokens == null) {
            throw NeutronErrors.invalid("security_groups", "must be a list of security group ids");
        }
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            out.add(NeutronRules.require(ids.id(Ids.GROUP, t), "SecurityGroupNotFound", "Security group " + t + " does not exist"));
        }
        return out;
    }

    /**
     * {@code fixed_ips}: each an {@code ip_address}, or a {@code subnet_id} alone to be given a free
     * address of that subnet; none given, a free address of the network's first subnet (as
     * Neutron's IPAM allocates one).
     */
    private static List<String> addresses(ObjectNode r, Network net, World w) {
        List<String> out = new ArrayList<>();
        JsonNode fixed = r.path("fixed_ips");
        if (fixed.isMissingNode() || fixed.isNull()) {
            if (!net.subnets().isEmpty()) {
                out.add(free(net, net.subnets().get(0), w, List.of()));
            }
            return out;
        }
        if (!fixed.isArray()) {
            throw NeutronErrors.invalid("fixed_ips", "must be a list of {\"ip_address\", \"subnet_id\"}");
        }
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < fixed.size(); i++) {
            JsonNode f = fixed.get(i);
            Cidr subnet = null;
            if (f.hasNonNull("subnet_id")) {
                subnet = net.subnets().stream().filter(c -> NeutronIds.uuid(net.id() + "/" + c).equals(f.path("subnet_id").asText())).findFirst()
                        .orElseThrow(() -> NeutronErrors.notFound("SubnetNotFound", "Subnet " + f.path("subnet_id").asText() + " could not be found."));
            }
            if (f.path("ip_address").isTextual()) {
                out.add(f.get("ip_address").asText());
            } else if (subnet != null) {
                out.add(free(net, subnet, w, taken));
            } else {
                throw NeutronErrors.invalid("fixed_ips[" + i + "]", "needs an ip_address or a subnet_id");
            }
            taken.add(out.get(out.size() - 1));
        }
        return out;
    }

    /** The lowest address of the subnet after its network address that no vnic, gateway or server of the network holds. */
    private static String free(Network net, Cidr subnet, World w, List<String> alsoTaken) {
        java.util.Set<java.net.InetAddress> used = new java.util.HashSet<>();
        used.addAll(net.gateways());
        used.addAll(net.dhcpServers());
        used.addAll(net.dnsServers());
        w.vnics().values().forEach(v -> used.addAll(v.addresses()));
        alsoTaken.forEach(a -> used.add(io.stockade.core.net.Ip.parse(a, "fixed_ips")));
        java.math.BigInteger base = new java.math.BigInteger(1, subnet.network().getAddress());
        int hostBits = subnet.version().bits() - subnet.prefix();
        java.math.BigInteger size = java.math.BigInteger.ONE.shiftLeft(hostBits);
        // IPv4 keeps its broadcast address; both skip the network address; at most 65,536 tries.
        long last = size.subtract(java.math.BigInteger.valueOf(subnet.version() == io.stockade.core.net.IpVersion.V4 ? 2 : 1))
                .min(java.math.BigInteger.valueOf(65_536)).longValue();
        int length = subnet.network().getAddress().length;
        for (long i = 1; i <= last; i++) {
            byte[] raw = base.add(java.math.BigInteger.valueOf(i)).toByteArray();
            byte[] bytes = new byte[length];
            System.arraycopy(raw, Math.max(0, raw.length - length), bytes, Math.max(0, length - raw.length), Math.min(length, raw.length));
            java.net.InetAddress a = io.stockade.core.net.Ip.fromBytes(bytes);
            if (!used.contains(a)) {
                return io.stockade.core.net.Ip.format(a);
            }
        }
        throw new ApiException(409, "IpAddressGenerationFailure", null, "No more IP addresses available on network " + NeutronIds.uuid(net.id()) + ".");
    }

    /** Addresses as the vnic holds them: a text that is none is refused naming {@code addresses[i]}. */
    private static List<java.net.InetAddress> parsed(List<String> addresses) {
        List<java.net.InetAddress> out = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            out.add(io.stockade.core.net.Ip.parse(addresses.get(i), "addresses[" + i + "]"));
        }
        return out;
    }

    /** Neutron's default MAC prefix and three random bytes, not yet any vnic's. */
    private static String newMac(World w) {
        while (true) {
            String mac = String.format("fa:16:3e:%02x:%02x:%02x", RANDOM.nextInt(256), RANDOM.nextInt(256), RANDOM.nextInt(256));
            if (w.vnicByMac(MacAddress.parse(mac, "mac_address")).isEmpty()) {
                return mac;
            }
        }
    }

    private Vnic port(Context ctx) {
        return lookup.port(caller(ctx), ctx.pathParam("id"));
    }
}
