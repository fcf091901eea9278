package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The native API over real HTTP; run once on SQLite and once on PostgreSQL. */
abstract class ApiSuite extends OnEachStore {
    @Test
    void groupsRulesAndRuleText() {
        String[] p = s.project("db");
        TestServer.Response clients = s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-dbclnts\",\"name\":\"dbclnts\"}");
        assertThat(clients.status()).isEqualTo(201);
        TestServer.Response srv = s.post(p[1], "/v1/security-groups", "{\"name\":\"dbsrv\",\"rules\":[{\"protocol\":\"tcp\",\"portRangeMin\":22,\"portRangeMax\":22,\"remoteIpPrefix\":\"0.0.0.0/0\"}]}");
        assertThat(srv.status()).isEqualTo(201);
        String id = srv.json().path("id").asText();
        assertThat(srv.json().path("rules").get(0).path("text").asText()).isEqualTo("tcp:22,22,ip4:0.0.0.0");
        TestServer.Response rule = s.post(p[1], "/v1/security-groups/" + id + "/rules", "{\"text\":\"tcp:3306,3306,sg-dbclnts\"}");
        assertThat(rule.status()).isEqualTo(201);
        assertThat(rule.json().path("remoteGroup").asText()).isEqualTo("sg-dbclnts");
        TestServer.Response dup = s.post(p[1], "/v1/security-groups/" + id + "/rules", "{\"protocol\":\"tcp\",\"portRangeMin\":3306,\"portRangeMax\":3306,\"remoteGroup\":\"dbclnts\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().path("error").path("message").asText()).contains("duplicate rule");
        TestServer.Response text = s.call(p[1], "GET", "/v1/security-groups/" + id + "/rules", null, "text/plain");
        assertThat(text.text()).isEqualTo("tcp:22,22,ip4:0.0.0.0\ntcp:3306,3306,sg-dbclnts\n");
        TestServer.Response replaced = s.call(p[1], "PUT", "/v1/security-groups/dbsrv/rules", "tcp: 3306, 3306, sg-dbclnts # clients\nicmp:-1,-1,ip4:0.0.0.0\n", "text/plain");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("rules")).hasSize(2);
        // The unchanged rule keeps its id.
        assertThat(replaced.json().path("rules").get(0).path("id").asText()).isEqualTo(rule.json().path("id").asText());
        String ruleId = replaced.json().path("rules").get(1).path("id").asText();
        assertThat(s.delete(p[1], "/v1/security-groups/" + id + "/rules/" + ruleId).status()).isEqualTo(204);
        assertThat(s.get(p[1], "/v1/security-groups/" + id).json().path("rules")).hasSize(1);
        assertThat(s.get(p[1], "/v1/security-groups?name=dbsrv").json().path("total").asInt()).isEqualTo(1);
    }

    @Test
    void badInputGetsAClearErrorAndChangesNothing() {
        String[] p = s.project("bad");
        String id = s.post(p[1], "/v1/security-groups", "{\"name\":\"web\"}").json().path("id").asText();
        long before = s.get(admin, "/healthz").json().path("revision").asLong();
        String rules = "/v1/security-groups/" + id + "/rules";
        expectError(s.post(p[1], rules, "{\"protocol\":\"tcp\","), 400, null, "malformed JSON");
        expectError(s.post(p[1], rules, "{\"protocol\":\"tcp\",\"colour\":\"red\"}"), 400, "colour", "unknown field 'colour'");
        expectError(s.post(p[1], rules, "{\"protocol\":\"tcp\",\"portRangeMin\":\"22\"}"), 400, "portRangeMin", "must be a whole number");
        expectError(s.post(p[1], rules, "{\"protocol\":\"tcp\",\"portRangeMin\":22,\"portRangeMax\":22,\"remoteIpPrefix\":\"10.0.0.1/8\"}"), 422,
                "remoteIpPrefix", "did you mean 10.0.0.0/8?");
        expectError(s.post(p[1], rules, "{\"protocol\":\"tcp\",\"portRangeMin\":0,\"portRangeMax\":22}"), 422, "portRangeMin", "out of range port number 0");
        expectError(s.post(p[1], rules, "{\"protocol\":\"icmp\",\"icmpCode\":3}"), 422, "icmpCode", "needs an icmp type");
        expectError(s.post(p[1], rules, "{\"ethertype\":\"IPv6\",\"remoteIpPrefix\":\"192.0.2.0/24\"}"), 422, "ethertype", "does not match");
        expectError(s.post(p[1], rules, "{\"protocol\":\"tpc\"}"), 422, "protocol", "unsupported protocol 'tpc'");
        // Safe by default: a rule without a source is refused, naming the choices; rule text keeps Wakame-vdc's meaning.
        expectError(s.post(p[1], rules, "{\"protocol\":\"tcp\",\"portRangeMin\":3306,\"portRangeMax\":3306}"), 422, "remoteIpPrefix",
                "a rule needs a source: give remoteIpPrefix (0.0.0.0/0 or ::/0 for anywhere), remoteGroup or remoteIpSet");
        expectError(s.post(p[1], "/v1/security-groups", "{\"name\":\"open\",\"rules\":[{\"protocol\":\"udp\"}]}"), 422, "remoteIpPrefix",
                "a rule needs a source");
        TestServer.Response text = s.call(p[1], "PUT", rules, "tcp:22,22,ip4:0.0.0.0\ntcp:22,99999,ip4:0.0.0.0\n", "text/plain");
        expectError(text, 422, "rules", "2:8: out of range port number 99999");
        assertThat(text.json().path("error").path("line").asInt()).isEqualTo(2);
        assertThat(text.json().path("error").path("column").asInt()).isEqualTo(8);
        expectError(s.post(p[1], "/v1/security-groups", "{\"name\":\"x\",\"description\":\"" + "y".repeat(2_000_000) + "\"}"), 413, null, "");
        expectError(s.post(p[1], "/v1/security-groups", "{\"description\":\"no name\"}"), 400, "name", "is required");
        expectError(s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:zz:00:01\"}"), 422, "mac", "not a MAC address");
        expectError(s.post(p[1], "/v1/ip-sets", "{\"name\":\"x\",\"version\":5}"), 422, "version", "must be 4 or 6");
        expectError(s.get(p[1], "/v1/security-groups/sg-nothere"), 404, null, "no security group 'sg-nothere'");
        expectError(s.get("wrong-token", "/v1/security-groups"), 401, null, "not valid");
        expectError(s.post(p[1], "/v1/projects", "{\"name\":\"mine\"}"), 403, null, "(allowed: admin)");
        assertThat(s.get(admin, "/healthz").json().path("revision").asLong()).isEqualTo(before);
        assertThat(s.get(p[1], "/v1/security-groups/" + id).json().path("rules")).isEmpty();
    }

    static void expectError(TestServer.Response r, int status, String field, String message) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        if (status != 413) {
            assertThat(r.json().path("error").path("message").asText()).contains(message);
            assertThat(r.json().path("error").path("field").isNull() ? null : r.json().path("error").path("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void membersSeeOnlyTheirProjectAndGlobalGroups() {
        String[] a = s.project("a");
        String[] b = s.project("b");
        String bGroup = s.post(b[1], "/v1/security-groups", "{\"name\":\"secret\"}").json().path("id").asText();
        String global = s.post(admin, "/v1/security-groups", "{\"name\":\"monitoring\",\"global\":true,\"project\":\"" + b[0] + "\"}").json().path("id").asText();
        String aGroup = s.post(a[1], "/v1/security-groups", "{\"name\":\"mine\"}").json().path("id").asText();
        expectError(s.get(a[1], "/v1/security-groups/" + bGroup), 404, null, "no security group");
        assertThat(s.get(a[1], "/v1/security-groups").json().path("items").findValuesAsText("id")).containsExactlyInAnyOrder(aGroup, global);
        expectError(s.post(a[1], "/v1/security-groups/" + aGroup + "/rules", "{\"remoteGroup\":\"" + bGroup + "\"}"), 404, null, "no security group");
        assertThat(s.post(a[1], "/v1/security-groups/" + aGroup + "/rules", "{\"remoteGroup\":\"" + global + "\"}").status()).isEqualTo(201);
        expectError(s.call(a[1], "PATCH", "/v1/security-groups/" + global, "{\"name\":\"mine now\"}", "application/json"), 403, null, "global");
        String vnic = s.post(a[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:01\"}").json().path("id").asText();
        expectError(s.put(a[1], "/v1/vnics/" + vnic + "/security-groups", "{\"securityGroups\":[\"" + bGroup + "\"]}"), 404, "securityGroups[0]", "no security group");
        assertThat(s.put(a[1], "/v1/vnics/" + vnic + "/security-groups", "{\"securityGroups\":[\"" + global + "\",\"mine\"]}").status()).isEqualTo(200);
        expectError(s.get(b[1], "/v1/vnics/" + vnic), 404, null, "no vnic");
    }

    @Test
    void vnicGroupLimitsStatefulnessAndInstanceWideChanges() {
        String[] p = s.project("p");
        for (int i = 0; i < 17; i++) {
            s.post(p[1], "/v1/security-groups", "{\"name\":\"g" + i + "\"}");
        }
        s.post(p[1], "/v1/security-groups", "{\"name\":\"sl\",\"stateful\":false}");
        String inst = s.post(p[1], "/v1/instances", "{\"name\":\"vm1\"}").json().path("id").asText();
        s.post(p[1], "/v1/vnics", "{\"instance\":\"vm1\",\"mac\":\"52:54:00:00:00:01\"}");
        s.post(p[1], "/v1/vnics", "{\"instance\":\"vm1\",\"mac\":\"52:54:00:00:00:02\"}");
        String many = "[" + String.join(",", java.util.stream.IntStream.range(0, 17).mapToObj(i -> "\"g" + i + "\"").toList()) + "]";
        expectError(s.put(p[1], "/v1/instances/" + inst + "/security-groups", "{\"securityGroups\":" + many + "}"), 409, "securityGroups",
                "at most 16 groups (knob maxGroupsPerVnic)");
        expectError(s.put(p[1], "/v1/instances/" + inst + "/security-groups", "{\"securityGroups\":[\"g1\",\"sl\"]}"), 409, "securityGroups",
                "mix stateful and stateless");
        TestServer.Response ok = s.put(p[1], "/v1/instances/vm1/security-groups", "{\"securityGroups\":[\"g1\",\"g2\"]}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("vnics").findValues("securityGroups")).hasSize(2).allSatisfy(g -> assertThat(g).hasSize(2));
        expectError(s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:01\"}"), 409, "mac", "already vnic");
    }

    @Test
    void vnicsShareNoMacNoDeviceOnAHostAndNoAddressOnANetwork() {
        String[] p = s.project("p");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv-unique\"}");
        s.post(admin, "/v1/networks", "{\"id\":\"net-unique\",\"name\":\"unique\",\"subnets\":[\"198.51.100.0/24\"]}");
        String first = s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"host\":\"hv-unique\",\"device\":\"tap1\",\"mac\":\"52:54:00:00:10:01\","
                + "\"network\":\"net-unique\",\"addresses\":[\"198.51.100.10\"]}").json().path("id").asText();
        s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"mac\":\"52:54:00:00:10:02\",\"addresses\":[\"198.51.100.20\"]}");
        long before = s.get(admin, "/healthz").json().path("revision").asLong();
        expectError(s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"host\":\"hv-unique\",\"device\":\"tap1\",\"mac\":\"52:54:00:00:10:03\"}"),
                409, "device", "device tap1 on host");
        expectError(s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"mac\":\"52:54:00:00:10:03\",\"network\":\"net-unique\",\"addresses\":[\"198.51.100.10\"]}"),
                409, "addresses", "198.51.100.10 is already vnic " + first);
        expectError(s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"mac\":\"52:54:00:00:10:03\",\"addresses\":[\"198.51.100.20\"]}"),
                409, "addresses", "198.51.100.20 is already vnic");
        expectError(s.call(admin, "PATCH", "/v1/vnics/" + first, "{\"mac\":\"52:54:00:00:10:02\"}", "application/json"), 409, "mac", "already vnic");
        assertThat(s.get(admin, "/healthz").json().path("revision").asLong()).isEqualTo(before);
        // The same address on another network, or no network, and a vnic's own address, MAC and device are its to keep.
        assertThat(s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"mac\":\"52:54:00:00:10:03\",\"addresses\":[\"198.51.100.10\"]}").status())
                .isEqualTo(201);
        assertThat(s.call(admin, "PATCH", "/v1/vnics/" + first, "{\"name\":\"renamed\"}", "application/json").status()).isEqualTo(200);
    }

    @Test
    void aGroupInUseIsNotDeletedAndIpSetsFollowTheirRules() {
        String[] p = s.project("p");
        s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-dbclnts\",\"name\":\"dbclnts\"}");
        String srv = s.post(p[1], "/v1/security-groups", "{\"name\":\"dbsrv\"}").json().path("id").asText();
        s.post(p[1], "/v1/security-groups/" + srv + "/rules", "{\"text\":\"tcp:3306,3306,sg-dbclnts\"}");
        String vnic = s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:01\",\"securityGroups\":[\"dbclnts\"]}").json().path("id").asText();
        TestServer.Response refused = s.delete(p[1], "/v1/security-groups/sg-dbclnts");
        expectError(refused, 409, null, "in use");
        assertThat(refused.json().path("error").path("message").asText()).contains(vnic).contains(srv);

        TestServer.Response set = s.post(p[1], "/v1/ip-sets", "{\"name\":\"office\",\"version\":4}");
        String ipSet = set.json().path("id").asText();
        TestServer.Response bulk = s.post(p[1], "/v1/ip-sets/" + ipSet + "/entries",
                "{\"entries\":[\"198.51.100.0/24\",\"198.51.100.0/24\",\"203.0.113.5\",\"2001:db8::1\",\"nonsense\"]}");
        assertThat(bulk.json().path("added")).hasSize(2);
        assertThat(bulk.json().path("duplicates")).hasSize(1);
        assertThat(bulk.json().path("invalid").findValuesAsText("entry")).containsExactly("2001:db8::1", "nonsense");
        s.post(p[1], "/v1/security-groups/" + srv + "/rules", "{\"protocol\":\"tcp\",\"portRangeMin\":22,\"portRangeMax\":22,\"remoteIpSet\":\"office\"}");
        expectError(s.delete(p[1], "/v1/ip-sets/" + ipSet), 409, null, "used by rules of groups: " + srv);
        expectError(s.call(p[1], "PATCH", "/v1/ip-sets/" + ipSet, "{\"version\":6}", "application/json"), 409, "version", "has entries");

        s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-selfref\",\"name\":\"selfref\"}");
        s.post(p[1], "/v1/security-groups/sg-selfref/rules", "{\"text\":\"tcp:22,22,sg-selfref\"}");
        assertThat(s.delete(p[1], "/v1/security-groups/sg-selfref").status()).as("a reference from itself alone keeps no group in use").isEqualTo(204);
    }

    @Test
    void everythingSurvivesARestartAndTheRevisionContinues() {
        String[] p = s.project("keep");
        s.post(p[1], "/v1/security-groups", "{\"name\":\"web\",\"rules\":[{\"text\":\"tcp:80,80,ip4:0.0.0.0\"}]}");
        long rev = s.get(admin, "/healthz").json().path("revision").asLong();
        s.restart();
        assertThat(s.get(p[1], "/v1/security-groups?name=web").json().path("items").get(0).path("rules").get(0).path("text").asText())
                .isEqualTo("tcp:80,80,ip4:0.0.0.0");
        assertThat(s.get(admin, "/healthz").json().path("revision").asLong()).isEqualTo(rev);
        s.post(p[1], "/v1/security-groups", "{\"name\":\"db\"}");
        assertThat(s.get(admin, "/healthz").json().path("revision").asLong()).isEqualTo(rev + 1);
        assertThat(s.get(p[1], "/v1/audit").json().path("items").findValuesAsText("action")).contains("create");
        expectError(s.get(p[1], "/v1/audit?limit=many"), 400, "limit", "got 'many'");
        expectError(s.get(p[1], "/v1/audit?since=-1"), 400, "since", "from 0");
    }

    @Test
    void auditSaysWhatChanged() {
        String[] p = s.project("audited");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv1\",\"uplinks\":[\"eth1\"]}");
        s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-a\",\"name\":\"a\"}");
        s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-b\",\"name\":\"b\",\"rules\":[{\"text\":\"tcp:22,22,ip4:192.0.2.0/24\"}]}");
        s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"id\":\"vif-x\",\"host\":\"hv1\",\"device\":\"tap1\",\"mac\":\"52:54:00:00:00:01\",\"addresses\":[\"192.0.2.10\"],\"securityGroups\":[\"a\"]}");
        assertThat(s.call(p[1], "PATCH", "/v1/vnics/vif-x", "{\"securityGroups\":[\"a\",\"b\"],\"logDrops\":true}", "application/json").status()).isEqualTo(200);
        assertThat(s.put(p[1], "/v1/vnics/vif-x/security-groups", "{\"securityGroups\":[\"b\"]}").status()).isEqualTo(200);
        assertThat(s.post(p[1], "/v1/instances", "{\"name\":\"web1\"}").status()).isEqualTo(201);
        assertThat(s.call(p[1], "PATCH", "/v1/vnics/vif-x", "{\"instance\":\"web1\"}", "application/json").status()).isEqualTo(200);
        assertThat(s.put(p[1], "/v1/instances/web1/security-groups", "{\"securityGroups\":[\"sg-a\"]}").status()).isEqualTo(200);
        assertThat(s.call(p[1], "PATCH", "/v1/security-groups/sg-a", "{\"description\":\"web tier\",\"stateful\":false}", "application/json").status()).isEqualTo(200);
        assertThat(s.call(p[1], "PUT", "/v1/security-groups/sg-b/rules", "tcp:22,22,ip4:192.0.2.0/24\nudp:53,53,ip4:198.51.100.0/24\n", "text/plain").status()).isEqualTo(200);
        String set = s.post(p[1], "/v1/ip-sets", "{\"name\":\"office\"}").json().path("id").asText();
        s.post(p[1], "/v1/ip-sets/" + set + "/entries", "{\"entries\":[\"203.0.113.0/28\",\"203.0.113.64/28\"]}");
        s.call(p[1], "DELETE", "/v1/ip-sets/" + set + "/entries", "{\"entries\":[\"203.0.113.64/28\"]}", "application/json");
        assertThat(s.call(p[1], "PATCH", "/v1/ip-sets/" + set, "{\"name\":\"hq\"}", "application/json").status()).isEqualTo(200);
        assertThat(s.get(p[1], "/v1/audit").json().path("items").findValuesAsText("what")).contains(
                "update vnic vif-x: securityGroups [a] → [a, b]; logDrops false → true",
                "set groups of vnic vif-x: securityGroups [a, b] → [b]",
                "update security group a: description \"\" → web tier; stateful true → false",
                "replace rules of b: 1 added, 0 removed, 1 kept",
                "add 2 entries to office: [203.0.113.0/28, 203.0.113.64/28]",
                "remove 1 entries from office: [203.0.113.64/28]",
                "update vnic vif-x: instance none → web1",
                "set groups of instance web1 to [a]",
                "update ip set office: name office → hq");
    }

    @Test
    void explainWatchAndOperations() {
        String[] p = s.project("ops");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv1\",\"uplinks\":[\"eth1\"]}");
        s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-dbclnts\",\"name\":\"dbclnts\"}");
        s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-dbsrv\",\"name\":\"dbsrv\",\"rules\":[{\"text\":\"tcp:3306,3306,sg-dbclnts\"}]}");
        s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"id\":\"vif-db1\",\"host\":\"hv1\",\"device\":\"tap1\",\"mac\":\"52:54:00:00:00:01\",\"addresses\":[\"192.0.2.10\"],\"securityGroups\":[\"sg-dbsrv\"]}");
        s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"id\":\"vif-app1\",\"host\":\"hv1\",\"device\":\"tap2\",\"mac\":\"52:54:00:00:00:02\",\"addresses\":[\"192.0.2.11\"],\"securityGroups\":[\"sg-dbclnts\"]}");
        TestServer.Response e = s.get(p[1], "/v1/explain?from=vif-app1&to=vif-db1&proto=tcp&port=3306");
        assertThat(e.json().path("verdict").asText()).isEqualTo("allow");
        assertThat(e.json().path("group").asText()).isEqualTo("sg-dbsrv");
        assertThat(s.get(p[1], "/v1/explain?from=203.0.113.9&to=vif-db1&proto=tcp&port=3306").json().path("reason").asText()).isEqualTo("no-rule");
        assertThat(s.get(p[1], "/v1/explain?from=vif-app1&to=vif-db1&proto=tcp&port=3306&state=invalid").json().path("verdict").asText())
                .as("wakame lets the rules judge invalid packets").isEqualTo("allow");
        expectError(s.get(p[1], "/v1/explain?from=vif-app1&to=vif-db1&proto=tcp&port=3306&state=sideways"), 422, "state", "got 'sideways'");
        TestServer.Response w = s.get(admin, "/v1/watch?host=hv1&since=0&wait=1");
        assertThat(w.json().path("full").asBoolean()).isTrue();
        assertThat(w.json().path("world").path("vnics").findValuesAsText("id")).contains("vif-db1", "vif-app1");
        long rev = w.json().path("revision").asLong();
        assertThat(s.get(admin, "/v1/watch?host=hv1&since=" + rev + "&wait=1").status()).isEqualTo(204);
        assertThat(s.get(p[1], "/v1/watch?host=hv1&since=0&wait=1").status()).isEqualTo(403);
        String ruleset = s.get(admin, "/v1/hosts/hv1/ruleset").text();
        assertThat(ruleset).contains("add table inet stockade").contains("ref_sg_dbclnts_v4 { 192.0.2.11 }");
        assertThat(s.get(null, "/healthz").json().path("status").asText()).isEqualTo("ok");
        assertThat(s.get(null, "/metrics").text()).contains("stockade_http_requests")
                // The write path's own timers (issue 21): what a write held the others for.
                .containsPattern("stockade_write_commit_seconds_count\\{size=\"small\"\\} [1-9]")
                .containsPattern("stockade_write_lock_held_seconds_count\\{step=\"prepare\"\\} [1-9]");
        assertThat(s.get(null, "/openapi.json").json().path("paths").has("/v1/security-groups/{id}/rules")).isTrue();
        assertThat(s.get(admin, "/v1/policy").json().path("profile").asText()).isEqualTo("wakame");
        assertThat(s.get(admin, "/v1/hosts").json().path("items").get(0).path("agent").asText()).isEqualTo("never seen");
    }

    @Test
    void profilesShapeNewProjectsAndGroupDeletion() throws Exception {
        try (TestServer os = new TestServer(engine(), Policy.profile("openstack"))) {
            String[] p = os.project("tenant");
            TestServer.Response groups = os.get(p[1], "/v1/security-groups");
            assertThat(groups.json().path("items").findValuesAsText("name")).containsExactly("default");
            TestServer.Response web = os.post(p[1], "/v1/security-groups", "{\"name\":\"web\"}");
            assertThat(web.json().path("rules").findValuesAsText("text")).containsExactly("egress:any:-1,-1,ip4:0.0.0.0", "egress:any:-1,-1,ip6:::/0");
        }
        try (TestServer vps = new TestServer(engine(), Policy.profile("vps-panel"))) {
            String[] p = vps.project("panel");
            vps.post(p[1], "/v1/security-groups", "{\"id\":\"sg-mail\",\"name\":\"mail\"}");
            vps.post(p[1], "/v1/security-groups", "{\"id\":\"sg-web\",\"name\":\"web\",\"rules\":[{\"text\":\"tcp:25,25,sg-mail\"},{\"text\":\"tcp:80,80,ip4:0.0.0.0\"}]}");
            String v = vps.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:09\",\"securityGroups\":[\"mail\",\"web\"]}").json().path("id").asText();
            assertThat(vps.delete(p[1], "/v1/security-groups/sg-mail").status()).isEqualTo(204);
            assertThat(vps.get(p[1], "/v1/vnics/" + v).json().path("securityGroups").findValuesAsText("")).isEmpty();
            assertThat(vps.get(p[1], "/v1/vnics/" + v).json().path("securityGroups").toString()).isEqualTo("[\"sg-web\"]");
            assertThat(vps.get(p[1], "/v1/security-groups/sg-web").json().path("rules").findValuesAsText("text")).containsExactly("tcp:80,80,ip4:0.0.0.0");
        }
    }

    static List<String> ids(TestServer.Response r) {
        return r.json().path("items").findValuesAsText("id");
    }
}
