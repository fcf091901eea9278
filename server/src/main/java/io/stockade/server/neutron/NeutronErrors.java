package io.stockade.server.neutron;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.server.ApiException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Errors as Neutron writes them: {@code {"NeutronError":{"type","message","detail"}}} with the
 * status codes Neutron uses (every validation failure is a 400). Errors from the shared Stockade
 * operations are translated: their field names become Neutron's attribute names and the ids
 * they mention become the UUIDs this API shows.
 */
final class NeutronErrors {
    /** Stockade's field names and the Neutron attributes they come from. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("portRangeMin", "port_range_min"), Map.entry("portRangeMax", "port_range_max"),
            Map.entry("icmpType", "port_range_min"), Map.entry("icmpCode", "port_range_max"),
            Map.entry("remoteIpPrefix", "remote_ip_prefix"), Map.entry("remoteGroup", "remote_group_id"),
            Map.entry("remoteIpSet", "remote_address_group_id"), Map.entry("securityGroups", "security_groups"),
            Map.entry("portSecurity", "port_security_enabled"), Map.entry("entries", "addresses"), Map.entry("project", "project_id"),
            Map.entry("mac", "mac_address"));
    private static final Pattern CAMEL = Pattern.compile("\\b(portRangeMin|portRangeMax|icmpType|icmpCode|remoteIpPrefix|remoteGroup|remoteIpSet|securityGroups|portSecurity)\\b");
    private static final Pattern ID = Pattern.compile("\\b(sgr|sg|ips|vif)-[a-z0-9][a-z0-9-]*");

    private final NeutronIds ids;

    NeutronErrors(NeutronIds ids) {
        this.ids = ids;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "HTTPBadRequest", null, message);
    }

    static ApiException invalid(String field, String message) {
        return new ApiException(400, "InvalidInput", field, message);
    }

    static ApiException notFound(String type, String message) {
        return new ApiException(404, type, null, message);
    }

    /** The Neutron status, type and message of an error from this facade or from the operations beneath it. */
    ObjectNode body(ObjectMapper mapper, ApiException e, String resource) {
        String type = type(e, resource);
        String message = e.getMessage();
        if (!Character.isUpperCase(e.code().charAt(0))) {
            message = ids(CAMEL.matcher(message).replaceAll(m -> FIELDS.get(m.group(1))))
                    .replace("ip set", "address group").replace("vnic", "port");
            if (e.code().equals("duplicate_rule")) {
                Matcher m = ID.matcher(e.getMessage());
                message = "Security group rule already exists. Rule id is " + (m.find() ? NeutronIds.uuid(m.group()) : "unknown") + ".";
            }
        }
        if (e.field() != null && status(e) == 400) {
            message = "Invalid input for " + field(e.field()) + ". Reason: " + message;
        }
        ObjectNode o = mapper.createObjectNode();
        o.putObject("NeutronError").put("type", type).put("message", message).put("detail", "");
        return o;
    }

    static int status(ApiException e) {
        return e.status() == 422 ? 400 : e.status();
    }

    private static String type(ApiException e, String resource) {
        if (Character.isUpperCase(e.code().charAt(0))) {
            return e.code();
        }
        return switch (e.code()) {
            case "not_found" -> "tag".equals(e.field()) ? "TagNotFound" : resource + "NotFound";
            case "duplicate_rule" -> "SecurityGroupRuleExists";
            case "conflict", "ambiguous" -> resource.equals("SecurityGroup") ? "SecurityGroupInUse" : "Conflict";
            case "bad_request", "invalid", "invalid_rule_text" -> "InvalidInput";
            case "forbidden" -> "PolicyNotAuthorized";
            case "unauthorized" -> "NotAuthenticated";
            case "too_large" -> "RequestEntityTooLarge";
            case "too_many_failures" -> "TooManyRequests";
            case "unavailable", "busy" -> "ServiceUnavailable";
            default -> "HTTP" + e.status();
        };
    }

    /** {@code entries[2]} → {@code addresses[2]}. */
    private static String field(String f) {
        int cut = f.indexOf('[');
        String head = cut < 0 ? f : f.substring(0, cut);
        return FIELDS.getOrDefault(head, head) + (cut < 0 ? "" : f.substring(cut));
    }

    /** Stockade ids of groups, rules, ip sets and vnics, shown as their UUIDs. */
    private String ids(String message) {
        return ID.matcher(message).replaceAll(m -> {
            String id = m.group();
            return Matcher.quoteReplacement(ids.exists(id) ? NeutronIds.uuid(id) : id);
        });
    }
}
