package io.stockade.server.neutron;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.policy.Policy;
import io.stockade.server.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cases of Neutron's own unit tests (test_securitygroup.py, test_securitygroups_db.py,
 * test_security_groups_normalized_cidr.py, test_address_group.py, neutron-lib's validators) that
 * the openstack client cannot express, over HTTP under the openstack profile.
 */
class NeutronDialectTest {
    private TestServer s;
    private String member;

    @BeforeEach
    void start() throws Exception {
        s = new TestServer("sqlite", Policy.profile(Policy.OPENSTACK));
        member = s.project("demo")[1];
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private TestServer.Response call(String method, String path, String body) {
        return body == null ? s.send(method, path, null, "X-Auth-Token", member)
                : s.send(method, path, body, "X-Auth-Token", member, "Content-Type", "application/json");
    }

    private String group(String name) {
        TestServer.Response r = call("POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"" + name + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("security_group").path("id").asText();
    }

    private TestServer.Response rule(String group, String fields) {
        return call("POST", "/v2.0/security-group-rules", "{\"security_group_rule\":{\"security_group_id\":\"" + group + "\",\"direction\":\"ingress\"" + fields + "}}");
    }

    private static void neutronError(TestServer.Response r, int status, String type, String message) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.json().path("NeutronError").path("type").asText()).as(r.text()).isEqualTo(type);
        assertThat(r.json().path("NeutronError").path("message").asText()).as(r.text()).contains(message);
    }

    @Test
    void everyProtocolOfIpProtocolMapIsAcceptedAndEchoedAsGiven() {
        String g = group("protocols");
        List<String> v4 = List.of("ah", "dccp", "egp", "esp", "gre", "icmp", "igmp", "ipip", "ospf", "pgm", "rsvp", "sctp", "tcp", "udp", "udplite", "vrrp");
        for (String p : v4) {
            TestServer.Response r = rule(g, ",\"ethertype\":\"IPv4\",\"protocol\":\"" + p.toUpperCase() + "\"");
            assertThat(r.status()).as(p + ": " + r.text()).isEqualTo(201);
            assertThat(r.json().path("security_group_rule").path("protocol").asText()).isEqualTo(p);
        }
        for (String p : List.of("ipv6-encap", "ipv6-frag", "ipv6-icmp", "ipv6-nonxt", "ipv6-opts", "ipv6-route")) {
            TestServer.Response r = rule(g, ",\"ethertype\":\"IPv6\",\"protocol\":\"" + p + "\"");
            assertThat(r.status()).as(p + ": " + r.text()).isEqualTo(201);
            assertThat(r.json().path("security_group_rule").path("protocol").asText()).isEqualTo(p);
        }
        List<String> listed = call("GET", "/v2.0/security-group-rules?security_group_id=" + g, null).json().findValuesAsText("protocol");
        assertThat(listed).contains("egp", "rsvp", "ipv6-route", "ipv6-nonxt");

        String n = group("numbers");
        TestServer.Response asNumber = rule(n, ",\"ethertype\":\"IPv6\",\"protocol\":\"58\"");
        assertThat(asNumber.json().path("security_group_rule").path("protocol").asText()).isEqualTo("58");
        TestServer.Response asInteger = rule(n, ",\"protocol\":6,\"port_range_min\":22,\"port_range_max\":22");
        assertThat(asInteger.json().path("security_group_rule").path("protocol").asText()).isEqualTo("6");
        // Kept as given: every later read shows the spelling of the create, as Neutron stores it.
        String legacy = group("legacy");
        rule(legacy, ",\"ethertype\":\"IPv6\",\"protocol\":\"ICMPv6\"");
        for (String[] asGiven : new String[][] {{n, "58"}, {legacy, "icmpv6"}}) {
            JsonNode listed6 = call("GET", "/v2.0/security-group-rules?security_group_id=" + asGiven[0] + "&ethertype=IPv6&direction=ingress", null).json();
            assertThat(listed6.findValuesAsText("protocol")).as(asGiven[1]).containsExactly(asGiven[1]);
        }
        String sixId = asInteger.json().path("security_group_rule").path("id").asText();
        assertThat(call("GET", "/v2.0/security-group-rules/" + sixId, null).json().path("security_group_rule").path("protocol").asText()).isEqualTo("6");
        assertThat(call("GET", "/v2.0/security-groups/" + n, null).json().path("security_group").path("security_group_rules")
                .findValuesAsText("protocol")).contains("58", "6");
        // /v1 and the rule text keep the one canonical rule.
        assertThat(s.get(member, "/v1/security-groups/numbers").json().path("rules").findValuesAsText("text"))
                .contains("tcp:22,22,ip4:0.0.0.0");
        neutronError(rule(n, ",\"ethertype\":\"IPv6\",\"protocol\":\"ipv6-icmp\""), 409, "SecurityGroupRuleExists", "already exists");
        // Protocol 0 ("ip", "hopopt", "0") is every protocol to Neutron's firewalls: the same rule as none.
        TestServer.Response ip = rule(n, ",\"protocol\":\"ip\",\"remote_ip_prefix\":\"192.0.2.0/24\"");
        assertThat(ip.status()).as(ip.text()).isEqualTo(201);
        assertThat(ip.json().path("security_group_rule").path("protocol").asText()).isEqualTo("ip");
        TestServer.Response hopopt = rule(n, ",\"protocol\":\"hopopt\",\"remote_ip_prefix\":\"203.0.113.0/24\"");
        assertThat(hopopt.status()).as(hopopt.text()).isEqualTo(201);
        assertThat(hopopt.json().path("security_group_rule").path("protocol").asText()).isEqualTo("hopopt");
        neutronError(rule(n, ",\"protocol\":\"0\",\"remote_ip_prefix\":\"192.0.2.0/24\""), 409, "SecurityGroupRuleExists", "already exists");
        neutronError(rule(n, ",\"protocol\":\"256\""), 400, "InvalidInput", "protocol 256 not supported");
        neutronError(rule(n, ",\"protocol\":\"tcpx\""), 400, "InvalidInput", "rsvp");
    }

    @Test
    void ipv6OnlyProtocolsAreRefusedInIpv4Rules() {
        String g = group("v6only");
        for (String p : List.of("ipv6-encap", "41", "43", "44", "ipv6-icmp", "icmpv6", "58", "59", "60")) {
            neutronError(rule(g, ",\"ethertype\":\"IPv4\",\"protocol\":\"" + p + "\""), 400, "SecurityGroupEthertypeConflictWithProtocol",
                    "Invalid ethertype IPv4 for protocol " + p);
        }
        assertThat(call("GET", "/v2.0/security-group-rules?security_group_id=" + g, null).json().path("security_group_rules")).hasSize(2);
    }

    @Test
    void theBodyIsJudgedBeforeTheGroupItNames() {
        String nowhere = NeutronIds.uuid("sg-nowhere");
        neutronError(rule(nowhere, ",\"protocol\":\"tcp\",\"port_range_min\":0,\"port_range_max\":22"), 400, "InvalidInput", "port 0");
        neutronError(rule(nowhere, ",\"protocol\":\"bogus\""), 400, "InvalidInput", "not supported");
        neutronError(rule(nowhere, ",\"protocol\":\"tcp\""), 404, "SecurityGroupNotFound", nowhere);
        String noGroup = NeutronIds.uuid("ips-nowhere");
        neutronError(call("PUT", "/v2.0/address-groups/" + noGroup + "/add_addresses", "{\"address\":[]}"), 400, "HTTPBadRequest", "addresses");
        neutronError(call("PUT", "/v2.0/address-groups/" + noGroup + "/add_addresses", "{\"addresses\":[\"192.0.2.0/24\"]}"), 404, "AddressGroupNotFound", noGroup);
    }

    @Test
    void remotePrefixesAsNeutronShowsThem() {
        String g = group("prefixes");
        JsonNode hostBits = rule(g, ",\"protocol\":\"tcp\",\"port_range_min\":80,\"port_range_max\":80,\"remote_ip_prefix\":\"192.0.2.7/24\"")
                .json().path("security_group_rule");
        assertThat(hostBits.path("remote_ip_prefix").asText()).isEqualTo("192.0.2.7/24");
        assertThat(hostBits.path("normalized_cidr").asText()).isEqualTo("192.0.2.0/24");
        JsonNode none = rule(g, ",\"protocol\":\"udp\"").json().path("security_group_rule");
        assertThat(none.path("remote_ip_prefix").isNull()).isTrue();
        assertThat(none.path("normalized_cidr").isNull()).isTrue();
        // str(netaddr.IPNetwork(text)): a bare address gets its full length, IPv6 its short lower-case form.
        JsonNode bare = rule(g, ",\"protocol\":\"tcp\",\"port_range_min\":81,\"port_range_max\":81,\"remote_ip_prefix\":\"198.51.100.9\"")
                .json().path("security_group_rule");
        assertThat(bare.path("remote_ip_prefix").asText()).isEqualTo("198.51.100.9/32");
        JsonNode v6 = rule(g, ",\"ethertype\":\"IPv6\",\"protocol\":\"tcp\",\"port_range_min\":82,\"port_range_max\":82,"
                + "\"remote_ip_prefix\":\"2001:DB8:0::1/64\"").json().path("security_group_rule");
        assertThat(v6.path("remote_ip_prefix").asText()).isEqualTo("2001:db8::1/64");
        assertThat(v6.path("normalized_cidr").asText()).isEqualTo("2001:db8::/64");
        // Every later read shows what the create answered.
        for (JsonNode made : List.of(hostBits, none, bare, v6)) {
            JsonNode shown = call("GET", "/v2.0/security-group-rules/" + made.path("id").asText(), null).json().path("security_group_rule");
            assertThat(shown).isEqualTo(made);
        }
        JsonNode listed = call("GET", "/v2.0/security-group-rules?security_group_id=" + g + "&direction=ingress", null).json().path("security_group_rules");
        assertThat(listed.findValuesAsText("remote_ip_prefix")).containsExactlyInAnyOrder("192.0.2.7/24", "null", "198.51.100.9/32", "2001:db8::1/64");
        // The allow-all egress rules Neutron makes itself have no prefix, in the default group and in new ones.
        for (String name : List.of("default", "prefixes")) {
            JsonNode group = call("GET", "/v2.0/security-groups?name=" + name, null).json().path("security_groups").get(0);
            for (JsonNode r : group.path("security_group_rules")) {
                if (r.path("direction").asText().equals("egress")) {
                    assertThat(r.path("remote_ip_prefix").isNull()).as(r.toString()).isTrue();
                    assertThat(r.path("protocol").isNull()).isTrue();
                }
            }
        }
    }

    @Test
    void defaultIsEveryProjectsOwnNameInAnyCase() {
        for (String name : List.of("DEFAULT", "Default", " default")) {
            TestServer.Response r = call("POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"" + name + "\"}}");
            assertThat(r.status()).as(name + ": " + r.text()).isEqualTo(409);
        }
        String g = group("web");
        assertThat(call("PUT", "/v2.0/security-groups/" + g, "{\"security_group\":{\"name\":\"DeFault\"}}").status()).isEqualTo(409);
        assertThat(call("GET", "/v2.0/security-groups", null).json().findValuesAsText("name")).containsExactlyInAnyOrder("default", "web");
    }

    @Test
    void aProjectWithoutItsDefaultGroupGetsItOnItsFirstRequest() {
        String dflt = call("GET", "/v2.0/security-groups?name=default", null).json().path("security_groups").get(0).path("id").asText();
        assertThat(s.send("DELETE", "/v2.0/security-groups/" + dflt, null, "X-Auth-Token", s.adminToken).status()).isEqualTo(204);
        assertThat(s.get(s.adminToken, "/v1/security-groups?name=default").json().path("total").asInt()).isZero();
        long before = s.get(s.adminToken, "/healthz").json().path("revision").asLong();
        JsonNode again = call("GET", "/v2.0/security-groups", null).json().path("security_groups");
        assertThat(again.findValuesAsText("name")).containsExactly("default");
        assertThat(again.get(0).path("id").asText()).isNotEqualTo(dflt);
        assertThat(again.get(0).path("security_group_rules")).hasSize(4);
        call("GET", "/v2.0/security-groups", null);
        assertThat(s.get(s.adminToken, "/healthz").json().path("revision").asLong()).as("made once").isEqualTo(before + 1);
    }

    @Test
    void deletingAGroupRemovesTheRulesThatReferenceItButNotWhilePortsUseIt() {
        String db = group("db");
        String app = group("app");
        String ref = rule(db, ",\"protocol\":\"tcp\",\"port_range_min\":5432,\"port_range_max\":5432,\"remote_group_id\":\"" + app + "\"")
                .json().path("security_group_rule").path("id").asText();
        assertThat(call("DELETE", "/v2.0/security-groups/" + app, null).status()).isEqualTo(204);
        assertThat(call("GET", "/v2.0/security-group-rules/" + ref, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v2.0/security-groups/" + db, null).json().path("security_group").path("security_group_rules")).hasSize(2);

        s.post(member, "/v1/vnics", "{\"name\":\"p1\",\"mac\":\"52:54:00:00:20:01\",\"securityGroups\":[\"db\"]}");
        neutronError(call("DELETE", "/v2.0/security-groups/" + db, null), 409, "SecurityGroupInUse", "in use");
    }

    @Test
    void addressGroupsNormalizeHostBitsMayBeUnnamedAndTakeEachAddressOnce() {
        TestServer.Response r = call("POST", "/v2.0/address-groups",
                "{\"address_group\":{\"name\":\"\",\"addresses\":[\"192.0.2.7/24\",\"192.0.2.0/24\",\"198.51.100.5/32\"]}}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode ag = r.json().path("address_group");
        assertThat(ag.path("name").asText()).isEmpty();
        assertThat(ag.path("addresses").toString()).isEqualTo("[\"192.0.2.0/24\",\"198.51.100.5/32\"]");
        String id = ag.path("id").asText();
        TestServer.Response added = call("PUT", "/v2.0/address-groups/" + id + "/add_addresses",
                "{\"addresses\":[\"203.0.113.9/24\",\"203.0.113.0/24\"]}");
        assertThat(added.status()).as(added.text()).isEqualTo(200);
        assertThat(added.json().path("address_group").path("addresses").toString()).contains("203.0.113.0/24");
        TestServer.Response again = call("PUT", "/v2.0/address-groups/" + id + "/add_addresses", "{\"addresses\":[\"203.0.113.0/24\"]}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(call("PUT", "/v2.0/address-groups/" + id + "/remove_addresses", "{\"addresses\":[\"203.0.113.1/24\"]}").status()).isEqualTo(200);
        TestServer.Response named = call("PUT", "/v2.0/address-groups/" + id, "{\"address_group\":{\"name\":\"office\"}}");
        assertThat(named.json().path("address_group").path("name").asText()).isEqualTo("office");
        TestServer.Response unnamed = call("PUT", "/v2.0/address-groups/" + id, "{\"address_group\":{\"name\":\"\"}}");
        assertThat(unnamed.json().path("address_group").path("name").asText()).isEmpty();
        assertThat(call("GET", "/v2.0/address-groups?name=", null).json().path("address_groups")).hasSize(1);
    }

    @Test
    void portsClearGroupsWithNullAreDownUntilAppliedAndFilterByFixedIp() {
        s.post(s.adminToken, "/v1/hosts", "{\"name\":\"hv1\"}");
        String vnic = s.post(s.adminToken, "/v1/vnics", "{\"project\":\"demo\",\"name\":\"p1\",\"host\":\"hv1\",\"device\":\"tapp1\",\"mac\":\"52:54:00:00:20:02\","
                + "\"addresses\":[\"192.0.2.20\"],\"securityGroups\":[\"default\"]}").json().path("id").asText();
        String port = NeutronIds.uuid(vnic);
        assertThat(call("GET", "/v2.0/ports/" + port, null).json().path("port").path("status").asText()).isEqualTo("DOWN");
        String hostToken = s.post(s.adminToken, "/v1/tokens", "{\"role\":\"host\",\"host\":\"hv1\"}").json().path("token").asText();
        long revision = s.get(s.adminToken, "/healthz").json().path("revision").asLong();
        assertThat(s.call(hostToken, "PUT", "/v1/hosts/hv1/status", "{\"appliedRevision\":" + revision + "}", "application/json").status()).isEqualTo(204);
        assertThat(call("GET", "/v2.0/ports/" + port, null).json().path("port").path("status").asText()).isEqualTo("ACTIVE");

        JsonNode listed = call("GET", "/v2.0/ports?fixed_ips=ip_address%3D192.0.2.20&fields=id&fields=security_group_ids", null).json().path("ports");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("security_groups")).hasSize(1);
        assertThat(call("GET", "/v2.0/ports?fixed_ips=ip_address%3D192.0.2.99", null).json().path("ports")).isEmpty();

        TestServer.Response cleared = call("PUT", "/v2.0/ports/" + port, "{\"port\":{\"security_groups\":null}}");
        assertThat(cleared.status()).as(cleared.text()).isEqualTo(200);
        assertThat(cleared.json().path("port").path("security_groups")).isEmpty();
        assertThat(cleared.json().path("port").path("status").asText()).as("changed since the agent applied it").isEqualTo("DOWN");
    }

    /** Issue 24: the spellings are stored with the rule, so a restart (SQLite and PostgreSQL) shows them as before. */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void asGivenSpellingsAreStored(String engine) throws Exception {
        try (TestServer t = new TestServer(engine, Policy.profile(Policy.OPENSTACK))) {
            String token = t.project("kept")[1];
            String g = t.send("POST", "/v2.0/security-groups", "{\"security_group\":{\"name\":\"kept\"}}", "X-Auth-Token", token,
                    "Content-Type", "application/json").json().path("security_group").path("id").asText();
            JsonNode made = t.send("POST", "/v2.0/security-group-rules", "{\"security_group_rule\":{\"security_group_id\":\"" + g
                    + "\",\"direction\":\"ingress\",\"ethertype\":\"IPv6\",\"protocol\":\"58\",\"remote_ip_prefix\":\"2001:db8::7/48\"}}",
                    "X-Auth-Token", token, "Content-Type", "application/json").json().path("security_group_rule");
            assertThat(made.path("protocol").asText()).isEqualTo("58");
            t.restart();
            JsonNode shown = t.send("GET", "/v2.0/security-group-rules/" + made.path("id").asText(), null, "X-Auth-Token", token)
                    .json().path("security_group_rule");
            assertThat(shown.path("protocol").asText()).isEqualTo("58");
            assertThat(shown.path("remote_ip_prefix").asText()).isEqualTo("2001:db8::7/48");
            assertThat(shown.path("normalized_cidr").asText()).isEqualTo("2001:db8::/48");
        }
    }

    @Test
    void bulkCreatesAllOrNone() {
        TestServer.Response groups = call("POST", "/v2.0/security-groups", "{\"security_groups\":[{\"name\":\"a\"},{\"name\":\"b\",\"description\":\"bee\"}]}");
        assertThat(groups.status()).as(groups.text()).isEqualTo(201);
        assertThat(groups.json().path("security_groups").findValuesAsText("name")).containsExactly("a", "b");
        String a = groups.json().path("security_groups").get(0).path("id").asText();
        // One store transaction: both groups have the one revision the write made.
        long afterGroups = revision();
        assertThat(groups.json().path("security_groups").findValuesAsText("revision_number")).containsOnly(Long.toString(afterGroups));
        assertThat(s.get(s.adminToken, "/v1/audit?since=" + (afterGroups - 1)).json().path("items").findValuesAsText("revision"))
                .containsOnly(Long.toString(afterGroups)).hasSize(2);
        TestServer.Response rules = call("POST", "/v2.0/security-group-rules", "{\"security_group_rules\":["
                + "{\"security_group_id\":\"" + a + "\",\"direction\":\"ingress\",\"protocol\":\"tcp\",\"port_range_min\":22,\"port_range_max\":22},"
                + "{\"security_group_id\":\"" + a + "\",\"direction\":\"ingress\",\"protocol\":\"udp\",\"port_range_min\":53,\"port_range_max\":53}]}");
        assertThat(rules.status()).as(rules.text()).isEqualTo(201);
        assertThat(rules.json().path("security_group_rules").findValuesAsText("protocol")).containsExactly("tcp", "udp");
        assertThat(revision()).as("both rules in one revision").isEqualTo(afterGroups + 1);
        assertThat(rules.json().path("security_group_rules").findValuesAsText("revision_number")).containsOnly(Long.toString(afterGroups + 1));

        long before = s.get(s.adminToken, "/v1/security-groups").json().path("total").asLong();
        long revisionBefore = revision();
        neutronError(call("POST", "/v2.0/security-groups", "{\"security_groups\":[{\"name\":\"c\"},{\"name\":\"Default\"}]}"), 409,
                "SecurityGroupInUse", "default");
        assertThat(s.get(s.adminToken, "/v1/security-groups").json().path("total").asLong()).as("none made").isEqualTo(before);
        neutronError(call("POST", "/v2.0/security-group-rules", "{\"security_group_rules\":["
                + "{\"security_group_id\":\"" + a + "\",\"direction\":\"ingress\",\"protocol\":\"icmp\"},"
                + "{\"security_group_id\":\"" + a + "\",\"direction\":\"ingress\",\"protocol\":\"tcp\",\"port_range_min\":22,\"port_range_max\":22}]}"),
                409, "SecurityGroupRuleExists", "already exists");
        assertThat(call("GET", "/v2.0/security-group-rules?security_group_id=" + a, null).json().findValuesAsText("protocol")).doesNotContain("icmp");
        neutronError(call("POST", "/v2.0/security-groups", "{\"security_groups\":[]}"), 400, "HTTPBadRequest", "at least one");
        assertThat(revision()).as("a failed bulk create writes nothing, not even undone items").isEqualTo(revisionBefore);
        // Items of one bulk are judged with the ones before them: a name twice in one request is a duplicate of the first.
        neutronError(call("POST", "/v2.0/security-group-rules", "{\"security_group_rules\":["
                + "{\"security_group_id\":\"" + a + "\",\"direction\":\"egress\",\"protocol\":\"sctp\",\"remote_ip_prefix\":\"192.0.2.0/24\"},"
                + "{\"security_group_id\":\"" + a + "\",\"direction\":\"egress\",\"protocol\":\"132\",\"remote_ip_prefix\":\"192.0.2.9/24\"}]}"),
                409, "SecurityGroupRuleExists", "already exists");
        assertThat(revision()).isEqualTo(revisionBefore);
    }

    private long revision() {
        return s.get(s.adminToken, "/healthz").json().path("revision").asLong();
    }

    @Test
    void portDescriptionsAreStoredAndChanged() {
        s.post(s.adminToken, "/v1/networks", "{\"name\":\"dnet\",\"subnets\":[\"203.0.113.0/28\"]}");
        String net = call("GET", "/v2.0/networks?name=dnet", null).json().path("networks").get(0).path("id").asText();
        TestServer.Response made = call("POST", "/v2.0/ports", "{\"port\":{\"network_id\":\"" + net + "\",\"description\":\"web front\"}}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        String port = made.json().path("port").path("id").asText();
        assertThat(made.json().path("port").path("description").asText()).isEqualTo("web front");
        TestServer.Response changed = call("PUT", "/v2.0/ports/" + port, "{\"port\":{\"description\":\"db tier\"}}");
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(call("GET", "/v2.0/ports/" + port, null).json().path("port").path("description").asText()).isEqualTo("db tier");
        assertThat(call("GET", "/v2.0/ports?description=db%20tier", null).json().path("ports")).hasSize(1);
        JsonNode vnic = s.get(member, "/v1/vnics").json().path("items").get(0);
        assertThat(vnic.path("description").asText()).isEqualTo("db tier");
        neutronError(call("PUT", "/v2.0/ports/" + port, "{\"port\":{\"description\":\"" + "x".repeat(1025) + "\"}}"), 400, "InvalidInput", "description");
        assertThat(call("GET", "/v2.0/ports/" + port, null).json().path("port").path("description").asText()).isEqualTo("db tier");
    }

    @Test
    void portCreateAllocatesAFreeAddressAndAttachesDefault() {
        s.post(s.adminToken, "/v1/networks", "{\"name\":\"net1\",\"subnets\":[\"192.0.2.0/29\",\"2001:db8::/64\"],\"gateways\":[\"192.0.2.1\"]}");
        s.post(member, "/v1/vnics", "{\"mac\":\"52:54:00:00:20:09\",\"network\":\"net1\",\"addresses\":[\"192.0.2.2\"]}");
        JsonNode net = call("GET", "/v2.0/networks?name=net1", null).json().path("networks").get(0);
        String dflt = call("GET", "/v2.0/security-groups?name=default", null).json().path("security_groups").get(0).path("id").asText();
        JsonNode p1 = call("POST", "/v2.0/ports", "{\"port\":{\"network_id\":\"" + net.path("id").asText() + "\"}}").json().path("port");
        assertThat(p1.path("fixed_ips").findValuesAsText("ip_address")).containsExactly("192.0.2.3");
        assertThat(p1.path("security_groups").toString()).isEqualTo("[\"" + dflt + "\"]");
        String v6 = net.path("subnets").get(1).asText();
        JsonNode p2 = call("POST", "/v2.0/ports", "{\"port\":{\"network_id\":\"" + net.path("id").asText() + "\",\"fixed_ips\":[{\"subnet_id\":\"" + v6
                + "\"},{\"ip_address\":\"192.0.2.6\"}]}}").json().path("port");
        assertThat(p2.path("fixed_ips").findValuesAsText("ip_address")).containsExactly("2001:db8::1", "192.0.2.6");
        for (String expected : List.of("192.0.2.4", "192.0.2.5")) {
            JsonNode p = call("POST", "/v2.0/ports", "{\"port\":{\"network_id\":\"" + net.path("id").asText() + "\"}}").json().path("port");
            assertThat(p.path("fixed_ips").findValuesAsText("ip_address")).containsExactly(expected);
        }
        neutronError(call("POST", "/v2.0/ports", "{\"port\":{\"network_id\":\"" + net.path("id").asText() + "\"}}"), 409,
                "IpAddressGenerationFailure", "No more IP addresses available");
    }

    @Test
    void theV2RootListsItsResources() {
        TestServer.Response r = call("GET", "/v2.0/", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("resources").findValuesAsText("collection")).contains("security_groups", "security_group_rules", "address_groups", "ports");
        assertThat(r.json().path("resources").get(0).path("links").get(0).path("href").asText()).isEqualTo(s.url() + "/v2.0/security-groups");
    }
}
