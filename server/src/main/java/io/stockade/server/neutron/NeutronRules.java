package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.model.Ids;
import io.stockade.core.model.Match;
import io.stockade.core.model.ValidationException;
import io.stockade.core.net.Cidr;
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

    static ObjectNode toStockade(ObjectNode r, NeutronIds ids, ObjectNode out) {
        if (!r.hasNonNull("direction")) {
            throw NeutronErrors.invalid("direction", "is required: ingress or egress");
        }
        NeutronBody.copy(r, "direction", out, "direction");
        out.set("ethertype", r.hasNonNull("ethertype") ? r.get("ethertype") : out.textNode("IPv4"));
        NeutronBody.copy(r, "description", out, "description");
        JsonNode protocol = r.path("protocol");
        Integer min = integer(r, "port_range_min");
        Integer max = integer(r, "port_range_max");
        int number = protocolNumber(protocol);
        if (number >= 0) {
            out.set("protocol", protocol);
        }
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
                out.put("icmpType", min);
                if (max != null) {
                    out.put("icmpCode", max);
                }
            } else {
                if (Integer.valueOf(0).equals(min) || Integer.valueOf(0).equals(max)) {
                    throw NeutronErrors.invalid(null, "Invalid value for port 0");
                }
                if (min == null || max == null || min > max) {
                    throw NeutronErrors.invalid(null, "For TCP/UDP protocols, port_range_min must be <= port_range_max");
                }
                out.put("portRangeMin", min).put("portRangeMax", max);
            }
        }
        int remotes = (r.hasNonNull("remote_ip_prefix") ? 1 : 0) + (r.hasNonNull("remote_group_id") ? 1 : 0)
                + (r.hasNonNull("remote_address_group_id") ? 1 : 0);
        if (remotes > 1) {
            throw NeutronErrors.invalid(null, "Only remote_ip_prefix, remote_group_id or remote_address_group_id may be provided.");
        }
        if (r.hasNonNull("remote_ip_prefix")) {
            String text = text(r, "remote_ip_prefix");
            Cidr cidr;
            try {
                cidr = Cidr.parseLoose(text, "remote_ip_prefix").cidr();
            } catch (ValidationException e) {
                throw NeutronErrors.invalid("remote_ip_prefix", "'" + text + "' is not a valid IP subnet");
            }
            if (!cidr.version().ethertype().equalsIgnoreCase(out.path("ethertype").asText())) {
                throw NeutronErrors.invalid(null, "Conflicting value ethertype " + out.path("ethertype").asText() + " for CIDR " + text);
            }
            out.put("remoteIpPrefix", cidr.toString());
        }
        if (r.hasNonNull("remote_group_id")) {
            String token = text(r, "remote_group_id");
            out.put("remoteGroup", require(ids.id(Ids.GROUP, token), "SecurityGroupNotFound", "Security group " + token + " does not exist"));
        }
        if (r.hasNonNull("remote_address_group_id")) {
            String token = text(r, "remote_address_group_id");
            out.put("remoteIpSet", require(ids.id(Ids.IP_SET, token), "AddressGroupNotFound", "Address group " + token + " could not be found."));
        }
        return out;
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

    /** The IP protocol number a Neutron protocol value names, -1 for any (null, "any"). */
    private static int protocolNumber(JsonNode p) {
        if (p.isMissingNode() || p.isNull()) {
            return -1;
        }
        if (!p.isTextual() && !p.isIntegralNumber()) {
            throw NeutronErrors.invalid("protocol", "'" + p + "' is not a protocol name or number");
        }
        try {
            return Match.parseProtocol(p.asText(), "protocol");
        } catch (ValidationException e) {
            throw NeutronErrors.invalid(null, "Security group rule protocol " + p.asText() + " not supported. Only protocol values [None, tcp, udp, "
                    + "icmp, ipv6-icmp, sctp, dccp, udplite, gre, esp, ah, vrrp, igmp, ospf, pgm, encap, ipip] and integer representations [0 to 255] are supported.");
        }
    }

    private static void icmp(Integer value, String what, String field) {
        if (value != null && (value < 0 || value > 255)) {
            throw NeutronErrors.invalid(null, "Invalid value for ICMP " + what + " (" + field + ") " + value + ". It must be 0 to 255.");
        }
    }
}
