package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Direction;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Match;
import io.stockade.core.model.Rule;
import io.stockade.core.model.ValidationException;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.server.Body;
import io.stockade.server.command.RuleSpec;
import java.net.InetAddress;
import java.util.Set;

/**
 * A Neutron security group rule as the fields of a Stockade rule, after the checks Neutron makes
 * with its own messages (ports need a protocol, port range order, ICMP type and code 0..255, a
 * code needs a type, one remote only, the CIDR's family is the ethertype). Everything else is
 * checked by the shared rule validation.
 */
final class NeutronRules {
    static final Set<String> ATTRIBUTES = Set.of("id", "security_group_id", "direction", "ethertype", "protocol", "port_range_min",
            "port_range_max", "remote_ip_prefix", "normalized_cidr", "remote_group_id", "remote_address_group_id", "description", "project_id",
            "tenant_id", "revision_number", "created_at", "updated_at");
    static final Set<String> POST = Set.of("security_group_id", "direction", "ethertype", "protocol", "port_range_min", "port_range_max",
            "remote_ip_prefix", "remote_group_id", "remote_address_group_id", "description", "project_id", "tenant_id");

    private NeutronRules() {}

    /** The rule a Neutron request asks for, with Neutron's own checks and their words; what needs the world is the operation's. */
    static RuleSpec.Fields spec(ObjectNode r, NeutronIds ids) {
        if (!r.hasNonNull("direction")) {
            throw NeutronErrors.invalid("direction", "is required: ingress or egress");
        }
        Body fields = NeutronBody.fields(r);
        Direction direction = Direction.parse(fields.string("direction", false), "direction");
        String ethertypeGiven = r.hasNonNull("ethertype") ? fields.string("ethertype", false) : "IPv4";
        String description = fields.string("description", false);
        JsonNode protocol = r.path("protocol");
        Integer min = integer(r, "port_range_min");
        Integer max = integer(r, "port_range_max");
        int number = protocolNumber(protocol);
        if (IPV6_ONLY.contains(number) && ethertypeGiven.equals("IPv4")) {
            throw new io.stockade.server.ApiException(400, "SecurityGroupEthertypeConflictWithProtocol", null,
                    "Invalid ethertype IPv4 for protocol " + protocolGiven(protocol) + ".");
        }
        Integer from = null;
        Integer to = null;
        if (min != null || max != null) {
            if (number < 0) {
                throw NeutronErrors.invalid(null, "Must also specify protocol if port range is given.");
            }
            if (number == Match.ICMP || number == Match.ICMPV6) {
                icmp(min, "type", "port_range_min");
                icmp(max, "code", "port_range_max");
                if (min == null) {
                    throw NeutronErrors.invalid(null, "ICMP code (port-range-max) " + max + " is provided but ICMP type (port-range-min) is missing.");
                }
            } else {
                if (Integer.valueOf(0).equals(min) || Integer.valueOf(0).equals(max)) {
                    throw NeutronErrors.invalid(null, "Invalid value for port 0");
                }
                if (min == null || max == null || min > max) {
                    throw NeutronErrors.invalid(null, "For TCP/UDP protocols, port_range_min must be <= port_range_max");
                }
            }
            from = min;
            to = max;
        }
        int remotes = (r.hasNonNull("remote_ip_prefix") ? 1 : 0) + (r.hasNonNull("remote_group_id") ? 1 : 0)
                + (r.hasNonNull("remote_address_group_id") ? 1 : 0);
        if (remotes > 1) {
            throw NeutronErrors.invalid(null, "Only remote_ip_prefix, remote_group_id or remote_address_group_id may be provided.");
        }
        RuleSpec.Remote remote;
        if (r.hasNonNull("remote_ip_prefix")) {
            String text = text(r, "remote_ip_prefix");
            Cidr cidr;
            try {
                cidr = Cidr.parseLoose(text, "remote_ip_prefix").cidr();
            } catch (ValidationException e) {
                throw NeutronErrors.invalid("remote_ip_prefix", "'" + text + "' is not a valid IP subnet");
            }
            if (!cidr.version().ethertype().equalsIgnoreCase(ethertypeGiven)) {
                throw NeutronErrors.invalid(null, "Conflicting value ethertype " + ethertypeGiven + " for CIDR " + text);
            }
            remote = new RuleSpec.Remote.Range(cidr);
        } else if (r.hasNonNull("remote_group_id")) {
            String token = text(r, "remote_group_id");
            remote = new RuleSpec.Remote.Group(require(ids.id(Ids.GROUP, token), "SecurityGroupNotFound", "Security group " + token + " does not exist"));
        } else if (r.hasNonNull("remote_address_group_id")) {
            String token = text(r, "remote_address_group_id");
            remote = new RuleSpec.Remote.IpSet(require(ids.id(Ids.IP_SET, token), "AddressGroupNotFound",
                    "Address group " + token + " could not be found."));
        } else {
            // Neutron: a rule without a remote matches every address of its ethertype (/v1 asks for it explicitly).
            remote = new RuleSpec.Remote.Range("IPv6".equalsIgnoreCase(ethertypeGiven) ? Cidr.ANY6 : Cidr.ANY4);
        }
        IpVersion ethertype = IpVersion.ofEthertype(ethertypeGiven, "ethertype");
        int stockadeProtocol = number >= 0 ? Match.parseProtocol(Integer.toString(number), "protocol") : -1;
        return new RuleSpec.Fields(direction, ethertype, stockadeProtocol, from, to, remote, description, asGiven(r));
    }

    /**
     * The protocol and {@code remote_ip_prefix} as Neutron keeps them and shows them on every
     * read: the protocol as {@link #protocolGiven} reads it (a number stays a number,
     * {@code icmpv6} stays {@code icmpv6}, none is null), the prefix as netaddr prints it
     * ({@code str(IPNetwork(text))}: host bits kept, a bare address given its full length, IPv6
     * in its short lower-case form), null when omitted. Called by {@link #spec} once it checked them.
     */
    private static Rule.AsGiven asGiven(ObjectNode request) {
        String prefix = null;
        if (request.hasNonNull("remote_ip_prefix")) {
            String text = request.get("remote_ip_prefix").asText().strip();
            int slash = text.indexOf('/');
            InetAddress address = Ip.parse(slash < 0 ? text : text.substring(0, slash), "remote_ip_prefix");
            prefix = Ip.format(address) + "/" + (slash < 0 ? Ip.version(address).bits() : Integer.parseInt(text.substring(slash + 1)));
        }
        return new Rule.AsGiven(protocolGiven(request.path("protocol")), prefix);
    }

    static String require(String id, String type, String message) {
        if (id == null) {
            throw NeutronErrors.notFound(type, message);
        }
        return id;
    }

    static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (!v.isTextual()) {
            throw NeutronErrors.invalid(field, "'" + v + "' is not a valid string");
        }
        return v.asText();
    }

    private static Integer integer(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
            return Integer.parseInt(v.asText());
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw NeutronErrors.invalid(field, "'" + v + "' is not an integer");
        }
        return v.asInt();
    }

    /** neutron-lib's {@code IP_PROTOCOL_MAP} (with the legacy {@code icmpv6}), and Stockade's {@code any} and {@code encap}. */
    static final java.util.Map<String, Integer> PROTOCOLS = java.util.Map.ofEntries(
            java.util.Map.entry("ah", 51), java.util.Map.entry("dccp", 33), java.util.Map.entry("egp", 8), java.util.Map.entry("esp", 50),
            java.util.Map.entry("gre", 47), java.util.Map.entry("hopopt", 0), java.util.Map.entry("icmp", 1), java.util.Map.entry("igmp", 2),
            java.util.Map.entry("ip", 0), java.util.Map.entry("ipip", 4), java.util.Map.entry("ipv6-encap", 41), java.util.Map.entry("ipv6-frag", 44),
            java.util.Map.entry("ipv6-icmp", 58), java.util.Map.entry("icmpv6", 58), java.util.Map.entry("ipv6-nonxt", 59),
            java.util.Map.entry("ipv6-opts", 60), java.util.Map.entry("ipv6-route", 43), java.util.Map.entry("ospf", 89),
            java.util.Map.entry("pgm", 113), java.util.Map.entry("rsvp", 46), java.util.Map.entry("sctp", 132), java.util.Map.entry("tcp", 6),
            java.util.Map.entry("udp", 17), java.util.Map.entry("udplite", 136), java.util.Map.entry("vrrp", 112), java.util.Map.entry("encap", 98));

    /** The protocols Neutron refuses in an IPv4 rule ({@code _validate_ethertype_and_protocol}). */
    private static final Set<Integer> IPV6_ONLY = Set.of(41, 43, 44, 58, 59, 60);

    /**
     * The protocol as Neutron echoes it ({@code convert_to_protocol}): a name in lower case, a
     * number as the text given, null for any; refused when neither a known name nor 0..255.
     */
    static String protocolGiven(JsonNode p) {
        if (p.isMissingNode() || p.isNull()) {
            return null;
        }
        if (!p.isTextual() && !p.isIntegralNumber()) {
            throw NeutronErrors.invalid("protocol", "'" + p + "' is not a protocol name or number");
        }
        String text = p.asText().strip().toLowerCase(java.util.Locale.ROOT);
        if (text.equals("any")) {
            return null;
        }
        if (PROTOCOLS.containsKey(text) || (text.matches("[0-9]{1,3}") && Integer.parseInt(text) <= 255)) {
            return p.isTextual() ? text : p.asText();
        }
        throw NeutronErrors.invalid(null, "Security group rule protocol " + p.asText() + " not supported. Only protocol values "
                + "[None, " + String.join(", ", new java.util.TreeSet<>(PROTOCOLS.keySet())) + "] and integer representations [0 to 255] are supported.");
    }

    /**
     * The IP protocol number a Neutron protocol value names; -1 for any: null, {@code any}, and
     * protocol 0 ({@code ip}, {@code hopopt}, {@code 0}), which Neutron's firewalls match as every protocol.
     */
    static int protocolNumber(JsonNode p) {
        String given = protocolGiven(p);
        if (given == null) {
            return -1;
        }
        int n = PROTOCOLS.containsKey(given) ? PROTOCOLS.get(given) : Integer.parseInt(given);
        return n == 0 ? -1 : n;
    }

    private static void icmp(Integer value, String what, String field) {
        if (value != null && (value < 0 || value > 255)) {
            throw NeutronErrors.invalid(null, "Invalid value for ICMP " + what + " (" + field + ") " + value + ". It must be 0 to 255.");
        }
    }
}
