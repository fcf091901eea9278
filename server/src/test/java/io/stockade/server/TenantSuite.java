package io.stockade.server;

import static io.stockade.server.ApiSuite.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tenants cannot see or hurt each other (issue 21), over real HTTP, once on SQLite and once on
 * PostgreSQL. Each test names the finding of the review it pins.
 */
abstract class TenantSuite extends OnEachStore {
    String token(String body) {
        TestServer.Response r = s.post(admin, "/v1/tokens", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("token").asText();
    }

    /** Finding 2 and 6: a host's token reads its own ruleset only, and no audit log; a member reads no ruleset. */
    @Test
    void aHostTokenReachesItsOwnHostOnly() {
        String[] p = s.project("web");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv1\"}");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv2\"}");
        s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"host\":\"hv1\",\"device\":\"tap1\",\"mac\":\"52:54:00:00:00:01\",\"addresses\":[\"192.0.2.10\"]}");
        String hv2 = token("{\"role\":\"host\",\"host\":\"hv2\"}");
        assertThat(s.get(hv2, "/v1/hosts/hv2/ruleset").status()).isEqualTo(200);
        expectError(s.get(hv2, "/v1/hosts/hv1/ruleset"), 403, null, "own host");
        expectError(s.get(p[1], "/v1/hosts/hv1/ruleset"), 403, null, "member token may not");
        // Hosts are the operator's: a host's view counts every project's vnics on it and shows its agent's errors.
        expectError(s.get(p[1], "/v1/hosts"), 403, null, "member token may not");
        expectError(s.get(p[1], "/v1/hosts/hv1"), 403, null, "member token may not");
        expectError(s.get(hv2, "/v1/hosts"), 403, null, "host token may not");
        assertThat(s.get(token("{\"role\":\"service\"}"), "/v1/hosts/hv1").json().path("vnics").asInt()).isEqualTo(1);
        expectError(s.get(hv2, "/v1/audit"), 403, null, "host token may not");
        expectError(s.get(hv2, "/v1/watch?host=hv1&wait=0"), 403, null, "");
        expectError(s.get(hv2, "/v1/hosts/hv1/stats"), 403, null, "");
        assertThat(s.get(admin, "/v1/hosts/hv1/ruleset").text()).contains("52:54:00:00:00:01");
        assertThat(s.get(token("{\"role\":\"auditor\"}"), "/v1/hosts/hv1/ruleset").status()).isEqualTo(200);
    }

    /** Finding 7: failures from one address (a load balancer) never lock out a valid token. */
    @Test
    void badTokensFromOneAddressNeverLockOutAValidOne() {
        String[] p = s.project("lb");
        int last = 0;
        for (int i = 0; i < Auth.MAX_FAILURES + 5; i++) {
            last = s.get("stk_guess" + i, "/v1/security-groups").status();
        }
        assertThat(last).isEqualTo(429);
        assertThat(s.get(p[1], "/v1/security-groups").status()).isEqualTo(200);
        assertThat(s.get(admin, "/v1/projects").status()).isEqualTo(200);
    }

    /** Finding 5: deleting a project revokes its tokens, and its id is never given to another project. */
    @Test
    void aDeletedProjectsTokensAreRefusedAndItsIdIsNotReused() {
        String id = s.post(admin, "/v1/projects", "{\"id\":\"p-gone0001\",\"name\":\"gone\"}").json().path("id").asText();
        String member = token("{\"role\":\"member\",\"project\":\"" + id + "\"}");
        assertThat(s.get(member, "/v1/security-groups").status()).isEqualTo(200);
        assertThat(s.delete(admin, "/v1/projects/" + id).status()).isEqualTo(204);
        expectError(s.get(member, "/v1/security-groups"), 401, null, "not valid");
        expectError(s.post(member, "/v1/security-groups", "{\"name\":\"ghost\"}"), 401, null, "not valid");
        expectError(s.post(admin, "/v1/projects", "{\"id\":\"p-gone0001\",\"name\":\"gone\"}"), 409, "id", "never reused");
        assertThat(s.get(admin, "/v1/tokens").json().path("items").findValuesAsText("project")).doesNotContain(id);
    }

    /** Finding 3: host, device and port security are placement fields (admin or service); no vnic takes an uplink. */
    @Test
    void onlyAdminOrServicePlacesVnics() {
        String[] p = s.project("place");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv1\",\"bridge\":\"br0\",\"uplinks\":[\"eth1\"]}");
        String service = token("{\"role\":\"service\"}");
        long before = s.get(admin, "/healthz").json().path("revision").asLong();
        expectError(s.post(p[1], "/v1/vnics", "{\"host\":\"hv1\",\"device\":\"eth1\",\"mac\":\"52:54:00:00:00:01\"}"), 403, "host", "placement field");
        expectError(s.post(p[1], "/v1/vnics", "{\"device\":\"tap1\",\"mac\":\"52:54:00:00:00:01\"}"), 403, "device", "placement field");
        expectError(s.post(p[1], "/v1/vnics", "{\"portSecurity\":false,\"mac\":\"52:54:00:00:00:01\"}"), 403, "portSecurity", "placement field");
        expectError(s.post(service, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"host\":\"hv1\",\"device\":\"eth1\",\"mac\":\"52:54:00:00:00:01\"}"),
                422, "device", "uplink");
        expectError(s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"host\":\"hv1\",\"device\":\"br0\",\"mac\":\"52:54:00:00:00:01\"}"),
                422, "device", "bridge");
        assertThat(s.get(admin, "/healthz").json().path("revision").asLong()).isEqualTo(before);
        String vnic = s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:01\"}").json().path("id").asText();
        expectError(s.call(p[1], "PATCH", "/v1/vnics/" + vnic, "{\"host\":\"hv1\",\"device\":\"tap9\"}", "application/json"), 403, "host", "placement field");
        TestServer.Response placed = s.call(service, "PATCH", "/v1/vnics/" + vnic, "{\"host\":\"hv1\",\"device\":\"tap9\"}", "application/json");
        assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        // The member still manages its vnic's groups and name.
        s.post(p[1], "/v1/security-groups", "{\"name\":\"web\"}");
        assertThat(s.put(p[1], "/v1/vnics/" + vnic + "/security-groups", "{\"securityGroups\":[\"web\"]}").status()).isEqualTo(200);
        assertThat(s.call(p[1], "PATCH", "/v1/vnics/" + vnic, "{\"name\":\"eth0\"}", "application/json").status()).isEqualTo(200);
        // The service writes no groups or rules.
        expectError(s.post(service, "/v1/security-groups", "{\"project\":\"" + p[0] + "\",\"name\":\"svc\"}"), 403, null, "service token may not");
    }

    /** Finding 8 and 12: no vnic holds the gateway, DHCP/DNS servers, router MACs or (unless placed so) addresses outside the subnets; no other project's vnic is named. */
    @Test
    void reservedAddressesAndOtherProjectsVnicsStaySo() {
        String[] p = s.project("spoof");
        String[] q = s.project("victim");
        s.post(admin, "/v1/networks", "{\"name\":\"net1\",\"subnets\":[\"192.0.2.0/24\"],\"gateways\":[\"192.0.2.1\"],\"dhcpServers\":[\"192.0.2.2\"],"
                + "\"dnsServers\":[\"192.0.2.3\"],\"routerMacs\":[\"52:54:00:ff:ff:01\"]}");
        String vnic = "{\"network\":\"net1\",\"mac\":\"52:54:00:00:00:%s\",\"addresses\":[\"%s\"]}";
        expectError(s.post(p[1], "/v1/vnics", vnic.formatted("01", "192.0.2.1")), 422, "addresses[0]", "reserved");
        expectError(s.post(p[1], "/v1/vnics", vnic.formatted("01", "192.0.2.2")), 422, "addresses[0]", "reserved");
        expectError(s.post(p[1], "/v1/vnics", vnic.formatted("01", "192.0.2.3")), 422, "addresses[0]", "reserved");
        expectError(s.post(p[1], "/v1/vnics", vnic.formatted("01", "198.51.100.7")), 422, "addresses[0]", "outside network net1");
        expectError(s.post(p[1], "/v1/vnics", "{\"network\":\"net1\",\"mac\":\"52:54:00:ff:ff:01\"}"), 422, "mac", "router MAC");
        expectError(s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\"," + vnic.formatted("01", "192.0.2.1").substring(1)), 422, "addresses[0]", "reserved");
        expectError(s.post(p[1], "/v1/vnics", "{\"addressesOutsideSubnets\":true," + vnic.formatted("01", "198.51.100.7").substring(1)), 403, null, "only an admin");
        TestServer.Response outside = s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"addressesOutsideSubnets\":true,"
                + vnic.formatted("01", "198.51.100.7").substring(1));
        assertThat(outside.status()).as(outside.text()).isEqualTo(201);
        // The member may rename the vnic the admin placed outside the subnets.
        assertThat(s.call(p[1], "PATCH", "/v1/vnics/" + outside.json().path("id").asText(), "{\"name\":\"x\"}", "application/json").status()).isEqualTo(200);

        // Without a network there are no subnets: a member's vnic holds no addresses (a gateway of any network, say); placed ones do.
        long before = s.get(admin, "/healthz").json().path("revision").asLong();
        expectError(s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:04\",\"addresses\":[\"192.0.2.1\"]}"), 422, "addresses[0]",
                "without a network");
        String bare = s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:04\"}").json().path("id").asText();
        expectError(s.call(p[1], "PATCH", "/v1/vnics/" + bare, "{\"addresses\":[\"203.0.113.9\"]}", "application/json"), 422, "addresses[0]",
                "without a network");
        assertThat(s.get(p[1], "/v1/vnics/" + bare).json().path("addresses")).isEmpty();
        assertThat(s.get(admin, "/healthz").json().path("revision").asLong()).isEqualTo(before + 1);
        TestServer.Response placed = s.call(admin, "PATCH", "/v1/vnics/" + bare, "{\"addresses\":[\"203.0.113.9\"]}", "application/json");
        assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        assertThat(s.call(p[1], "PATCH", "/v1/vnics/" + bare, "{\"name\":\"placed\"}", "application/json").status()).isEqualTo(200);

        String theirs = s.post(q[1], "/v1/vnics", vnic.formatted("02", "192.0.2.20")).json().path("id").asText();
        TestServer.Response mac = s.post(p[1], "/v1/vnics", vnic.formatted("02", "192.0.2.21"));
        expectError(mac, 409, "mac", "in use by another project");
        assertThat(mac.text()).doesNotContain(theirs);
        TestServer.Response address = s.post(p[1], "/v1/vnics", vnic.formatted("03", "192.0.2.20"));
        expectError(address, 409, "addresses", "in use by another project");
        assertThat(address.text()).doesNotContain(theirs);
    }

    /** Finding 4: quotas on groups, rules per group, ip sets, entries per ip set and vnics; an admin changes them, per project. */
    @Test
    void quotasBoundEachProject() {
        String[] p = s.project("small");
        String[] q = s.project("other");
        String quota = "/v1/projects/" + p[0] + "/quota";
        assertThat(s.get(p[1], quota).json().path("groups").path("default").asLong()).isEqualTo(100);
        expectError(s.put(p[1], quota, "{\"groups\":1000}"), 403, null, "");
        expectError(s.put(q[1], quota, "{\"groups\":1000}"), 403, null, "");
        expectError(s.get(q[1], quota), 404, null, "");
        expectError(s.put(admin, quota, "{\"groups\":-1}"), 422, "groups", "at least 0");
        TestServer.Response set = s.put(admin, quota, "{\"groups\":2,\"rulesPerGroup\":3,\"ipSets\":1,\"entriesPerIpSet\":2,\"vnics\":1}");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().path("rulesPerGroup").path("limit").asLong()).isEqualTo(3);

        assertThat(s.post(p[1], "/v1/security-groups", "{\"name\":\"g1\"}").status()).isEqualTo(201);
        assertThat(s.post(p[1], "/v1/security-groups", "{\"name\":\"g2\"}").status()).isEqualTo(201);
        expectError(s.post(p[1], "/v1/security-groups", "{\"name\":\"g3\"}"), 409, "groups", "at most 2");
        TestServer.Response four = s.call(p[1], "PUT", "/v1/security-groups/g1/rules", "tcp:1,1,ip4:0.0.0.0\ntcp:2,2,ip4:0.0.0.0\ntcp:3,3,ip4:0.0.0.0\ntcp:4,4,ip4:0.0.0.0\n", "text/plain");
        expectError(four, 409, "rulesPerGroup", "at most 3");
        assertThat(s.call(p[1], "PUT", "/v1/security-groups/g1/rules", "tcp:1,1,ip4:0.0.0.0\ntcp:2,2,ip4:0.0.0.0\ntcp:3,3,ip4:0.0.0.0\n", "text/plain").status()).isEqualTo(200);
        expectError(s.post(p[1], "/v1/security-groups/g1/rules", "{\"text\":\"tcp:4,4,ip4:0.0.0.0\"}"), 409, "rulesPerGroup", "at most 3");
        String set1 = s.post(p[1], "/v1/ip-sets", "{\"name\":\"s1\",\"entries\":[\"192.0.2.1\",\"192.0.2.2\"]}").json().path("id").asText();
        expectError(s.post(p[1], "/v1/ip-sets", "{\"name\":\"s2\"}"), 409, "ipSets", "at most 1");
        expectError(s.post(p[1], "/v1/ip-sets/" + set1 + "/entries", "{\"entries\":[\"192.0.2.3\"]}"), 409, "entriesPerIpSet", "at most 2");
        assertThat(s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:01\"}").status()).isEqualTo(201);
        expectError(s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:02\"}"), 409, "vnics", "at most 1");
        // Another project keeps the defaults.
        assertThat(s.post(q[1], "/v1/security-groups", "{\"name\":\"g3\"}").status()).isEqualTo(201);
        assertThat(s.post(q[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:02\"}").status()).isEqualTo(201);
        TestServer.Response shown = s.get(p[1], quota);
        assertThat(shown.json().path("groups").path("used").asLong()).isEqualTo(2);
        assertThat(shown.json().path("vnics").path("used").asLong()).isEqualTo(1);
        // Neutron's quota API shows the same numbers; null resets to the default.
        TestServer.Response neutron = s.send("GET", "/v2.0/quotas/" + p[0], null, "X-Auth-Token", p[1]);
        assertThat(neutron.json().path("quota").path("security_group").asLong()).as(neutron.text()).isEqualTo(2);
        assertThat(neutron.json().path("quota").path("port").asLong()).isEqualTo(1);
        TestServer.Response details = s.send("GET", "/v2.0/quotas/" + p[0] + "/details", null, "X-Auth-Token", p[1]);
        assertThat(details.json().path("quota").path("security_group").path("used").asLong()).isEqualTo(2);
        assertThat(s.put(admin, quota, "{\"groups\":null}").json().path("groups").path("limit").asLong()).isEqualTo(100);
        TestServer.Response raised = s.send("PUT", "/v2.0/quotas/" + p[0], "{\"quota\":{\"port\":5}}", "X-Auth-Token", admin,
                "Content-Type", "application/json");
        assertThat(raised.json().path("quota").path("port").asLong()).as(raised.text()).isEqualTo(5);
        assertThat(s.send("PUT", "/v2.0/quotas/" + p[0], "{\"quota\":{\"port\":50}}", "X-Auth-Token", p[1], "Content-Type", "application/json")
                .status()).isEqualTo(403);
        assertThat(s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:00:03\"}").status()).isEqualTo(201);
    }

    /** Finding 9: under concurrent writes, each write response carries the revision that write made, as the audit log records it. */
    @Test
    void everyWriteResponseCarriesItsOwnRevision() throws Exception {
        String[] p = s.project("rev");
        String g = s.post(p[1], "/v1/security-groups", "{\"name\":\"web\"}").json().path("id").asText();
        int threads = 16;
        int each = 20;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<List<Long>>> runs = new java.util.ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    List<Long> revisions = new java.util.ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        String d = "d-" + thread + "-" + i;
                        TestServer.Response r = s.call(p[1], "PATCH", "/v1/security-groups/" + g, "{\"description\":\"" + d + "\"}", "application/json");
                        assertThat(r.status()).as(r.text()).isEqualTo(200);
                        assertThat(r.json().path("description").asText()).isEqualTo(d);
                        revisions.add(r.json().path("revision").asLong());
                    }
                    return revisions;
                }));
            }
            java.util.Set<Long> answered = new java.util.TreeSet<>();
            for (var run : runs) {
                answered.addAll(run.get());
            }
            java.util.Set<Long> logged = new java.util.TreeSet<>();
            s.get(admin, "/v1/audit?object=" + g + "&limit=1000").json().path("items").forEach(item -> {
                if (item.path("action").asText().equals("update")) {
                    logged.add(item.path("revision").asLong());
                }
            });
            assertThat(logged).hasSize(threads * each);
            assertThat(answered).isEqualTo(logged);
        } finally {
            pool.shutdownNow();
        }
    }
}
