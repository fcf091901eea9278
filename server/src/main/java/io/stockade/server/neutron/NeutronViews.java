package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Direction;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Match;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.server.Caller;
import io.stockade.server.Controller;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Stockade's objects in Neutron's shapes and field names: every attribute present (JSON null
 * where it does not apply), UUIDs for ids, the owner as both {@code project_id} and
 * {@code tenant_id}, and the standard attributes (revision, creation and change times).
 */
final class NeutronViews {
    private final Controller ctl;
    private final ObjectMapper mapper;
    private final NeutronIds ids;

    NeutronViews(Controller ctl, NeutronIds ids) {
        this.ctl = ctl;
        this.mapper = ctl.mapper();
        this.ids = ids;
    }

    ObjectNode group(SecurityGroup g) {
        ObjectNode o = mapper.createObjectNode().put("id", NeutronIds.uuid(g.id())).put("name", g.name()).put("description", g.description())
                .put("stateful", g.stateful()).put("shared", g.global());
        owner(o, g.projectId());
        ArrayNode rules = o.putArray("security_group_rules");
        g.rules().forEach(r -> rules.add(rule(g, r)));
        return tagged(o, g.id());
    }

    /** A rule; protocols by name, ICMP type and code in the port range fields, no range when every port is meant. */
    ObjectNode rule(SecurityGroup g, Rule r) {
        ObjectNode o = mapper.createObjectNode().put("id", NeutronIds.uuid(r.id())).put("security_group_id", NeutronIds.uuid(g.id()))
                .put("direction", r.direction().wire()).put("ethertype", r.ethertype().ethertype());
        switch (r.match()) {
            case Match.AnyProtocol a -> o.putNull("protocol").putNull("port_range_min").putNull("port_range_max");
            case Match.Ports p -> {
                o.put("protocol", protocolName(p.protocol()));
                if (p.allPorts()) {
                    o.putNull("port_range_min").putNull("port_range_max");
                } else {
                    o.put("port_range_min", p.from()).put("port_range_max", p.to());
                }
            }
            case Match.Icmp i -> {
                o.put("protocol", r.ethertype() == IpVersion.V4 ? "icmp" : "ipv6-icmp");
                optional(o, "port_range_min", i.type());
                optional(o, "port_range_max", i.code());
            }
            case Match.Protocol p -> o.put("protocol", protocolName(p.number())).putNull("port_range_min").putNull("port_range_max");
        }
        o.putNull("remote_ip_prefix").putNull("normalized_cidr").putNull("remote_group_id").putNull("remote_address_group_id");
        Rule.AsGiven given = r.asGiven();
        if (given != null) {
            // As the Neutron caller gave them: Neutron keeps and shows these.
            o.put("protocol", given.protocol());
        }
        switch (r.remote()) {
            case Remote.CidrRemote c when given != null && given.remoteIpPrefix() == null -> {
                // An omitted prefix: every address of the ethertype, shown as none.
            }
            case Remote.CidrRemote c when given != null -> o.put("remote_ip_prefix", given.remoteIpPrefix()).put("normalized_cidr", c.cidr().toString());
            case Remote.CidrRemote c when c.cidr().isAny() && r.direction() == Direction.EGRESS && r.match() instanceof Match.AnyProtocol -> {
                // Neutron's own allow-all egress rules (of the default group and of new groups) have no prefix.
            }
            case Remote.CidrRemote c -> o.put("remote_ip_prefix", c.cidr().toString()).put("normalized_cidr", c.cidr().toString());
            case Remote.GroupRemote ref -> o.put("remote_group_id", NeutronIds.uuid(ref.groupId()));
            case Remote.IpSetRemote s -> o.put("remote_address_group_id", NeutronIds.uuid(s.ipSetId()));
        }
        o.put("description", r.description());
        owner(o, g.projectId());
        NeutronIds.RuleRef ref = ids.ruleRef(r.id());
        Controller.Meta groupMeta = ctl.meta(g.id());
        if (ref != null && ref.seenAt() != null) {
            return standard(o, new Controller.Meta(ref.seenAt(), ref.seenAt(), ref.revision()));
        }
        // Rules met at start-up: their group's creation is the earliest time known for them.
        return standard(o, groupMeta == null ? null : new Controller.Meta(groupMeta.createdAt(), groupMeta.createdAt(), groupMeta.revision()));
    }

    ObjectNode addressGroup(IpSet s) {
        ObjectNode o = mapper.createObjectNode().put("id", NeutronIds.uuid(s.id())).put("name", s.name().equals(s.id()) ? "" : s.name())
                .put("description", s.description());
        ArrayNode a = o.putArray("addresses");
        s.entries().forEach(e -> a.add(e.cidr().toString()));
        owner(o, s.projectId());
        return tagged(o, s.id());
    }

    ObjectNode port(World w, Vnic v, Caller c) {
        return port(w, v, ctl.hostStatuses().all(), c);
    }

    /**
     * A port; ACTIVE once the agent of its host has applied a revision that has it as it is now
     * (as Neutron's ports are DOWN until an agent has bound them), else DOWN. Its
     * {@code binding:host_id} only for callers who see hosts (Neutron's policy: admin only).
     */
    ObjectNode port(World w, Vnic v, java.util.Map<String, io.stockade.store.HostStatus> statuses, Caller caller) {
        io.stockade.store.HostStatus status = v.hostId() == null ? null : statuses.get(v.hostId());
        Controller.Meta m = ctl.meta(v.id());
        boolean applied = v.device() != null && status != null && m != null && status.appliedRevision() >= m.revision();
        ObjectNode o = mapper.createObjectNode().put("id", NeutronIds.uuid(v.id())).put("name", v.name()).put("description", v.description())
                .put("mac_address", v.mac().toString()).put("port_security_enabled", v.portSecurity()).put("admin_state_up", true)
                .put("status", applied ? "ACTIVE" : "DOWN")
                .put("network_id", v.networkId() == null ? null : NeutronIds.uuid(v.networkId()))
                .put("device_id", v.instanceId() == null ? "" : NeutronIds.uuid(v.instanceId()))
                .put("device_owner", v.instanceId() == null ? "" : "compute:nova");
        if (caller.seesHosts()) {
            o.put("binding:host_id", v.hostId() == null || !w.hosts().containsKey(v.hostId()) ? "" : w.hosts().get(v.hostId()).name());
        }
        Network n = w.network(v.networkId()).orElse(null);
        ArrayNode fixed = o.putArray("fixed_ips");
        for (InetAddress a : v.addresses()) {
            Cidr subnet = n == null ? null : n.subnets().stream().filter(c -> c.contains(a)).findFirst().orElse(null);
            fixed.addObject().put("subnet_id", subnet == null ? null : NeutronIds.uuid(n.id() + "/" + subnet)).put("ip_address", Ip.format(a));
        }
        ArrayNode groups = o.putArray("security_groups");
        v.securityGroupIds().forEach(g -> groups.add(NeutronIds.uuid(g)));
        owner(o, v.projectId());
        return tagged(o, v.id());
    }

    /** A network (shared by every project, as the admin made it), with its subnets' UUIDs. */
    ObjectNode network(Network n) {
        ObjectNode o = mapper.createObjectNode().put("id", NeutronIds.uuid(n.id())).put("name", n.name()).put("status", "ACTIVE")
                .put("admin_state_up", true).put("shared", true).put("port_security_enabled", n.mode() != io.stockade.core.model.FirewallMode.PASSTHROUGH);
        ArrayNode subnets = o.putArray("subnets");
        n.subnets().forEach(c -> subnets.add(NeutronIds.uuid(n.id() + "/" + c)));
        owner(o, null);
        return o;
    }

    /** An identity v3 project, as {@code openstack --project} looks it up. */
    ObjectNode project(Project p, String base) {
        ObjectNode o = mapper.createObjectNode().put("id", p.id()).put("name", p.name()).put("description", "").put("enabled", true)
                .put("domain_id", "default").put("parent_id", "default").put("is_domain", false);
        o.putArray("tags");
        o.putObject("links").put("self", base + "/projects/" + p.id());
        return o;
    }

    private static void owner(ObjectNode o, String project) {
        o.put("project_id", project).put("tenant_id", project);
    }

    private static void optional(ObjectNode o, String field, int value) {
        if (value < 0) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    /** Tags, and the standard attributes of the object and its tags together: a tag change is a change of the object. */
    private ObjectNode tagged(ObjectNode o, String id) {
        ctl.tags(id).forEach(o.putArray("tags")::add);
        return standard(o, meta(ctl, id));
    }

    /** An object's standard attributes with its tags' changes counted in. */
    static Controller.Meta meta(Controller ctl, String id) {
        Controller.Meta m = ctl.meta(id);
        Controller.Meta t = ctl.tagsMeta(id);
        if (m != null && t != null && t.revision() > m.revision()) {
            return new Controller.Meta(m.createdAt(), t.updatedAt(), t.revision());
        }
        return m;
    }

    private static ObjectNode standard(ObjectNode o, Controller.Meta m) {
        if (m == null) {
            return o.putNull("revision_number").putNull("created_at").putNull("updated_at");
        }
        return o.put("revision_number", m.revision()).put("created_at", seconds(m.createdAt())).put("updated_at", seconds(m.updatedAt()));
    }

    /** Neutron's timestamps: UTC to the second, {@code 2024-05-01T12:00:00Z}. */
    private static String seconds(String instant) {
        return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The names Neutron uses for IP protocols; other numbers as text. */
    static String protocolName(int number) {
        return switch (number) {
            case Match.TCP -> "tcp";
            case Match.UDP -> "udp";
            case Match.SCTP -> "sctp";
            case Match.DCCP -> "dccp";
            case Match.UDPLITE -> "udplite";
            case 47 -> "gre";
            case 50 -> "esp";
            case 51 -> "ah";
            case 4 -> "ipip";
            case 112 -> "vrrp";
            case 2 -> "igmp";
            case 89 -> "ospf";
            case 113 -> "pgm";
            case 98 -> "encap";
            case 8 -> "egp";
            case 46 -> "rsvp";
            case 41 -> "ipv6-encap";
            case 43 -> "ipv6-route";
            case 44 -> "ipv6-frag";
            case 59 -> "ipv6-nonxt";
            case 60 -> "ipv6-opts";
            default -> Integer.toString(number);
        };
    }
}
