package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import io.stockade.core.policy.Policy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} against real answers: one object of every kind made, listed, shown and
 * changed through /v1, errors too, each request and each response checked with a JSON Schema
 * 2020-12 validator against the operation's schemas in the document.
 */
class OpenApiContractTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private TestServer s;
    private JsonNode doc;
    private ApiContract contract;
    private int checked;

    @BeforeEach
    void start() throws Exception {
        s = new TestServer("sqlite", Policy.wakame());
        doc = s.get(null, "/openapi.json").json();
        contract = new ApiContract(doc);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private JsonSchema schema(String ref) {
        return contract.schema(ref);
    }

    /** The response's status is documented for the operation and its body satisfies that schema ({@link ApiContract}, as for every answer). */
    private TestServer.Response valid(String method, String template, TestServer.Response r) {
        assertThat(doc.path("paths").path(template).path(method.toLowerCase()).path("responses").isObject()).as("%s %s is documented", method, template).isTrue();
        if (contract.check(method, template, r.status(), r.headers().firstValue("Content-Type").orElse(null), r.json(), r.text()) != null) {
            checked++;
        }
        return r;
    }

    /** A request body the document describes, sent; its answer checked. */
    private TestServer.Response send(String token, String method, String template, String path, String body) {
        if (body != null) {
            String ref = doc.path("paths").path(template).path(method.toLowerCase()).path("requestBody").path("content").path("application/json")
                    .path("schema").path("$ref").asText(null);
            assertThat(ref).as("%s %s has a request schema", method, template).isNotNull();
            try {
                assertThat(schema(ref).validate(MAPPER.readTree(body))).as("request %s against %s", body, ref).isEmpty();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return valid(method, template, s.call(token, method, path, body, "application/json"));
    }

    @Test
    void everyAnswerOfEveryKindSatisfiesTheDocument() {
        String admin = s.adminToken;
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("components").path("schemas").path("Vnic").path("examples").get(0).path("mac").asText()).isEqualTo("52:54:00:00:00:01");
        assertThat(doc.path("components").path("schemas").path("Vnic").path("properties").path("host").path("type").toString())
                .isEqualTo("[\"string\",\"null\"]");

        String project = send(admin, "POST", "/v1/projects", "/v1/projects", "{\"name\":\"shop\"}").json().path("id").asText();
        send(admin, "GET", "/v1/projects", "/v1/projects", null);
        send(admin, "GET", "/v1/projects/{id}", "/v1/projects/" + project, null);
        send(admin, "PATCH", "/v1/projects/{id}", "/v1/projects/" + project, "{\"smtpAllowed\":true}");
        String member = s.post(admin, "/v1/tokens", "{\"role\":\"member\",\"project\":\"shop\"}").json().path("token").asText();

        send(member, "POST", "/v1/security-groups", "/v1/security-groups", "{\"id\":\"sg-dbclnts\",\"name\":\"dbclnts\"}");
        String web = send(member, "POST", "/v1/security-groups", "/v1/security-groups",
                "{\"name\":\"web\",\"description\":\"front\",\"rulesText\":\"tcp:80,80,ip4:0.0.0.0\\nicmp:8,-1,sg-dbclnts\\n\"}").json().path("id").asText();
        send(member, "GET", "/v1/security-groups", "/v1/security-groups", null);
        send(member, "GET", "/v1/security-groups/{id}", "/v1/security-groups/" + web, null);
        send(member, "PATCH", "/v1/security-groups/{id}", "/v1/security-groups/" + web, "{\"description\":\"front ends\",\"logDrops\":true}");
        send(member, "POST", "/v1/security-groups/{id}/rules", "/v1/security-groups/" + web + "/rules",
                "{\"direction\":\"egress\",\"ethertype\":\"IPv6\",\"protocol\":\"udp\",\"portRangeMin\":53,\"portRangeMax\":53,\"remoteIpPrefix\":\"2001:db8::/32\"}");
        send(member, "GET", "/v1/security-groups/{id}/rules", "/v1/security-groups/" + web + "/rules", null);
        valid("PUT", "/v1/security-groups/{id}/rules", s.call(member, "PUT", "/v1/security-groups/" + web + "/rules", "tcp:443,443,ip4:0.0.0.0\n", "text/plain"));

        String ipSet = send(member, "POST", "/v1/ip-sets", "/v1/ip-sets",
                "{\"name\":\"office\",\"version\":4,\"entries\":[\"198.51.100.0/24\",\"203.0.113.5\"]}").json().path("id").asText();
        send(member, "GET", "/v1/ip-sets", "/v1/ip-sets", null);
        send(member, "PATCH", "/v1/ip-sets/{id}", "/v1/ip-sets/" + ipSet, "{\"description\":\"hq\"}");
        send(member, "DELETE", "/v1/ip-sets/{id}/entries", "/v1/ip-sets/" + ipSet + "/entries", "{\"entries\":[\"203.0.113.5\"]}");
        send(member, "GET", "/v1/ip-sets/{id}", "/v1/ip-sets/" + ipSet, null);

        send(admin, "POST", "/v1/networks", "/v1/networks", "{\"name\":\"net1\",\"subnets\":[\"192.0.2.0/24\"],\"gateways\":[\"192.0.2.1\"]}");
        send(admin, "GET", "/v1/networks", "/v1/networks", null);
        send(admin, "POST", "/v1/hosts", "/v1/hosts", "{\"name\":\"hv01\"}");
        send(admin, "GET", "/v1/hosts/{id}", "/v1/hosts/hv01", null);
        String hostToken = s.post(admin, "/v1/tokens", "{\"role\":\"host\",\"host\":\"hv01\"}").json().path("token").asText();
        s.call(hostToken, "PUT", "/v1/hosts/hv01/status", "{\"appliedRevision\":1}", "application/json");
        send(admin, "GET", "/v1/hosts", "/v1/hosts", null);

        String instance = send(member, "POST", "/v1/instances", "/v1/instances", "{\"name\":\"vm1\"}").json().path("id").asText();
        // Placing a vnic on a host is the admin's (or the orchestrator's) part.
        String vnic = send(admin, "POST", "/v1/vnics", "/v1/vnics", "{\"project\":\"shop\",\"instance\":\"" + instance + "\",\"host\":\"hv01\",\"device\":\"tapvm1\","
                + "\"mac\":\"52:54:00:00:00:11\",\"network\":\"net1\",\"addresses\":[\"192.0.2.11\"],\"securityGroups\":[\"web\"]}").json().path("id").asText();
        String unbound = send(member, "POST", "/v1/vnics", "/v1/vnics", "{\"mac\":\"52:54:00:00:00:12\"}").json().path("id").asText();
        send(member, "GET", "/v1/vnics", "/v1/vnics", null);
        send(member, "PATCH", "/v1/vnics/{id}", "/v1/vnics/" + vnic, "{\"logDrops\":true}");
        send(member, "PUT", "/v1/vnics/{id}/security-groups", "/v1/vnics/" + vnic + "/security-groups", "{\"securityGroups\":[\"web\",\"dbclnts\"]}");
        send(member, "PUT", "/v1/instances/{id}/security-groups", "/v1/instances/" + instance + "/security-groups", "{\"securityGroups\":[\"web\"]}");
        send(member, "GET", "/v1/instances/{id}", "/v1/instances/" + instance, null);
        send(member, "GET", "/v1/instances", "/v1/instances", null);
        assertThat(send(member, "GET", "/v1/explain", "/v1/explain?from=198.51.100.7&to=" + vnic + "&proto=tcp&port=443", null).json().path("verdict").asText())
                .isEqualTo("allow");
        assertThat(send(member, "GET", "/v1/explain", "/v1/explain?from=198.51.100.7&to=" + vnic + "&proto=udp&port=53", null).json().path("group").isNull()).isTrue();
        assertThat(send(member, "GET", "/v1/explain", "/v1/explain?from=198.51.100.7", null).status()).isBetween(400, 422);
        send(member, "GET", "/v1/vnics/{id}/stats", "/v1/vnics/" + vnic + "/stats", null);
        send(admin, "GET", "/v1/hosts/{id}/stats", "/v1/hosts/hv01/stats", null);
        assertThat(send(hostToken, "PUT", "/v1/hosts/{id}/stats", "/v1/hosts/hv01/stats", "{\"counters\":[{\"vnic\":\"" + vnic + "\",\"direction\":\"ingress\",\"verdict\":\"drop\","
                + "\"reason\":\"no-rule\",\"packets\":3,\"bytes\":180}],\"unknownPort\":{\"packets\":1,\"bytes\":60},\"drops\":[{\"time\":\"2026-01-01T00:00:00Z\","
                + "\"vnic\":\"" + vnic + "\",\"direction\":\"ingress\",\"reason\":\"no-rule\",\"protocol\":\"udp\",\"src\":\"198.51.100.7\",\"srcPort\":5000,"
                + "\"dst\":\"192.0.2.11\",\"dstPort\":53,\"icmpType\":-1,\"icmpCode\":-1,\"neededGroup\":null,\"neededRule\":null}],\"dropsLost\":0}").status()).isEqualTo(204);
        assertThat(send(member, "GET", "/v1/vnics/{id}/drops", "/v1/vnics/" + vnic + "/drops?since=0&limit=10", null).json().path("items")).hasSize(1);
        assertThat(send(member, "GET", "/v1/vnics/{id}/drops", "/v1/vnics/" + vnic + "/drops?limit=0", null).status()).isEqualTo(400);
        send(hostToken, "PUT", "/v1/hosts/{id}/status", "/v1/hosts/hv01/status", "{\"appliedRevision\":2,\"error\":null}");
        JsonNode full = send(hostToken, "GET", "/v1/watch", "/v1/watch?host=hv01&since=0&wait=5", null).json();
        assertThat(full.path("full").asBoolean()).isTrue();
        assertThat(full.path("world").path("vnics").findValuesAsText("id")).contains(vnic);
        send(admin, "PATCH", "/v1/vnics/{id}", "/v1/vnics/" + vnic, "{\"description\":\"db client\"}");
        send(hostToken, "GET", "/v1/watch", "/v1/watch?host=hv01&since=" + full.path("revision").asLong() + "&wait=5", null);
        assertThat(send(hostToken, "GET", "/v1/watch", "/v1/watch?host=nosuch", null).status()).isEqualTo(404);
        send(null, "GET", "/healthz", "/healthz", null);
        assertThat(send(null, "GET", "/openapi.json", "/openapi.json", null).json().path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(send(member, "GET", "/v1/vnics/{id}/stats", "/v1/vnics/" + vnic + "/stats", null).json().path("ingress").path("dropped").path("no-rule")
                .path("packets").asInt()).isEqualTo(3);
        send(member, "GET", "/v1/vnics/{id}/stats", "/v1/vnics/" + unbound + "/stats", null);
        assertThat(send(hostToken, "GET", "/v1/hosts/{id}/stats", "/v1/hosts/hv01/stats", null).json().path("unknownPort").path("packets").asInt()).isEqualTo(1);

        // Errors: every one the error schema.
        assertThat(send(member, "POST", "/v1/security-groups", "/v1/security-groups", "{\"name\":\"\"}").status()).isBetween(400, 422);
        assertThat(send(member, "GET", "/v1/vnics/{id}", "/v1/vnics/vif-nosuch1", null).status()).isEqualTo(404);
        assertThat(send(member, "DELETE", "/v1/security-groups/{id}", "/v1/security-groups/web", null).status()).isEqualTo(409);
        assertThat(valid("PUT", "/v1/security-groups/{id}/rules", s.call(member, "PUT", "/v1/security-groups/" + web + "/rules", "tcp:0,1,ip4:0.0.0.0", "text/plain"))
                .json().path("error").path("line").asInt()).isEqualTo(1);
        assertThat(send(member, "POST", "/v1/projects", "/v1/projects", "{\"name\":\"theirs\"}").status()).isEqualTo(403);
        assertThat(checked).isGreaterThan(35);
    }

    @Test
    void theOperationsOutsideTheObjectKindsAnswerAsDocumented() {
        String admin = s.adminToken;
        String project = send(admin, "POST", "/v1/projects", "/v1/projects", "{\"name\":\"shop\"}").json().path("id").asText();
        String member = send(admin, "POST", "/v1/tokens", "/v1/tokens", "{\"role\":\"member\",\"project\":\"shop\",\"description\":\"ci\"}").json().path("token").asText();
        send(admin, "POST", "/v1/hosts", "/v1/hosts", "{\"name\":\"hv01\"}");
        String host = send(admin, "POST", "/v1/tokens", "/v1/tokens", "{\"role\":\"host\",\"host\":\"hv01\"}").json().path("token").asText();
        send(admin, "POST", "/v1/tokens", "/v1/tokens", "{\"role\":\"auditor\"}");
        send(admin, "GET", "/v1/tokens", "/v1/tokens", null);
        assertThat(send(admin, "POST", "/v1/tokens", "/v1/tokens", "{\"role\":\"king\"}").status()).isEqualTo(422);
        assertThat(send(member, "GET", "/v1/tokens", "/v1/tokens", null).status()).isEqualTo(403);

        send(member, "GET", "/v1/policy", "/v1/policy", null);
        for (String token : List.of(admin, member, host)) {
            send(token, "GET", "/v1/whoami", "/v1/whoami", null);
        }
        assertThat(send(member, "GET", "/v1/events", "/v1/events?since=0&wait=0", null).json().path("changed").asBoolean()).isTrue();
        assertThat(send(member, "GET", "/v1/events", "/v1/events?since=-1", null).status()).isEqualTo(400);

        assertThat(send(member, "POST", "/v1/rule-text/check", "/v1/rule-text/check", "{\"text\":\"tcp:22,22,ip4:192.168.0.1/24\\n\",\"dialect\":\"wakame\"}")
                .json().path("warnings")).hasSize(1);
        assertThat(send(member, "POST", "/v1/rule-text/check", "/v1/rule-text/check", "{\"text\":\"tcp:0,1,ip4:0.0.0.0\"}").json().path("valid").asBoolean()).isFalse();
        assertThat(send(member, "POST", "/v1/rule-text/check", "/v1/rule-text/check", "{\"text\":\"\",\"dialect\":\"klingon\"}").status()).isEqualTo(400);

        String ipSet = send(member, "POST", "/v1/ip-sets", "/v1/ip-sets", "{\"name\":\"office\",\"version\":4,\"entries\":[\"198.51.100.0/24\"]}").json().path("id").asText();
        assertThat(send(member, "POST", "/v1/ip-sets/{id}/entries", "/v1/ip-sets/" + ipSet + "/entries", "{\"entries\":[\"198.51.100.0/24\",\"203.0.113.5\",\"nonsense\"]}")
                .json().path("invalid")).hasSize(1);
        send(member, "POST", "/v1/ip-sets/{id}/entries", "/v1/ip-sets/" + ipSet + "/entries", "{\"entries\":[\"203.0.113.9\"]}");

        send(member, "GET", "/v1/projects/{id}/quota", "/v1/projects/" + project + "/quota", null);
        send(admin, "PUT", "/v1/projects/{id}/quota", "/v1/projects/" + project + "/quota", "{\"groups\":5,\"vnics\":null}");
        // A body the document refuses too: the answer is still the documented error.
        assertThat(valid("PUT", "/v1/projects/{id}/quota", s.call(admin, "PUT", "/v1/projects/" + project + "/quota", "{\"groups\":-1}", "application/json")).status())
                .isEqualTo(422);
        assertThat(send(member, "PUT", "/v1/projects/{id}/quota", "/v1/projects/" + project + "/quota", "{\"groups\":50}").status()).isEqualTo(403);

        // The OpenStack routes' errors: Neutron's body, Identity's for projects.
        for (String[] call : new String[][] {{"GET", "/v2.0/security-groups/{id}", "/v2.0/security-groups/00000000-0000-4000-8000-000000000000", null},
                {"POST", "/v2.0/security-group-rules", "/v2.0/security-group-rules", "{\"security_group_rule\":{\"protocol\":\"tcpx\"}}"},
                {"GET", "/v2.0/security-groups", "/v2.0/security-groups", null}, {"GET", "/os-quota-sets/{project_id}", "/os-quota-sets/p-nosuch00", null},
                {"GET", "/projects/{id}", "/projects/p-nosuch00", null}}) {
            boolean anonymous = call[2].equals("/v2.0/security-groups");
            TestServer.Response r = anonymous ? s.send(call[0], call[2], call[3]) : s.send(call[0], call[2], call[3], "X-Auth-Token", member, "Content-Type", "application/json");
            assertThat(valid(call[0], call[1], r).status()).as("%s %s", call[0], call[2]).isBetween(400, 404);
        }
        send(admin, "GET", "/v1/audit", "/v1/audit", null);
        assertThat(send(member, "GET", "/v1/audit", "/v1/audit?since=0", null).json().path("items")).isNotEmpty();
        assertThat(checked).isGreaterThan(25);
    }

    /**
     * A client made from the document alone: for each object kind, its create and show operations
     * (the paths whose request and response name the kind's schemas) and the fields its request
     * takes. It knows nothing else of Stockade.
     */
    private record GeneratedClient(JsonNode doc, TestServer server, String token) {
        record Operations(String create, String show, Set<String> fields) {}

        Operations operations(String kind) {
            String create = null;
            String show = null;
            for (var paths = doc.path("paths").fields(); paths.hasNext(); ) {
                var p = paths.next();
                String post = p.getValue().path("post").path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText();
                String get = p.getValue().path("get").path("responses").path("200").path("content").path("application/json").path("schema").path("$ref").asText();
                if (post.equals("#/components/schemas/" + kind + "Request") && !p.getKey().contains("{")) {
                    create = p.getKey();
                }
                if (get.equals("#/components/schemas/" + kind) && p.getKey().endsWith("/{id}")) {
                    show = p.getKey();
                }
            }
            Set<String> fields = new java.util.TreeSet<>();
            doc.path("components").path("schemas").path(kind + "Request").path("properties").fieldNames().forEachRemaining(fields::add);
            return new Operations(create, show, fields);
        }

        JsonNode create(String kind, ObjectNode body) {
            TestServer.Response r = server.post(token, operations(kind).create(), body.toString());
            assertThat(r.status()).as("create %s %s: %s", kind, body, r.text()).isEqualTo(201);
            return r.json();
        }

        JsonNode show(String kind, String id) {
            return server.get(token, operations(kind).show().replace("{id}", id)).json();
        }
    }

    @Test
    void aClientGeneratedFromTheDocumentRoundTripsOneObjectOfEveryKind() {
        GeneratedClient client = new GeneratedClient(doc, s, s.adminToken);
        s.post(s.adminToken, "/v1/projects", "{\"name\":\"admin\"}");
        for (String kind : List.of("Project", "Network", "Host", "IpSet", "SecurityGroup", "Instance", "Vnic")) {
            GeneratedClient.Operations ops = client.operations(kind);
            assertThat(ops.create()).as(kind).isNotNull();
            assertThat(ops.show()).as(kind).isNotNull();
            // One object: the document's example, its plain fields that the request takes (references to other examples left out).
            JsonNode example = doc.path("components").path("schemas").path(kind).path("examples").get(0);
            ObjectNode body = MAPPER.createObjectNode();
            example.fields().forEachRemaining(f -> {
                JsonNode v = f.getValue();
                boolean plain = v.isValueNode() || (v.isArray() && v.size() > 0 && v.get(0).isValueNode());
                boolean reference = v.toString().contains("-example");
                if (ops.fields().contains(f.getKey()) && plain && !reference && !v.isNull()) {
                    body.set(f.getKey(), v);
                }
            });
            if (List.of("IpSet", "SecurityGroup", "Instance", "Vnic").contains(kind)) {
                body.put("project", "admin");
            }
            assertThat(body.size()).as("%s: %s", kind, body).isGreaterThanOrEqualTo(List.of("Project", "Instance").contains(kind) ? 2 : 3);
            JsonNode made = client.create(kind, body);
            JsonNode shown = client.show(kind, made.path("id").asText());
            body.remove("project");
            body.fields().forEachRemaining(f -> assertThat(shown.path(f.getKey())).as("%s.%s", kind, f.getKey()).isEqualTo(f.getValue()));
            assertThat(schema("#/components/schemas/" + kind).validate(shown)).as(kind).isEmpty();
        }
    }

    /**
     * Every operation of the native API documents its request body (when it takes one), its
     * success answer (a schema, or a status without a body) and its errors (a schema); the
     * OpenStack routes document their errors (their objects are Neutron's, in Neutron's api-ref).
     */
    @Test
    void everyOperationDocumentsItsBodiesAndErrors() {
        List<String> missing = new java.util.ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String name = op.getKey().toUpperCase() + " " + path.getKey();
            boolean openstack = path.getKey().startsWith("/v2.0") || path.getKey().startsWith("/projects") || path.getKey().startsWith("/os-quota-sets");
            JsonNode responses = op.getValue().path("responses");
            if (!responses.path("default").path("content").path("application/json").path("schema").has("$ref")) {
                missing.add(name + ": error schema");
            }
            if (openstack) {
                return;
            }
            if (OpenApi.takesBody(op.getKey().toUpperCase(), path.getKey()) && !op.getValue().path("requestBody").path("content").elements().hasNext()) {
                missing.add(name + ": request schema");
            }
            boolean success = false;
            for (var r = responses.fields(); r.hasNext(); ) {
                var e = r.next();
                if (e.getKey().startsWith("2")) {
                    JsonNode content = e.getValue().path("content");
                    success |= e.getKey().equals("204") ? content.isMissingNode()
                            : content.elements().hasNext() && content.elements().next().path("schema").has("$ref");
                }
            }
            if (!success) {
                missing.add(name + ": success schema");
            }
        }));
        assertThat(missing).isEmpty();
        JsonNode watch = doc.path("paths").path("/v1/watch").path("get");
        assertThat(watch.path("parameters").findValuesAsText("name")).containsExactly("host", "since", "wait");
        assertThat(watch.path("responses").has("204")).isTrue();
        assertThat(doc.path("components").path("schemas").path("Watch").path("properties").fieldNames()).toIterable()
                .contains("host", "revision", "full", "world", "diff");
    }

    /** The schemas refuse what the API does not send: the check above is not satisfied by empty schemas. */
    @Test
    void theSchemasRefuseAnswersOfAnotherShape() {
        assertThat(schema("#/components/schemas/Watch").validate(MAPPER.createObjectNode().put("host", 1))).isNotEmpty();
        assertThat(schema("#/components/schemas/VnicDrops").validate(MAPPER.createObjectNode().put("vnic", "vif-x1").put("next", 0))).isNotEmpty();
        ObjectNode report = MAPPER.createObjectNode();
        report.putArray("drops").addObject().put("time", "now");
        assertThat(schema("#/components/schemas/HostStatsReport").validate(report)).as("a drop line needs its vnic").isNotEmpty();
        assertThat(schema("#/components/schemas/HostStatsReport").validate(MAPPER.createObjectNode().put("count", 1))).isNotEmpty();
    }

    /** The check every test's answers go through fails on what the document does not describe. */
    @Test
    void theContractRefusesAnswersTheDocumentDoesNotDescribe() {
        String json = "application/json";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contract.check("GET", "/v1/vnics/vif-x1", 200, json, MAPPER.createObjectNode().put("id", 5), "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("#/components/schemas/Vnic");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contract.check("POST", "/v1/projects", 200, json, MAPPER.createObjectNode(), "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not a documented status");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contract.check("GET", "/v1/policy", 200, "text/plain", MAPPER.createObjectNode(), "x"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("sent text/plain");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contract.check("GET", "/v2.0/ports", 400, json,
                        MAPPER.createObjectNode().set("error", MAPPER.createObjectNode().put("code", "bad_request")), "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("NeutronError");
        assertThat(contract.check("GET", "/v1/vnics/vif-x1?fields=id", 404, json, MAPPER.createObjectNode().set("error",
                MAPPER.createObjectNode().put("code", "not_found").put("message", "no such vnic").putNull("field")), "{}")).isEqualTo("#/components/schemas/Error");
        assertThat(contract.template("/v2.0/security-groups/abc/tags/x")).isEqualTo("/v2.0/security-groups/{id}/tags/{tag}");
    }

    @Test
    void everyTypedOperationIsARouteAndEveryRouteIsListed() {
        for (String op : OpenApi.typedOperations()) {
            String[] mp = op.split(" ", 2);
            assertThat(doc.path("paths").path(mp[1]).has(mp[0].toLowerCase())).as(op).isTrue();
        }
        assertThat(doc.path("paths").has("/v2.0/security-groups")).isTrue();
        assertThat(doc.path("paths").path("/v1/vnics/{id}").path("get").path("responses").path("default").path("content").isObject()).isTrue();
    }
}
