package io.stockade.server.neutron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.policy.Policy;
import io.stockade.server.TestServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real {@code openstack} client (python3-openstackclient) against a real server, with
 * {@code --os-auth-type admin_token}: groups, rules of every kind, address groups, ports, output
 * as JSON and the messages of refused input.
 */
class OpenstackCliTest {
    private static TestServer s;
    private static OpenstackClient os;
    private static String member;
    private static String project;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(OpenstackClient.BINARY), "needs the openstack client at /usr/bin/openstack (Debian package python3-openstackclient)");
        s = new TestServer("sqlite", Policy.profile(Policy.OPENSTACK));
        String[] p = s.project("demo");
        project = p[0];
        member = p[1];
        os = new OpenstackClient(s.url());
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
    }

    private static OpenstackClient.Result ok(String... args) {
        OpenstackClient.Result r = os.run(member, args);
        assertThat(r.exit()).as("openstack %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }

    private static String fails(String... args) {
        OpenstackClient.Result r = os.run(member, args);
        assertThat(r.exit()).as("openstack %s: %s", String.join(" ", args), r.out()).isEqualTo(1);
        return r.err();
    }

    @Test
    void groupsRulesAddressGroupsAndPorts() {
        JsonNode web = ok("security group create", "web", "--description", "web servers", "-f", "json").json();
        String webId = web.path("id").asText();
        assertThat(webId).matches("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(web.path("stateful").asBoolean()).isTrue();
        assertThat(web.path("project_id").asText()).isEqualTo(project);
        // The openstack profile: a new group may send anything, IPv4 and IPv6.
        assertThat(web.path("rules").findValuesAsText("direction")).containsExactly("egress", "egress");
        JsonNode db = ok("security group create", "db", "--stateful", "--tag", "mysql", "--tag", "prod", "-f", "json").json();
        String dbId = db.path("id").asText();
        assertThat(db.path("tags").toString()).isEqualTo("[\"mysql\",\"prod\"]");
        ok("security group set", "web", "--tag", "prod");
        assertThat(ok("security group list", "--tags", "prod", "-f", "json").json().findValuesAsText("Name")).containsExactlyInAnyOrder("web", "db");
        ok("security group unset", "db", "--tag", "prod");
        assertThat(ok("security group list", "--tags", "prod", "-f", "json").json().findValuesAsText("Name")).containsExactly("web");

        JsonNode list = ok("security group list", "-f", "json").json();
        assertThat(list.findValuesAsText("Name")).containsExactlyInAnyOrder("default", "web", "db");
        assertThat(list.findValuesAsText("Project")).containsOnly(project);

        ok("security group set", "web", "--name", "web2", "--description", "front ends");
        JsonNode shown = ok("security group show", "web2", "-f", "json").json();
        assertThat(shown.path("id").asText()).isEqualTo(webId);
        assertThat(shown.path("description").asText()).isEqualTo("front ends");
        assertThat(shown.path("revision_number").asLong()).isPositive();
        assertThat(shown.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        JsonNode ssh = ok("security group rule create", "--protocol", "tcp", "--dst-port", "22", "--remote-ip", "0.0.0.0/0", "web2", "-f", "json").json();
        assertThat(ssh.path("port_range_min").asInt()).isEqualTo(22);
        assertThat(ssh.path("port_range_max").asInt()).isEqualTo(22);
        assertThat(ssh.path("ether_type").asText()).isEqualTo("IPv4");
        assertThat(ssh.path("security_group_id").asText()).isEqualTo(webId);
        JsonNode mysql = ok("security group rule create", "--protocol", "tcp", "--dst-port", "3306", "--remote-group", "web2", "db", "-f", "json").json();
        assertThat(mysql.path("remote_group_id").asText()).isEqualTo(webId);
        assertThat(mysql.path("remote_ip_prefix").isNull()).isTrue();
        JsonNode icmp = ok("security group rule create", "--protocol", "icmp", "--icmp-type", "3", "--icmp-code", "0", "web2", "-f", "json").json();
        assertThat(icmp.path("port_range_min").asInt()).isEqualTo(3);
        assertThat(icmp.path("port_range_max").asInt()).isEqualTo(0);
        JsonNode v6 = ok("security group rule create", "--egress", "--ethertype", "IPv6", "--protocol", "tcp", "--dst-port", "443",
                "--remote-ip", "2001:db8::/32", "web2", "-f", "json").json();
        assertThat(v6.path("direction").asText()).isEqualTo("egress");
        assertThat(v6.path("remote_ip_prefix").asText()).isEqualTo("2001:db8::/32");
        ok("security group rule create", "--protocol", "udp", "--dst-port", "5000:5010", "web2");
        JsonNode any = ok("security group rule create", "--ingress", "--protocol", "any", "--remote-ip", "198.51.100.0/24", "web2", "-f", "json").json();
        assertThat(any.path("protocol").isNull()).isTrue();

        JsonNode ag = ok("address group create", "ag1", "--address", "192.0.2.0/24", "--address", "198.51.100.5", "-f", "json").json();
        assertThat(ag.path("addresses").toString()).contains("192.0.2.0/24", "198.51.100.5/32");
        JsonNode fromAg = ok("security group rule create", "--protocol", "udp", "--dst-port", "53", "--remote-address-group", "ag1", "web2", "-f", "json").json();
        assertThat(fromAg.path("remote_address_group_id").asText()).isEqualTo(ag.path("id").asText());
        ok("address group set", "ag1", "--description", "resolvers", "--address", "203.0.113.0/24");
        ok("address group unset", "ag1", "--address", "192.0.2.0/24");
        JsonNode agShown = ok("address group show", "ag1", "-f", "json").json();
        assertThat(agShown.path("description").asText()).isEqualTo("resolvers");
        assertThat(agShown.path("addresses").toString()).contains("203.0.113.0/24", "198.51.100.5/32").doesNotContain("192.0.2.0/24");

        JsonNode rules = ok("security group rule list", "web2", "-f", "json").json();
        assertThat(rules).hasSize(2 + 6);
        List<String> ranges = new ArrayList<>(rules.findValuesAsText("Port Range"));
        assertThat(ranges).contains("22:22", "5000:5010", "type=3");
        JsonNode one = ok("security group rule show", ssh.path("id").asText(), "-f", "json").json();
        assertThat(one.path("remote_ip_prefix").asText()).isEqualTo("0.0.0.0/0");
        ok("security group rule delete", ssh.path("id").asText());
        assertThat(fails("security group rule delete", ssh.path("id").asText())).contains("No SecurityGroupRule found for " + ssh.path("id").asText());

        // Ports are vnics: made through the native API, given groups by the openstack client.
        String vnic = s.post(s.adminToken, "/v1/vnics", "{\"project\":\"" + project + "\",\"name\":\"port1\",\"mac\":\"52:54:00:00:10:01\",\"addresses\":[\"192.0.2.10\"]}").json().path("id").asText();
        ok("port set", "--security-group", "web2", "--security-group", "db", "port1");
        JsonNode port = ok("port show", "port1", "-f", "json").json();
        assertThat(port.path("security_group_ids").toString()).contains(webId, dbId);
        assertThat(port.path("mac_address").asText()).isEqualTo("52:54:00:00:10:01");
        assertThat(s.get(member, "/v1/vnics/" + vnic).json().path("securityGroups").toString()).contains("\"sg-");
        s.post(s.adminToken, "/v1/networks", "{\"name\":\"net1\",\"subnets\":[\"192.0.2.0/24\"]}");
        JsonNode port2 = ok("port create", "--network", "net1", "--fixed-ip", "ip-address=192.0.2.11", "--security-group", "db", "port2", "-f", "json").json();
        assertThat(port2.path("mac_address").asText()).startsWith("fa:16:3e:");
        assertThat(port2.path("security_group_ids").toString()).contains(dbId);
        assertThat(port2.path("fixed_ips").toString()).contains("192.0.2.11");
        assertThat(s.get(member, "/v1/vnics?name=port2").json().path("items").get(0).path("addresses").toString()).contains("192.0.2.11");
        ok("port delete", "port2");
        assertThat(ok("extension list", "--network", "-f", "json").json().findValuesAsText("Alias")).contains("security-group", "address-group");
        ok("port unset", "--security-group", "db", "port1");
        assertThat(ok("port show", "port1", "-f", "json").json().path("security_group_ids").toString()).contains(webId).doesNotContain(dbId);

        // Refused input: the message says why, and the exit code is 1.
        assertThat(fails("security group rule create", "--protocol", "icmp", "--icmp-type", "3", "--icmp-code", "0", "web2"))
                .contains("ConflictException: 409", "Security group rule already exists. Rule id is " + icmp.path("id").asText());
        assertThat(fails("security group rule create", "--protocol", "tcp", "--dst-port", "70000", "web2"))
                .contains("BadRequestException: 400", "port_range_min", "70000");
        assertThat(fails("security group rule create", "--ethertype", "IPv6", "--remote-ip", "192.0.2.0/24", "web2"))
                .contains("BadRequestException: 400", "Conflicting value ethertype IPv6 for CIDR 192.0.2.0/24");
        assertThat(fails("security group rule create", "--protocol", "icmp", "--icmp-type", "300", "web2"))
                .contains("Invalid value for ICMP type (port_range_min) 300");
        assertThat(fails("security group rule create", "--protocol", "tpc", "web2")).contains("protocol tpc not supported");
        assertThat(fails("security group show", "nosuch")).contains("No SecurityGroup found for nosuch");
        assertThat(fails("security group delete", "web2")).contains("ConflictException: 409", "in use");
        assertThat(fails("security group delete", "default")).contains("ConflictException: 409", "default security group");

        ok("port set", "--no-security-group", "port1");
        ok("security group delete", "db");
        ok("security group delete", "web2");
        assertThat(ok("security group list", "-f", "json").json().findValuesAsText("Name")).containsExactly("default");
    }

    @Test
    void neutronsOwnCasesThroughTheClient() {
        assertThat(fails("security group create", "DEFAULT")).contains("ConflictException: 409", "default");
        String g = ok("security group create", "n-cases", "-f", "json").json().path("id").asText();
        JsonNode egp = ok("security group rule create", "--protocol", "egp", "n-cases", "-f", "json").json();
        assertThat(egp.path("protocol").asText()).isEqualTo("egp");
        JsonNode number = ok("security group rule create", "--ethertype", "IPv6", "--protocol", "58", "n-cases", "-f", "json").json();
        assertThat(number.path("protocol").asText()).isEqualTo("58");
        assertThat(fails("security group rule create", "--ethertype", "IPv4", "--protocol", "ipv6-route", "n-cases"))
                .contains("BadRequestException: 400", "Invalid ethertype IPv4 for protocol ipv6-route");
        // As Neutron: the protocol and the prefix as given, on every later read too.
        assertThat(ok("security group rule list", "n-cases", "-f", "json").json().findValuesAsText("IP Protocol")).contains("egp", "58");
        assertThat(ok("security group rule show", number.path("id").asText(), "-f", "json").json().path("protocol").asText()).isEqualTo("58");
        String hostBits = ok("security group rule create", "--protocol", "tcp", "--dst-port", "443", "--remote-ip", "203.0.113.7/24", "n-cases", "-f", "json")
                .json().path("id").asText();
        JsonNode shownBits = ok("security group rule show", hostBits, "-f", "json").json();
        assertThat(shownBits.path("remote_ip_prefix").asText()).isEqualTo("203.0.113.7/24");
        assertThat(ok("security group rule list", "n-cases", "-f", "json").json().findValuesAsText("IP Range")).contains("203.0.113.7/24");

        JsonNode ag = ok("address group create", "n-ag", "--address", "192.0.2.7/24", "--address", "192.0.2.0/24", "-f", "json").json();
        assertThat(ag.path("addresses").toString()).isEqualTo("[\"192.0.2.0/24\"]");

        String ref = ok("security group create", "n-ref", "-f", "json").json().path("id").asText();
        ok("security group rule create", "--protocol", "tcp", "--dst-port", "22", "--remote-group", "n-ref", "n-cases");
        ok("security group delete", "n-ref");
        assertThat(ok("security group rule list", "n-cases", "-f", "json").json().findValuesAsText("Remote Security Group")).doesNotContain(ref);

        s.post(s.adminToken, "/v1/networks", "{\"name\":\"n-net\",\"subnets\":[\"198.51.100.0/24\"]}");
        ok("port create", "--network", "n-net", "--fixed-ip", "ip-address=198.51.100.40", "--security-group", "n-cases", "--description", "web front", "n-port");
        assertThat(ok("port show", "n-port", "-f", "json").json().path("description").asText()).isEqualTo("web front");
        ok("port set", "--description", "db tier", "n-port");
        assertThat(ok("port show", "n-port", "-f", "json").json().path("description").asText()).isEqualTo("db tier");
        JsonNode byIp = ok("port list", "--fixed-ip", "ip-address=198.51.100.40", "--long", "-f", "json").json();
        assertThat(byIp.findValuesAsText("Name")).containsExactly("n-port");
        assertThat(byIp.get(0).path("Status").asText()).isEqualTo("DOWN");
        assertThat(byIp.get(0).path("Security Groups").toString()).contains(g);

        ok("port delete", "n-port");
        ok("address group delete", "n-ag");
        ok("security group delete", "n-cases");
    }

    @Test
    void anAdminNamesTheProjectWithProject() {
        s.project("other");
        OpenstackClient.Result r = os.run(s.adminToken, "security group create", "shared-web", "--project", "other", "-f", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        String other = r.json().path("project_id").asText();
        assertThat(other).startsWith("p-").isNotEqualTo(project);
        OpenstackClient.Result listed = os.run(s.adminToken, "security group list", "--project", "other", "-f", "json");
        assertThat(listed.json().findValuesAsText("Name")).containsExactlyInAnyOrder("default", "shared-web");
        OpenstackClient.Result noProject = os.run(s.adminToken, "security group create", "orphan");
        assertThat(noProject.exit()).isEqualTo(1);
        assertThat(noProject.err()).contains("project_id", "admin token");
        assertThat(os.run(member, "security group show", r.json().path("id").asText()).err()).contains("No SecurityGroup found");
    }

    @Test
    void oneGroupInBothApisReachesTheHost() {
        s.post(s.adminToken, "/v1/hosts", "{\"name\":\"hv9\"}");
        String id = ok("security group create", "api", "-f", "json").json().path("id").asText();
        JsonNode nativeGroup = s.get(member, "/v1/security-groups?name=api").json().path("items").get(0);
        String sg = nativeGroup.path("id").asText();
        assertThat(NeutronIds.uuid(sg)).isEqualTo(id);
        assertThat(s.post(member, "/v1/security-groups/" + sg + "/rules", "{\"text\":\"tcp:8443,8443,ip4:203.0.113.0/24\"}").status()).isEqualTo(201);
        ok("security group rule create", "--protocol", "udp", "--dst-port", "5353", "--remote-ip", "198.51.100.0/24", "api");

        JsonNode rules = ok("security group rule list", "api", "-f", "json").json();
        assertThat(rules.findValuesAsText("IP Range")).contains("203.0.113.0/24", "198.51.100.0/24");
        assertThat(rules.findValuesAsText("Port Range")).contains("8443:8443", "5353:5353");
        assertThat(s.get(member, "/v1/security-groups/" + sg).json().path("rules").findValuesAsText("text"))
                .contains("tcp:8443,8443,ip4:203.0.113.0/24", "udp:5353,5353,ip4:198.51.100.0/24");

        s.post(s.adminToken, "/v1/vnics", "{\"project\":\"" + project + "\",\"name\":\"api1\",\"host\":\"hv9\",\"device\":\"tapapi1\",\"mac\":\"52:54:00:00:30:01\",\"addresses\":[\"192.0.2.30\"]}");
        String before = s.get(s.adminToken, "/v1/hosts/hv9/ruleset").text();
        assertThat(before).doesNotContain("203.0.113.0");
        ok("port set", "--security-group", "api", "api1");
        // Both rules are one port from a /24: elements of the group's hash set of /24 networks.
        String ruleset = s.get(s.adminToken, "/v1/hosts/hv9/ruleset").text();
        assertThat(ruleset).contains("203.0.113.0 . 6 . 8443", "198.51.100.0 . 17 . 5353", "ip saddr & 255.255.255.0 . meta l4proto . th dport @");
    }

    /** Issue 21: quotas through Neutron's quota API, as an operator reads them. */
    @Test
    void networkQuotasAsAnOperatorReadsThem() {
        assertThat(s.send("PUT", "/v2.0/quotas/" + project, "{\"quota\":{\"security_group\":7}}", "X-Auth-Token", s.adminToken,
                "Content-Type", "application/json").status()).isEqualTo(200);
        OpenstackClient.Result r = os.run(s.adminToken, "quota", "list", "--network", "-f", "json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.json().toString()).contains(project).contains("7");
        OpenstackClient.Result detail = os.run(s.adminToken, "quota", "list", "--network", "--detail", "--project", project, "-f", "json");
        assertThat(detail.exit()).as(detail.out() + detail.err()).isZero();
        assertThat(detail.json().toString()).contains("security_group");
    }

    /** Issue 24: {@code openstack quota show} asks identity, compute, volume and network; it shows the network's quotas. */
    @Test
    void quotaShowShowsTheNetworkQuotas() {
        assertThat(s.send("PUT", "/v2.0/quotas/" + project, "{\"quota\":{\"security_group\":9}}", "X-Auth-Token", s.adminToken,
                "Content-Type", "application/json").status()).isEqualTo(200);
        OpenstackClient.Result r = os.run(s.adminToken, "quota", "show", project, "-f", "json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.json().path("secgroups").asInt()).isEqualTo(9);
        assertThat(r.json().path("project").asText()).isEqualTo(project);
        // No compute or volume quotas are made up: only the network's are shown.
        assertThat(r.json().has("cores")).as(r.out()).isFalse();
        assertThat(s.send("GET", "/os-quota-sets/p-nosuch00", null, "X-Auth-Token", s.adminToken).status()).isEqualTo(404);
    }
}
