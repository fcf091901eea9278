package io.stockade.server;

import static io.stockade.server.ApiSuite.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.policy.Policy;
import org.junit.jupiter.api.Test;

/**
 * Bulk import and export (issue 22) over real HTTP, once on SQLite and once on PostgreSQL: an
 * export loads into another controller as it was, in one revision; a bad object fails the whole
 * import with an error naming it and its field; a member imports into its own project only.
 */
abstract class ImportSuite extends OnEachStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private long revision(TestServer server) {
        return server.get(server.adminToken, "/healthz").json().path("revision").asLong();
    }

    private static TestServer.Response created(TestServer.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r;
    }

    /** A small world made through the single-object routes: every kind, references between them. */
    private void world() {
        String[] p = s.project("shop");
        created(s.post(admin, "/v1/networks", "{\"id\":\"net-shop0001\",\"name\":\"net1\",\"subnets\":[\"192.0.2.0/24\"],\"gateways\":[\"192.0.2.1\"]}"));
        created(s.post(admin, "/v1/hosts", "{\"name\":\"hv1\",\"bridge\":\"br0\",\"uplinks\":[\"eth1\"]}"));
        created(s.post(p[1], "/v1/ip-sets", "{\"id\":\"ips-office01\",\"name\":\"office\",\"entries\":[\"198.51.100.0/24\"]}"));
        created(s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-clients1\",\"name\":\"clients\"}"));
        created(s.post(p[1], "/v1/security-groups", "{\"id\":\"sg-dbsrv001\",\"name\":\"dbsrv\",\"rulesText\":\"tcp:3306,3306,sg-clients1\\n"
                + "tcp:22,22,ips-office01\\nicmp:8,-1,ip4:203.0.113.0/24\\n\"}"));
        created(s.post(p[1], "/v1/instances", "{\"id\":\"i-db000001\",\"name\":\"db1\"}"));
        created(s.post(admin, "/v1/vnics", "{\"id\":\"vif-db000001\",\"project\":\"shop\",\"instance\":\"db1\",\"host\":\"hv1\",\"device\":\"tap1\","
                + "\"mac\":\"52:54:00:00:00:01\",\"network\":\"net1\",\"addresses\":[\"192.0.2.10\"],\"securityGroups\":[\"dbsrv\",\"clients\"]}"));
    }

    private static ObjectNode withoutRevision(JsonNode export) {
        ObjectNode o = export.deepCopy();
        o.remove("revision");
        return o;
    }

    @Test
    void anExportLoadsIntoAnotherControllerAsItWasInOneRevision() throws Exception {
        world();
        TestServer.Response export = s.get(admin, "/v1/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.json().path("vnics")).hasSize(1);
        try (TestServer other = new TestServer(engine(), Policy.wakame())) {
            long before = revision(other);
            TestServer.Response r = created(other.post(other.adminToken, "/v1/import", export.text()));
            assertThat(r.json().path("revision").asLong()).isEqualTo(before + 1);
            assertThat(revision(other)).isEqualTo(before + 1);
            assertThat(r.json().path("imported").path("groups").asInt()).isEqualTo(2);
            assertThat(r.json().path("imported").path("vnics").asInt()).isEqualTo(1);
            assertThat(withoutRevision(other.get(other.adminToken, "/v1/export").json())).isEqualTo(withoutRevision(export.json()));
            // The firewall the imported world compiles to is the one the original compiles to.
            assertThat(other.get(other.adminToken, "/v1/hosts/hv1/ruleset").text()).isEqualTo(s.get(admin, "/v1/hosts/hv1/ruleset").text());
            // Every object of the import is in the change log at that one revision.
            JsonNode audit = other.get(other.adminToken, "/v1/audit?since=" + before).json().path("items");
            assertThat(audit).hasSize(8);
            audit.forEach(c -> assertThat(c.path("revision").asLong()).isEqualTo(before + 1));
            // And it is durable: a restarted controller loads the same world.
            other.restart();
            assertThat(withoutRevision(other.get(other.adminToken, "/v1/export").json())).isEqualTo(withoutRevision(export.json()));
        }
        // Importing the same objects again: their ids exist, nothing changes.
        long now = revision(s);
        expectError(s.post(admin, "/v1/import", export.text()), 409, "projects[0].id", "exists");
        assertThat(revision(s)).isEqualTo(now);
    }

    @Test
    void oneBadObjectFailsTheWholeImportNamingItAndItsField() {
        world();
        long now = revision(s);
        String vnic = "{\"id\":\"vif-new%05d\",\"project\":\"shop\",\"mac\":\"%s\",\"network\":\"net1\",\"addresses\":[\"%s\"]}";
        String good0 = vnic.formatted(0, "52:54:00:00:01:00", "192.0.2.20");
        String good1 = vnic.formatted(1, "52:54:00:00:01:01", "192.0.2.21");
        // Within the import, and against the world.
        expectError(s.post(admin, "/v1/import", "{\"vnics\":[" + good0 + "," + good1 + "," + vnic.formatted(2, "52:54:00:00:01:00", "192.0.2.22") + "]}"),
                409, "vnics[2].mac", "vnics[2] (vif-new00002): MAC 52:54:00:00:01:00 is already vnic vif-new00000's in this import");
        expectError(s.post(admin, "/v1/import", "{\"vnics\":[" + good0 + "," + vnic.formatted(2, "52:54:00:00:01:02", "192.0.2.10") + "]}"),
                409, "vnics[1].addresses", "192.0.2.10 is already vnic vif-db000001's on this network");
        expectError(s.post(admin, "/v1/import", "{\"vnics\":[" + good0 + "," + vnic.formatted(0, "52:54:00:00:01:02", "192.0.2.23") + "]}"),
                409, "vnics[1].id", "two objects of this import");
        expectError(s.post(admin, "/v1/import", "{\"vnics\":[" + good0 + "," + vnic.formatted(2, "52:54:00:00:01:02", "192.0.2.1") + "]}"),
                422, "vnics[1].addresses[0]", "reserved on network net1");
        expectError(s.post(admin, "/v1/import", "{\"vnics\":[" + good0 + ",{\"project\":\"shop\",\"mac\":\"52:54:00:00:01:03\",\"securityGroups\":[\"nosuch\"]}]}"),
                404, "vnics[1].securityGroups[0]", "no security group 'nosuch'");
        expectError(s.post(admin, "/v1/import", "{\"groups\":[{\"name\":\"a\",\"project\":\"shop\",\"rules\":[{\"protocol\":\"tcp\",\"portRangeMin\":1,"
                + "\"portRangeMax\":2,\"remoteGroup\":\"sg-nosuch1\"}]}]}"), 404, "groups[0]", "groups[0]: no security group 'sg-nosuch1'");
        expectError(s.post(admin, "/v1/import", "{\"groups\":[{\"name\":\"a\",\"project\":\"shop\",\"colour\":\"red\"}]}"), 400, "groups[0].colour", "unknown field");
        expectError(s.post(admin, "/v1/import", "{\"hosts\":[{\"name\":\"hv1\"}]}"), 409, "hosts[0].name", "a host named 'hv1' exists");
        expectError(s.post(admin, "/v1/import", "{\"vnics\":[{\"project\":\"shop\",\"mac\":\"52:54:00:00:01:04\",\"host\":\"hv1\",\"device\":\"tap1\"}]}"),
                409, "vnics[0].device", "device tap1 on host");
        expectError(s.post(admin, "/v1/import", "{\"instances\":[{\"name\":\"x\",\"project\":\"nosuch\"}]}"), 404, "instances[0]", "no project 'nosuch'");
        expectError(s.post(admin, "/v1/import", "{\"vnics\":{}}"), 400, "vnics", "must be a list");
        expectError(s.post(admin, "/v1/import", "{\"vnics\":[1]}"), 400, "vnics[0]", "expected a JSON object");
        expectError(s.post(admin, "/v1/import", "{\"nets\":[]}"), 400, "nets", "unknown field");
        expectError(s.post(admin, "/v1/import", "{\"vnics\":[]} x"), 400, null, "malformed JSON");
        expectError(s.post(admin, "/v1/import", "{\"projects\":[{\"name\":\"n\\u0000\"}]}"), 422, "projects[0].name", "NUL");
        assertThat(revision(s)).isEqualTo(now);
        assertThat(s.get(admin, "/v1/vnics").json().path("total").asInt()).isEqualTo(1);
        // The good part alone goes in.
        assertThat(created(s.post(admin, "/v1/import", "{\"vnics\":[" + good0 + "," + good1 + "]}")).json().path("revision").asLong()).isEqualTo(now + 1);
        assertThat(s.get(admin, "/v1/vnics").json().path("total").asInt()).isEqualTo(3);
    }

    @Test
    void quotasHoldForTheWholeImport() {
        String[] p = s.project("small");
        assertThat(s.put(admin, "/v1/projects/" + p[0] + "/quota", "{\"vnics\":2}").status()).isEqualTo(200);
        created(s.post(p[1], "/v1/vnics", "{\"mac\":\"52:54:00:00:02:00\"}"));
        ArrayNode vnics = MAPPER.createArrayNode();
        vnics.addObject().put("mac", "52:54:00:00:02:01");
        vnics.addObject().put("mac", "52:54:00:00:02:02");
        ObjectNode doc = MAPPER.createObjectNode();
        doc.set("vnics", vnics);
        expectError(s.post(p[1], "/v1/import", doc.toString()), 409, "vnics", "may have at most 2 vnics");
        vnics.remove(1);
        created(s.post(p[1], "/v1/import", doc.toString()));
    }

    @Test
    void aMemberImportsIntoItsOwnProjectOnlyAndWithoutPlacement() {
        world();
        String[] mine = s.project("mine");
        String[] theirs = s.project("theirs");
        String secret = created(s.post(theirs[1], "/v1/security-groups", "{\"name\":\"secret\"}")).json().path("id").asText();
        long now = revision(s);
        expectError(s.post(mine[1], "/v1/import", "{\"projects\":[{\"name\":\"more\"}]}"), 403, "projects", "only an admin may import projects");
        expectError(s.post(mine[1], "/v1/import", "{\"hosts\":[{\"name\":\"hv9\"}]}"), 403, "hosts", "only an admin");
        expectError(s.post(mine[1], "/v1/import", "{\"groups\":[{\"name\":\"g\",\"project\":\"theirs\"}]}"), 404, "groups[0]", "no project 'theirs'");
        expectError(s.post(mine[1], "/v1/import", "{\"groups\":[{\"name\":\"g\",\"global\":true}]}"), 403, "groups[0]", "only an admin");
        expectError(s.post(mine[1], "/v1/import", "{\"vnics\":[{\"mac\":\"52:54:00:00:03:00\",\"host\":\"hv1\"}]}"), 403, "vnics[0].host", "placement field");
        expectError(s.post(mine[1], "/v1/import", "{\"vnics\":[{\"mac\":\"52:54:00:00:03:00\",\"securityGroups\":[\"" + secret + "\"]}]}"),
                404, "vnics[0].securityGroups[0]", "no security group");
        TestServer.Response taken = s.post(mine[1], "/v1/import", "{\"vnics\":[{\"mac\":\"52:54:00:00:00:01\"}]}");
        expectError(taken, 409, "vnics[0].mac", "in use by another project");
        assertThat(taken.text()).doesNotContain("vif-db000001").doesNotContain("shop");
        assertThat(revision(s)).isEqualTo(now);
        // Groups referring to each other (by id and by name) and to an ip set of the same import, an instance and its vnic.
        String doc = "{\"ipSets\":[{\"id\":\"ips-mine0001\",\"name\":\"hq\",\"entries\":[{\"cidr\":\"203.0.113.0/24\",\"description\":\"hq\"}]}],"
                + "\"groups\":[{\"id\":\"sg-mineweb1\",\"name\":\"web\",\"rules\":[{\"protocol\":\"tcp\",\"portRangeMin\":80,\"portRangeMax\":80,\"remoteGroup\":\"lb\"}]},"
                + "{\"id\":\"sg-minelb01\",\"name\":\"lb\",\"rulesText\":\"tcp:443,443,ips-mine0001\\ntcp:8080,8080,sg-mineweb1\\n\"}],"
                + "\"instances\":[{\"id\":\"i-mine0001\",\"name\":\"vm1\"}],"
                + "\"vnics\":[{\"instance\":\"vm1\",\"mac\":\"52:54:00:00:03:01\",\"securityGroups\":[\"web\",\"lb\"]}]}";
        TestServer.Response r = created(s.post(mine[1], "/v1/import", doc));
        assertThat(r.json().path("revision").asLong()).isEqualTo(now + 1);
        JsonNode export = s.get(mine[1], "/v1/export").json();
        assertThat(export.path("projects")).isEmpty();
        assertThat(export.path("hosts")).isEmpty();
        assertThat(export.path("groups").get(0).path("id").asText()).isEqualTo("sg-mineweb1");
        assertThat(export.path("groups")).hasSize(2);
        assertThat(export.path("groups").get(0).path("rules").get(0).path("remoteGroup").asText()).isEqualTo("sg-minelb01");
        assertThat(export.path("vnics").get(0).path("project").asText()).isEqualTo(mine[0]);
        assertThat(export.path("vnics").get(0).path("instance").asText()).isEqualTo("i-mine0001");
        assertThat(export.toString()).doesNotContain(secret).doesNotContain("vif-db000001").doesNotContain(theirs[0]);
    }

    @Test
    void aThousandVnicsInOneRequestAreOneRevision() {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.putArray("projects").addObject().put("id", "p-bulk0001").put("name", "bulk");
        doc.putArray("networks").addObject().put("id", "net-bulk0001").put("name", "bulk").putArray("subnets").add("10.1.0.0/16");
        ArrayNode hosts = doc.putArray("hosts");
        for (int h = 0; h < 10; h++) {
            hosts.addObject().put("id", "h-bulk" + h).put("name", "hv" + h);
        }
        doc.putArray("groups").addObject().put("id", "sg-bulk0001").put("project", "p-bulk0001").put("name", "all")
                .putArray("rules").addObject().put("protocol", 6).put("portRangeMin", 22).put("portRangeMax", 22).put("remoteGroup", "sg-bulk0001");
        ArrayNode instances = doc.putArray("instances");
        ArrayNode vnics = doc.putArray("vnics");
        for (int i = 0; i < 1000; i++) {
            instances.addObject().put("id", "i-bulk" + i).put("project", "p-bulk0001").put("name", "vm" + i);
            ObjectNode v = vnics.addObject().put("id", "vif-bulk" + i).put("instance", "i-bulk" + i).put("host", "h-bulk" + (i % 10))
                    .put("device", "tap" + i).put("mac", String.format("52:54:00:01:%02x:%02x", i >> 8, i & 255)).put("network", "net-bulk0001");
            v.putArray("addresses").add("10.1." + (i / 250) + "." + (i % 250 + 1));
            v.putArray("securityGroups").add("sg-bulk0001");
        }
        long now = revision(s);
        TestServer.Response r = created(s.post(admin, "/v1/import", doc.toString()));
        assertThat(r.json().path("revision").asLong()).isEqualTo(now + 1);
        assertThat(r.json().path("imported").path("vnics").asInt()).isEqualTo(1000);
        assertThat(s.get(admin, "/v1/vnics?limit=1").json().path("total").asInt()).isEqualTo(1000);
        assertThat(s.get(admin, "/v1/hosts/hv3/ruleset").text()).contains("tap3").contains("tap993");
    }
}
