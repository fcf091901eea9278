package io.stockade.server.neutron;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.policy.Policy;
import io.stockade.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Neutron facade over HTTP, for what the openstack client does not reach: filters, pagination, fields, sorting, errors. */
class NeutronApiTest {
    private TestServer s;
    private String member;
    private String project;

    @BeforeEach
    void start() throws Exception {
        s = new TestServer("sqlite", Policy.profile(Policy.OPENSTACK));
        String[] p = s.project("demo");
        project = p[0];
        member = p[1];
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private TestServer.Response call(String token, String method, String path, String body) {
        return body == null ? s.send(method, path, null, "X-Auth-Token", token)
                : s.send(method, path, body, "X-Auth-Token", token, "Content-Type", "application/json");
    }

    private TestServer.Response get(String path) {
        return call(member, "GET", path, null);
    }

    private String group(String name, String description) {
        TestServer.Response r = call(member, "POST", "/v2.0/security-groups",
                "{\"security_group\":{\"name\":\"" + name + "\",\"description\":\"" + description + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("security_group").path("id").asText();
    }

    private static void neutronError(TestServer.Response r, int status, String type, String message) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.json().path("NeutronError").path("type").asText()).as(r.text()).isEqualTo(type);
        assertThat(r.json().path("NeutronError").path("message").asText()).as(r.text()).contains(message);
        assertThat(r.json().path("NeutronError").has("detail")).isTrue();
    }

    @Test
    void versionsForClientsTheConsoleForBrowsersAndTheRouteTable() {
        TestServer.Response v = s.send("GET", "/", null, "Accept", "application/json");
        assertThat(v.json().path("versions").get(0).path("id").asText()).isEqualTo("v2.0");
        assertThat(v.json().path("versions").get(0).path("links").get(0).path("href").asText()).isEqualTo(s.url() + "/v2.0/");
        TestServer.Response page = s.send("GET", "/", null, "Accept", "text/html,application/xhtml+xml");
        assertThat(page.text()).contains("<html").contains("Stockade console");
        assertThat(s.get(null, "/openapi.json").json().path("paths").has("/v2.0/security-group-rules/{id}")).isTrue();
        neutronError(get("/v2.0/routers"), 404, "HTTPNotFound", "GET /v2.0/routers");
        TestServer.Response patch = call(member, "PATCH", "/v2.0/security-groups/" + NeutronIds.uuid("sg-x"), "{}");
        neutronError(patch, 405, "HTTPMethodNotAllowed", "allowed: GET, PUT, DELETE");
    }

    @Test
    void authentication() {
        neutronError(s.send("GET", "/v2.0/security-groups", null), 401, "NotAuthenticated", "X-Auth-Token");
        assertThat(get("/v2.0/security-groups").headers().firstValue("X-Openstack-Request-Id").orElse("")).startsWith("req-");
        neutronError(call("stk_wrong", "GET", "/v2.0/security-groups", null), 401, "NotAuthenticated", "not valid");
        String host = s.post(s.adminToken, "/v1/tokens", "{\"role\":\"host\",\"host\":\"hv1\"}").json().path("token").asText();
        neutronError(call(host, "GET", "/v2.0/security-groups", null), 403, "PolicyNotAuthorized", "host");
        // A member sees its own project only; an admin sees all.
        String[] other = s.project("other");
        call(other[1], "POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"theirs\"}}");
        assertThat(get("/v2.0/security-groups").json().findValuesAsText("name")).containsExactly("default");
        assertThat(call(s.adminToken, "GET", "/v2.0/security-groups", null).json().findValuesAsText("name")).contains("theirs", "default");
        neutronError(call(member, "POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"x\",\"project_id\":\"" + other[0] + "\"}}"),
                403, "PolicyNotAuthorized", "requires admin privileges");
        assertThat(call(member, "GET", "/projects/" + other[0], null).status()).isEqualTo(404);
        assertThat(call(member, "GET", "/projects?name=demo", null).json().path("projects").get(0).path("id").asText()).isEqualTo(project);
    }

    @Test
    void filtersFieldsSortingAndPagination() {
        for (int i = 1; i <= 5; i++) {
            group("g" + i, i % 2 == 0 ? "even" : "odd");
        }
        assertThat(get("/v2.0/security-groups?name=g2").json().findValuesAsText("name")).containsExactly("g2");
        assertThat(get("/v2.0/security-groups?name=g1&name=g3").json().findValuesAsText("name")).containsExactlyInAnyOrder("g1", "g3");
        assertThat(get("/v2.0/security-groups?description=even&stateful=True").json().findValuesAsText("name")).containsExactlyInAnyOrder("g2", "g4");
        assertThat(get("/v2.0/security-groups?project_id=" + project).json().path("security_groups")).hasSize(6);
        neutronError(get("/v2.0/security-groups?colour=red"), 400, "HTTPBadRequest", "[colour] is invalid attribute for filtering");

        JsonNode only = get("/v2.0/security-groups?name=g1&fields=id&fields=name").json().path("security_groups").get(0);
        assertThat(only.size()).isEqualTo(2);
        assertThat(only.has("id") && only.has("name")).isTrue();

        List<String> desc = get("/v2.0/security-groups?sort_key=name&sort_dir=desc&fields=name").json().findValuesAsText("name");
        assertThat(desc).containsExactly("g5", "g4", "g3", "g2", "g1", "default");
        List<String> byDescription = get("/v2.0/security-groups?sort_key=description&sort_dir=asc&sort_key=name&sort_dir=desc&description=even&description=odd")
                .json().findValuesAsText("name");
        assertThat(byDescription).containsExactly("g4", "g2", "g5", "g3", "g1");
        neutronError(get("/v2.0/security-groups?sort_key=colour"), 400, "HTTPBadRequest", "[colour] is invalid attribute for sort_key");
        neutronError(get("/v2.0/security-groups?sort_key=name&sort_dir=up"), 400, "HTTPBadRequest", "sort_dir");
        neutronError(get("/v2.0/security-groups?limit=x"), 400, "HTTPBadRequest", "Limit must be an integer");

        // Pages of two by name, following the next links until a short page.
        List<String> seen = new ArrayList<>();
        String next = "/v2.0/security-groups?sort_key=name&limit=2";
        int pages = 0;
        JsonNode page;
        do {
            page = get(next).json();
            page.path("security_groups").forEach(g -> seen.add(g.path("name").asText()));
            next = null;
            for (JsonNode l : page.path("security_groups_links")) {
                if (l.path("rel").asText().equals("next")) {
                    next = l.path("href").asText().substring(s.url().toString().length());
                }
            }
            pages++;
        } while (next != null && pages < 10);
        assertThat(seen).containsExactly("default", "g1", "g2", "g3", "g4", "g5");
        assertThat(pages).isEqualTo(4);
        // Back from g3: the page before it, in forward order.
        String g3 = get("/v2.0/security-groups?name=g3").json().path("security_groups").get(0).path("id").asText();
        JsonNode before = get("/v2.0/security-groups?sort_key=name&limit=2&marker=" + g3 + "&page_reverse=True").json();
        assertThat(before.findValuesAsText("name")).containsExactly("g1", "g2");
        assertThat(before.path("security_groups_links").findValuesAsText("rel")).containsExactly("next", "previous");
        neutronError(get("/v2.0/security-groups?limit=2&marker=00000000-0000-5000-8000-000000000000"), 404, "SecurityGroupNotFound", "marker");
    }

    @Test
    void ruleFiltersAndNeutronShapes() {
        String web = group("web", "web");
        String rule = call(member, "POST", "/v2.0/security-group-rules", "{\"security_group_rule\":{\"security_group_id\":\"" + web
                + "\",\"direction\":\"ingress\",\"protocol\":\"tcp\",\"port_range_min\":22,\"port_range_max\":22,\"remote_ip_prefix\":\"192.0.2.7/24\"}}")
                .json().path("security_group_rule").path("id").asText();
        JsonNode r = get("/v2.0/security-group-rules/" + rule).json().path("security_group_rule");
        assertThat(r.path("normalized_cidr").asText()).isEqualTo("192.0.2.0/24");
        assertThat(r.path("tenant_id").asText()).isEqualTo(project).isEqualTo(r.path("project_id").asText());
        assertThat(r.path("remote_group_id").isNull() && r.path("remote_address_group_id").isNull()).isTrue();
        assertThat(get("/v2.0/security-group-rules?security_group_id=" + web).json().path("security_group_rules")).hasSize(3);
        assertThat(get("/v2.0/security-group-rules?security_group_id=" + web + "&direction=ingress&port_range_min=22").json()
                .findValuesAsText("id")).containsExactly(rule);
        assertThat(get("/v2.0/security-group-rules?security_group_id=" + web + "&protocol=").json().path("security_group_rules")).hasSize(2);
        // The same rule through the native API, by its Stockade id.
        JsonNode native1 = s.get(member, "/v1/security-groups?name=web").json().path("items").get(0);
        assertThat(NeutronIds.uuid(native1.path("id").asText())).isEqualTo(web);
        assertThat(native1.path("rules").findValuesAsText("text")).contains("tcp:22,22,ip4:192.0.2.0/24");
    }

    @Test
    void errorBodiesAndStatusCodesChangeNothing() {
        String web = group("web", "web");
        String db = group("db", "db");
        String rules = "/v2.0/security-group-rules";
        call(member, "POST", rules, rule(db, "\"protocol\":\"tcp\",\"port_range_min\":3306,\"port_range_max\":3306,\"remote_group_id\":\"" + web + "\""));
        s.post(member, "/v1/vnics", "{\"name\":\"user\",\"mac\":\"52:54:00:00:40:01\",\"securityGroups\":[\"web\"]}");
        long before = s.get(s.adminToken, "/healthz").json().path("revision").asLong();

        neutronError(call(member, "POST", "/v2.0/security-groups", "{\"security_group\":"), 400, "HTTPBadRequest", "Malformed request body");
        neutronError(call(member, "POST", "/v2.0/security-groups", "{\"group\":{}}"), 400, "HTTPBadRequest", "Unable to find 'security_group'");
        neutronError(call(member, "POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"x\",\"colour\":1}}"), 400, "HTTPBadRequest",
                "Unrecognized attribute(s) 'colour'");
        neutronError(call(member, "POST", "/v2.0/security-groups", "{\"security_group\":{\"id\":\"x\"}}"), 400, "HTTPBadRequest", "Attribute 'id' not allowed in POST");
        neutronError(call(member, "PUT", "/v2.0/security-groups/" + web, "{\"security_group\":{\"project_id\":\"x\"}}"), 400, "HTTPBadRequest",
                "Cannot update read-only attribute project_id");
        neutronError(call(member, "POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":7}}"), 400, "InvalidInput", "Invalid input for name");
        neutronError(call(member, "POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"default\"}}"), 409, "SecurityGroupInUse", "default");
        neutronError(get("/v2.0/security-groups/nosuch"), 404, "SecurityGroupNotFound", "Security group nosuch does not exist");
        neutronError(call(member, "DELETE", "/v2.0/security-groups/" + web, null), 409, "SecurityGroupInUse", "in use");
        String dflt = get("/v2.0/security-groups?name=default").json().path("security_groups").get(0).path("id").asText();
        neutronError(call(member, "PUT", "/v2.0/security-groups/" + dflt, "{\"security_group\":{\"name\":\"x\"}}"), 409, "SecurityGroupInUse", "cannot be renamed");
        neutronError(call(member, "DELETE", "/v2.0/security-groups/" + dflt, null), 409, "SecurityGroupInUse", "cannot be removed");

        neutronError(call(member, "POST", rules, rule(web, "\"port_range_min\":22")), 400, "InvalidInput", "Must also specify protocol if port range is given.");
        neutronError(call(member, "POST", rules, rule(web, "\"protocol\":\"tcp\",\"port_range_min\":30,\"port_range_max\":20")), 400, "InvalidInput",
                "port_range_min must be <= port_range_max");
        neutronError(call(member, "POST", rules, rule(web, "\"protocol\":\"icmp\",\"port_range_max\":1")), 400, "InvalidInput",
                "ICMP code (port-range-max) 1 is provided but ICMP type (port-range-min) is missing.");
        neutronError(call(member, "POST", rules, rule(web, "\"protocol\":\"tcp\",\"remote_ip_prefix\":\"::/0\"")), 400, "InvalidInput",
                "Conflicting value ethertype IPv4 for CIDR ::/0");
        neutronError(call(member, "POST", rules, rule(web, "\"remote_ip_prefix\":\"192.0.2.0/24\",\"remote_group_id\":\"" + db + "\"")), 400, "InvalidInput",
                "Only remote_ip_prefix, remote_group_id or remote_address_group_id may be provided.");
        neutronError(call(member, "POST", rules, rule(web, "\"protocol\":\"ipv6-icmp\"")), 400, "SecurityGroupEthertypeConflictWithProtocol",
                "Invalid ethertype IPv4 for protocol ipv6-icmp");
        neutronError(call(member, "POST", rules, rule(web, "\"remote_group_id\":\"nosuch\"")), 404, "SecurityGroupNotFound", "nosuch");
        neutronError(call(member, "POST", rules, "{\"security_group_rule\":{\"security_group_id\":\"" + web + "\"}}"), 400, "InvalidInput", "direction");
        neutronError(call(member, "POST", rules, rule(db, "\"protocol\":\"tcp\",\"port_range_min\":3306,\"port_range_max\":3306,\"remote_group_id\":\"" + web + "\"")),
                409, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is ");
        neutronError(get(rules + "/nosuch"), 404, "SecurityGroupRuleNotFound", "nosuch");

        assertThat(s.get(s.adminToken, "/healthz").json().path("revision").asLong()).isEqualTo(before);
    }

    private static String rule(String group, String fields) {
        return "{\"security_group_rule\":{\"security_group_id\":\"" + group + "\",\"direction\":\"ingress\"," + fields + "}}";
    }

    @Test
    void portSecurityAddressGroupsAndTags() {
        String web = group("web", "web");
        String vnic = s.post(member, "/v1/vnics", "{\"name\":\"p1\",\"mac\":\"52:54:00:00:20:01\",\"securityGroups\":[\"web\"]}").json().path("id").asText();
        String port = "/v2.0/ports/" + NeutronIds.uuid(vnic);
        neutronError(call(member, "PUT", port, "{\"port\":{\"port_security_enabled\":false,\"security_groups\":[]}}"), 403, "PolicyNotAuthorized",
                "placement field");
        neutronError(call(s.adminToken, "PUT", port, "{\"port\":{\"port_security_enabled\":false}}"), 409, "PortSecurityPortHasSecurityGroup", "Cannot disable port security");
        assertThat(call(s.adminToken, "PUT", port, "{\"port\":{\"port_security_enabled\":false,\"security_groups\":[]}}").json().path("port")
                .path("port_security_enabled").asBoolean()).isFalse();
        neutronError(call(member, "PUT", port, "{\"port\":{\"security_groups\":[\"" + web + "\"]}}"), 400, "PortSecurityAndIPRequiredForSecurityGroups",
                "Port security must be enabled");
        assertThat(s.get(member, "/v1/vnics/" + vnic).json().path("portSecurity").asBoolean()).isFalse();

        neutronError(call(member, "POST", "/v2.0/address-groups", "{\"address_group\":{\"name\":\"mixed\",\"addresses\":[\"192.0.2.0/24\",\"2001:db8::/32\"]}}"),
                400, "InvalidInput", "Invalid input for addresses. Reason: '2001:db8::/32' is IPv6 but the address group is IPv4");
        String ag = call(member, "POST", "/v2.0/address-groups", "{\"address_group\":{\"name\":\"v6\",\"addresses\":[]}}").json().path("address_group").path("id").asText();
        // An empty address group takes the family of its first addresses.
        assertThat(call(member, "PUT", "/v2.0/address-groups/" + ag + "/add_addresses", "{\"addresses\":[\"2001:db8::/48\"]}").json()
                .path("address_group").path("addresses").toString()).isEqualTo("[\"2001:db8::/48\"]");
        assertThat(s.get(member, "/v1/ip-sets/" + "v6").json().path("version").asInt()).isEqualTo(6);
        neutronError(call(member, "PUT", "/v2.0/address-groups/" + ag + "/add_addresses", "{\"addresses\":[\"2001:db8::/48\"]}"), 400, "InvalidInput", "already in");
        neutronError(call(member, "PUT", "/v2.0/address-groups/" + ag + "/remove_addresses", "{\"addresses\":[\"2001:db8:1::/48\"]}"), 404, "AddressGroupNotFound",
                "not in");
        call(member, "POST", "/v2.0/security-group-rules", "{\"security_group_rule\":{\"security_group_id\":\"" + web
                + "\",\"direction\":\"ingress\",\"ethertype\":\"IPv6\",\"remote_address_group_id\":\"" + ag + "\"}}");
        neutronError(call(member, "DELETE", "/v2.0/address-groups/" + ag, null), 409, "Conflict", "is used by rules");

        String tags = "/v2.0/security-groups/" + web + "/tags";
        assertThat(call(member, "PUT", tags, "{\"tags\":[\"b\",\"a\",\"b\"]}").json().path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(call(member, "PUT", tags + "/c", null).status()).isEqualTo(201);
        assertThat(call(member, "GET", tags + "/c", null).status()).isEqualTo(204);
        neutronError(call(member, "GET", tags + "/z", null), 404, "TagNotFound", "Tag z could not be found.");
        neutronError(call(member, "DELETE", tags + "/z", null), 404, "TagNotFound", "Tag z could not be found.");
        assertThat(call(member, "DELETE", tags + "/a", null).status()).isEqualTo(204);
        assertThat(get("/v2.0/security-groups?tags=b,c").json().findValuesAsText("name")).containsExactly("web");
        assertThat(get("/v2.0/security-groups?not-tags-any=c").json().findValuesAsText("name")).containsExactly("default");
        assertThat(get("/v2.0/security-groups?tags-any=x,c&fields=tags").json().path("security_groups").get(0).path("tags").toString()).isEqualTo("[\"b\",\"c\"]");
        neutronError(call(member, "PUT", tags, "{\"tags\":[\"" + "t".repeat(61) + "\"]}"), 400, "InvalidInput", "1..60 characters");

        // Ids and tags are the same after a restart.
        s.restart();
        assertThat(get("/v2.0/security-groups/" + web).json().path("security_group").path("tags").toString()).isEqualTo("[\"b\",\"c\"]");
        assertThat(get(port).json().path("port").path("name").asText()).isEqualTo("p1");
        assertThat(call(member, "DELETE", tags, null).status()).isEqualTo(204);
        assertThat(get("/v2.0/security-groups/" + web).json().path("security_group").path("tags").toString()).isEqualTo("[]");
    }

    @Test
    void portsNetworksAndExtensions() {
        s.post(s.adminToken, "/v1/hosts", "{\"name\":\"hv1\"}");
        s.post(s.adminToken, "/v1/networks", "{\"name\":\"net1\",\"subnets\":[\"192.0.2.0/24\"]}");
        JsonNode net = get("/v2.0/networks?name=net1").json().path("networks").get(0);
        String subnet = net.path("subnets").get(0).asText();
        String bound = "{\"port\":{\"name\":\"p2\",\"project_id\":\"" + project + "\",\"network_id\":\"" + net.path("id").asText()
                + "\",\"binding:host_id\":\"hv1\",\"fixed_ips\":[{\"subnet_id\":\"" + subnet + "\",\"ip_address\":\"192.0.2.50\"}]}}";
        // binding:host_id is a placement field: admin (or the service role) only, as in Neutron.
        neutronError(call(member, "POST", "/v2.0/ports", bound.replace("\"project_id\":\"" + project + "\",", "")), 403,
                "PolicyNotAuthorized", "placement field");
        TestServer.Response created = call(s.adminToken, "POST", "/v2.0/ports", bound);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode port = created.json().path("port");
        String dflt = get("/v2.0/security-groups?name=default").json().path("security_groups").get(0).path("id").asText();
        assertThat(port.path("security_groups").toString()).isEqualTo("[\"" + dflt + "\"]");
        assertThat(port.path("status").asText()).as("no agent has applied it yet").isEqualTo("DOWN");
        assertThat(port.path("binding:host_id").asText()).isEqualTo("hv1");
        TestServer.Response seen = call(member, "GET", "/v2.0/ports/" + port.path("id").asText(), null);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.json().path("port").has("binding:host_id")).as("where a port is bound is the operator's (Neutron: admin only)").isFalse();
        assertThat(call(member, "GET", "/v2.0/ports", null).json().findValues("binding:host_id")).isEmpty();
        assertThat(port.path("fixed_ips").get(0).path("subnet_id").asText()).isEqualTo(subnet);
        JsonNode vnic = s.get(member, "/v1/vnics?name=p2").json().path("items").get(0);
        assertThat(vnic.path("device").asText()).isEqualTo("tap" + port.path("id").asText().substring(0, 11));
        JsonNode some = get("/v2.0/ports/" + port.path("id").asText() + "?fields=id&fields=mac_address").json().path("port");
        assertThat(some.size()).isEqualTo(2);
        assertThat(some.path("mac_address").asText()).startsWith("fa:16:3e:");
        neutronError(call(member, "POST", "/v2.0/ports", "{\"port\":{\"network_id\":\"nosuch\"}}"), 404, "NetworkNotFound", "nosuch");
        neutronError(call(member, "POST", "/v2.0/ports", "{\"port\":{\"network_id\":\"" + net.path("id").asText() + "\",\"mac_address\":\""
                + port.path("mac_address").asText() + "\"}}"), 409, "Conflict", "already port " + port.path("id").asText());
        assertThat(call(member, "DELETE", "/v2.0/ports/" + port.path("id").asText(), null).status()).isEqualTo(204);
        neutronError(get("/v2.0/ports/" + port.path("id").asText()), 404, "PortNotFound", "could not be found");

        assertThat(get("/v2.0/extensions").json().path("extensions").findValuesAsText("alias")).contains("security-group", "standard-attr-tag");
        assertThat(get("/v2.0/extensions/address-group").json().path("extension").path("name").asText()).isEqualTo("Address group");
        neutronError(get("/v2.0/extensions/qos"), 404, "ExtensionNotFound", "qos");
    }

    @Test
    void ifMatchChangesOnlyTheRevisionItNames() {
        String web = group("web", "web");
        long rev = get("/v2.0/security-groups/" + web).json().path("security_group").path("revision_number").asLong();
        String rename = "{\"security_group\":{\"name\":\"web2\"}}";
        neutronError(s.send("PUT", "/v2.0/security-groups/" + web, rename, "X-Auth-Token", member, "Content-Type", "application/json",
                "If-Match", "revision_number=" + (rev - 1)), 412, "HTTPPreconditionFailed", "Constrained to " + (rev - 1) + ", but current revision is " + rev);
        neutronError(s.send("PUT", "/v2.0/security-groups/" + web, rename, "X-Auth-Token", member, "Content-Type", "application/json", "If-Match", "soon"),
                400, "HTTPBadRequest", "If-Match must be revision_number=N");
        assertThat(get("/v2.0/security-groups/" + web).json().path("security_group").path("name").asText()).isEqualTo("web");
        TestServer.Response ok = s.send("PUT", "/v2.0/security-groups/" + web, rename, "X-Auth-Token", member, "Content-Type", "application/json",
                "If-Match", "revision_number=" + rev);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(ok.json().path("security_group").path("revision_number").asLong()).isGreaterThan(rev);
        // A tag change is a change of the group: the old revision no longer matches.
        call(member, "PUT", "/v2.0/security-groups/" + web + "/tags/t", null);
        long tagged = get("/v2.0/security-groups/" + web).json().path("security_group").path("revision_number").asLong();
        neutronError(s.send("DELETE", "/v2.0/security-groups/" + web, null, "X-Auth-Token", member, "If-Match", "revision_number=" + (tagged - 1)),
                412, "HTTPPreconditionFailed", "current revision is " + tagged);
        assertThat(s.send("DELETE", "/v2.0/security-groups/" + web, null, "X-Auth-Token", member, "If-Match", "revision_number=" + tagged).status()).isEqualTo(204);
    }
}
