package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.eval.FlowState;
import io.stockade.core.eval.Reason;
import io.stockade.core.eval.Verdict;
import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Instance;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Match;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import io.stockade.core.ruletext.RuleTextError;
import io.stockade.core.ruletext.RuleTextWarning;
import io.stockade.store.ChangeRecord;
import io.stockade.store.TokenRecord;
import io.stockade.wire.WatchAnswers;
import io.stockade.wire.WatchHub;
import io.stockade.wire.WorldJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /openapi.json} (OpenAPI 3.1), made from the route table so it lists every endpoint there
 * is. The object schemas are not written by hand: each is inferred from example objects rendered
 * by the same views the API answers with (a field present in every example is required, a field
 * that is null in one example is nullable), and each example is the schema's example. Request
 * bodies take their field names from the sets the operations accept, typed like the object's
 * field of the same name. Errors are the error body {@link Routes} writes, inferred the same way.
 */
final class OpenApi {
    private OpenApi() {}

    /** The request body and success response of one operation: component names, or null; the success status, or 0 for the method's usual one. */
    private record Shape(String request, String response, int status) {
        Shape(String request, String response) {
            this(request, response, 0);
        }
    }

    /** The views an example object is rendered through. */
    interface Render {
        ObjectNode project(Project p);

        ObjectNode group(SecurityGroup g);

        ObjectNode ipSet(IpSet s);

        ObjectNode network(Network n);

        ObjectNode host(Host h, boolean withStatus);

        ObjectNode instance(Instance i);

        ObjectNode vnic(Vnic v);

        ObjectNode error(ApiException e);

        /** The error body of an OpenStack route of this resource (Neutron's; Identity's for Project). */
        ObjectNode openstackError(ApiException e, String resource);
    }

    private static final Map<String, Shape> SHAPES = shapes();

    private static Map<String, Shape> shapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (String[] kind : new String[][] {{"projects", "Project"}, {"security-groups", "SecurityGroup"}, {"ip-sets", "IpSet"},
                {"networks", "Network"}, {"hosts", "Host"}, {"instances", "Instance"}, {"vnics", "Vnic"}}) {
            String path = "/v1/" + kind[0];
            m.put("GET " + path, new Shape(null, kind[1] + "List"));
            m.put("POST " + path, new Shape(kind[1] + "Request", kind[1]));
            m.put("GET " + path + "/{id}", new Shape(null, kind[1]));
            if (List.of("projects", "security-groups", "ip-sets", "vnics").contains(kind[0])) {
                m.put("PATCH " + path + "/{id}", new Shape(kind[1] + "Request", kind[1]));
            }
        }
        m.put("GET /v1/security-groups/{id}/rules", new Shape(null, "RuleArray"));
        m.put("POST /v1/security-groups/{id}/rules", new Shape("RuleRequest", "Rule"));
        m.put("PUT /v1/security-groups/{id}/rules", new Shape("RuleText", "SecurityGroup"));
        m.put("DELETE /v1/ip-sets/{id}/entries", new Shape("IpSetRequest", "IpSet"));
        m.put("PUT /v1/hosts/{id}/agent", new Shape("HostRequest", "Host"));
        m.put("PUT /v1/instances/{id}/security-groups", new Shape("VnicRequest", "Instance"));
        m.put("PUT /v1/vnics/{id}/security-groups", new Shape("VnicRequest", "Vnic"));
        m.put("POST /v1/ip-sets/{id}/entries", new Shape("IpSetEntriesRequest", "IpSetBulkAdd", 200));
        m.put("GET /v1/explain", new Shape(null, "Explain"));
        m.put("GET /v1/policy", new Shape(null, "Policy"));
        m.put("GET /v1/vnics/{id}/stats", new Shape(null, "VnicStats"));
        m.put("GET /v1/hosts/{id}/stats", new Shape(null, "HostStats"));
        m.put("GET /v1/audit", new Shape(null, "Audit"));
        m.put("GET /v1/tokens", new Shape(null, "TokenList"));
        m.put("POST /v1/tokens", new Shape("TokenRequest", "Token"));
        m.put("GET /v1/whoami", new Shape(null, "Whoami"));
        m.put("GET /v1/events", new Shape(null, "Events"));
        m.put("POST /v1/rule-text/check", new Shape("RuleTextCheckRequest", "RuleTextCheck", 200));
        m.put("GET /v1/projects/{id}/quota", new Shape(null, "Quota"));
        m.put("PUT /v1/projects/{id}/quota", new Shape("QuotaRequest", "Quota"));
        m.put("GET /v1/watch", new Shape(null, "Watch"));
        m.put("GET /v1/vnics/{id}/drops", new Shape(null, "VnicDrops"));
        m.put("PUT /v1/hosts/{id}/stats", new Shape("HostStatsReport", null, 204));
        m.put("PUT /v1/hosts/{id}/status", new Shape("HostStatusReport", null, 204));
        m.put("GET /v1/hosts/{id}/ruleset", new Shape(null, "Text"));
        m.put("GET /healthz", new Shape(null, "Health"));
        m.put("GET /metrics", new Shape(null, "Text"));
        m.put("GET /openapi.json", new Shape(null, "OpenApiDocument"));
        m.put("GET /v1/export", new Shape(null, "Export"));
        m.put("POST /v1/import", new Shape("ImportRequest", "ImportResult"));
        return m;
    }

    /** The schemas sent as text rather than JSON. */
    private static final Set<String> TEXT = Set.of("RuleText", "Text");

    /** A query parameter: its name, JSON Schema type, whether it is required, what it means. */
    private record Query(String name, String type, boolean required, String description) {}

    private static final Map<String, List<Query>> QUERIES = queries();

    private static Map<String, List<Query>> queries() {
        Map<String, List<Query>> m = new LinkedHashMap<>();
        List<Query> list = List.of(new Query("limit", "integer", false, "at most this many items, 1..1000 (100)"),
                new Query("offset", "integer", false, "skip this many items (0)"), new Query("name", "string", false, "only objects of this name"),
                new Query("project", "string", false, "only objects of this project (id)"));
        for (String kind : List.of("projects", "security-groups", "ip-sets", "networks", "hosts", "instances", "vnics")) {
            m.put("GET /v1/" + kind, list);
        }
        m.put("GET /v1/watch", List.of(new Query("host", "string", true, "the host (id or name) whose state to follow"),
                new Query("since", "integer", false, "the revision the caller holds (0: send the whole slice)"),
                new Query("wait", "integer", false, "seconds to wait for a newer revision, at most 60 (25); none by then is a 204")));
        m.put("GET /v1/vnics/{id}/drops", List.of(new Query("limit", "integer", false, "at most this many lines, 1..1000 (100)"),
                new Query("since", "integer", false, "only lines after this sequence number (0)"),
                new Query("wait", "integer", false, "seconds to wait for a line after since, 0..60 (0)")));
        m.put("GET /v1/events", List.of(new Query("since", "integer", true, "the revision the caller has seen"),
                new Query("wait", "integer", false, "seconds to wait for a newer revision")));
        m.put("GET /v1/audit", List.of(new Query("since", "integer", false, "changes after this revision (0)"),
                new Query("project", "string", false, "only this project's changes (admin)"), new Query("object", "string", false, "only this object's changes"),
                new Query("limit", "integer", false, "at most this many changes, 1..1000 (100)")));
        List<Query> explain = new ArrayList<>();
        for (String[] q : new String[][] {{"from", "string", "the sender: an address or a vnic"}, {"to", "string", "the receiver: an address or a vnic"},
                {"proto", "string", "tcp, udp, icmp, icmpv6 or a protocol number"}, {"port", "integer", "destination port"}, {"sport", "integer", "source port"},
                {"icmpType", "integer", "ICMP type"}, {"icmpCode", "integer", "ICMP code"}, {"state", "string", "new, established, reply or invalid"}}) {
            explain.add(new Query(q[0], q[1], false, q[2]));
        }
        m.put("GET /v1/explain", explain);
        return m;
    }

    /** Whether an operation takes a request body, and so must document one. */
    static boolean takesBody(String method, String path) {
        return (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) || path.endsWith("/entries");
    }

    /** Every (method, path) that has a typed request or response, to check the table against the routes. */
    static Set<String> typedOperations() {
        return SHAPES.keySet();
    }

    static ObjectNode document(ObjectMapper mapper, List<String[]> routes, Render render) {
        ObjectNode doc = mapper.createObjectNode().put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Stockade API").put("version", "1");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
        schemes.putObject("token").put("type", "apiKey").put("in", "header").put("name", "X-Auth-Token");
        components.set("schemas", schemas(mapper, render));
        doc.putArray("security").addObject().putArray("bearer");
        ObjectNode paths = doc.putObject("paths");
        for (String[] r : routes) {
            ObjectNode path = paths.has(r[1]) ? (ObjectNode) paths.get(r[1]) : paths.putObject(r[1]);
            ObjectNode op = path.putObject(r[0].toLowerCase());
            op.put("summary", r[2]);
            for (String part : r[1].split("/")) {
                if (part.startsWith("{")) {
                    op.withArray("parameters").addObject().put("name", part.substring(1, part.length() - 1)).put("in", "path").put("required", true)
                            .putObject("schema").put("type", "string");
                }
            }
            for (Query q : QUERIES.getOrDefault(r[0] + " " + r[1], List.of())) {
                op.withArray("parameters").addObject().put("name", q.name()).put("in", "query").put("required", q.required())
                        .put("description", q.description()).putObject("schema").put("type", q.type());
            }
            Shape shape = SHAPES.get(r[0] + " " + r[1]);
            if (shape != null && shape.request() != null) {
                String type = TEXT.contains(shape.request()) ? "text/plain" : "application/json";
                op.putObject("requestBody").put("required", true).putObject("content").putObject(type).putObject("schema")
                        .put("$ref", "#/components/schemas/" + shape.request());
            }
            ObjectNode responses = op.putObject("responses");
            boolean body = shape != null && shape.response() != null;
            // Neutron's tag PUT creates the tag (201); its GET says the tag is there (204).
            boolean tag = r[1].endsWith("/tags/{tag}");
            String code = shape != null && shape.status() != 0 ? Integer.toString(shape.status())
                    : r[0].equals("POST") || (r[0].equals("PUT") && tag) ? "201" : (r[0].equals("DELETE") || (r[0].equals("GET") && tag)) && !body ? "204" : "200";
            ObjectNode ok = responses.putObject(code).put("description", "success");
            if (body) {
                ok.putObject("content").putObject(TEXT.contains(shape.response()) ? "text/plain" : "application/json").putObject("schema")
                        .put("$ref", "#/components/schemas/" + shape.response());
            }
            if (r[1].equals("/v1/security-groups/{id}/rules") && r[0].equals("GET")) {
                ((ObjectNode) ok.path("content")).putObject("text/plain").putObject("schema").put("$ref", "#/components/schemas/RuleText");
            }
            if (r[1].equals("/healthz")) {
                responses.putObject("503").put("description", "the store is unavailable").putObject("content").putObject("application/json")
                        .putObject("schema").put("$ref", "#/components/schemas/Health");
            }
            if (r[1].equals("/v1/watch")) {
                responses.putObject("204").put("description", "no newer revision within wait seconds");
            }
            boolean neutron = io.stockade.server.neutron.NeutronRoutes.serves(r[1]);
            if (neutron) {
                op.putArray("security").addObject().putArray("token");
                responses.putObject("default").put("description", "error").putObject("content").putObject("application/json").putObject("schema")
                        .put("$ref", "#/components/schemas/" + (r[1].startsWith("/projects") ? "IdentityError" : "NeutronError"));
            } else {
                responses.putObject("default").put("description", "error (400, 401, 403, 404, 409, 412, 413, 422, 429, 503)")
                        .putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
            }
        }
        return doc;
    }

    /** The component schemas, each inferred from examples rendered by the API's own views. */
    /** An answer sent as text, as a tree (the watch's, which is written as text). */
    private static ObjectNode answer(ObjectMapper mapper, String text) {
        try {
            return (ObjectNode) mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an answer that is not JSON: " + e.getMessage(), e);
        }
    }

    private static ObjectNode schemas(ObjectMapper mapper, Render render) {
        Map<String, List<ObjectNode>> examples = examples(mapper, render);
        ObjectNode schemas = mapper.createObjectNode();
        examples.forEach((name, list) -> {
            ObjectNode s = infer(mapper, new ArrayList<>(list));
            s.putArray("examples").add(list.get(0));
            schemas.set(name, s);
        });
        ((ObjectNode) schemas.path("IpSetBulkAdd").path("properties")).putObject("ipSet").put("$ref", "#/components/schemas/IpSet");
        ObjectNode ruleArray = schemas.putObject("RuleArray").put("type", "array");
        ruleArray.putObject("items").put("$ref", "#/components/schemas/Rule");
        for (String kind : List.of("Project", "SecurityGroup", "IpSet", "Network", "Host", "Instance", "Vnic")) {
            ObjectNode list = schemas.putObject(kind + "List").put("type", "object");
            list.putArray("required").add("total").add("nextOffset").add("items");
            ObjectNode props = list.putObject("properties");
            props.putObject("total").put("type", "integer");
            props.putObject("nextOffset").putArray("type").add("integer").add("null");
            props.putObject("items").put("type", "array").putObject("items").put("$ref", "#/components/schemas/" + kind);
        }
        request(mapper, schemas, "ProjectRequest", "Project", AdminRequests.PROJECT_FIELDS);
        request(mapper, schemas, "SecurityGroupRequest", "SecurityGroup", GroupRequests.GROUP_FIELDS);
        request(mapper, schemas, "RuleRequest", "Rule", GroupRequests.RULE_FIELDS);
        request(mapper, schemas, "IpSetRequest", "IpSet", IpSetRequests.FIELDS);
        request(mapper, schemas, "NetworkRequest", "Network", AdminRequests.NETWORK_FIELDS);
        request(mapper, schemas, "HostRequest", "Host", AdminRequests.HOST_FIELDS);
        request(mapper, schemas, "InstanceRequest", "Instance", VnicRequests.INSTANCE_FIELDS);
        request(mapper, schemas, "VnicRequest", "Vnic", VnicRequests.VNIC_FIELDS);
        request(mapper, schemas, "IpSetEntriesRequest", "IpSet", Set.of("entries"));
        strings(schemas, "TokenRequest", "role", "project", "host", "description");
        strings(schemas, "RuleTextCheckRequest", "text", "project", "dialect");
        ObjectNode quota = schemas.putObject("QuotaRequest").put("type", "object").put("additionalProperties", false).putObject("properties");
        for (String f : new java.util.TreeSet<>(AdminRequests.QUOTA_FIELDS)) {
            quota.putObject(f).put("minimum", 0).putArray("type").add("integer").add("null");
        }
        schemas.set("ImportRequest", importRequest(schemas.path("Export").deepCopy()));
        schemas.putObject("RuleText").put("type", "string").put("description", "Wakame-vdc rule text, one rule a line")
                .putArray("examples").add("tcp:22,22,ip4:0.0.0.0\ntcp:3306,3306,sg-dbclnts\n");
        schemas.putObject("Text").put("type", "string").put("description", "plain text (an nftables ruleset, Prometheus metrics)");
        ObjectNode document = schemas.putObject("OpenApiDocument").put("type", "object");
        document.putArray("required").add("openapi").add("info").add("paths");
        document.putObject("properties").putObject("openapi").put("type", "string");
        // What an agent sends: only the fields are fixed; the server checks each counter row and needs a vnic on each drop line.
        ObjectNode report = (ObjectNode) schemas.get("HostStatsReport");
        report.put("additionalProperties", false).putArray("required");
        ObjectNode reportProps = (ObjectNode) report.get("properties");
        ((ObjectNode) reportProps.path("unknownPort")).put("additionalProperties", false).putArray("required");
        ((ObjectNode) reportProps.path("counters").path("items")).put("additionalProperties", false);
        ((ObjectNode) reportProps.path("drops").path("items")).putArray("required").add("vnic");
        ((ObjectNode) schemas.path("VnicDrops").path("properties").path("items").path("items")).putArray("required").add("vnic").add("seq").add("host");
        ObjectNode status = schemas.putObject("HostStatusReport").put("type", "object").put("additionalProperties", false);
        ObjectNode statusProps = status.putObject("properties");
        statusProps.putObject("appliedRevision").put("type", "integer");
        statusProps.putObject("error").putArray("type").add("string").add("null");
        return schemas;
    }

    /**
     * A request body: the fields the operation accepts, each typed like the object's field of the
     * same name when that is a plain value (references by name or id are strings either way).
     */
    private static void request(ObjectMapper mapper, ObjectNode schemas, String name, String object, Set<String> fields) {
        ObjectNode s = schemas.putObject(name).put("type", "object").put("additionalProperties", false);
        ObjectNode props = s.putObject("properties");
        JsonNode shown = schemas.path(object).path("properties");
        for (String f : new java.util.TreeSet<>(fields)) {
            JsonNode t = WIDER.containsKey(name + "." + f) ? WIDER.get(name + "." + f) : shown.path(f).path("type");
            boolean plain = t.isTextual() ? !t.asText().equals("array") && !t.asText().equals("object")
                    : t.isArray() && !t.toString().contains("array") && !t.toString().contains("object");
            props.set(f, plain ? mapper.createObjectNode().set("type", t) : mapper.createObjectNode());
        }
    }

    /**
     * What {@code POST /v1/import} takes: an export, with no field required (a member's import is
     * its ip sets, groups, instances and vnics; objects without an id get one), and no other field
     * at its top.
     */
    private static JsonNode importRequest(ObjectNode export) {
        export.remove("examples");
        export.put("additionalProperties", false);
        List<JsonNode> todo = new ArrayList<>(List.of(export));
        while (!todo.isEmpty()) {
            JsonNode n = todo.remove(todo.size() - 1);
            if (n instanceof ObjectNode o) {
                o.remove("required");
            }
            n.forEach(todo::add);
        }
        return export;
    }

    /** A request body of text fields only. */
    private static void strings(ObjectNode schemas, String name, String... fields) {
        ObjectNode props = schemas.putObject(name).put("type", "object").put("additionalProperties", false).putObject("properties");
        for (String f : fields) {
            props.putObject(f).put("type", "string");
        }
    }

    /** Request fields that take more than the answer shows: a protocol by name or number. */
    private static final Map<String, JsonNode> WIDER = Map.of("RuleRequest.protocol",
            new ObjectMapper().createArrayNode().add("string").add("integer").add("null"));

    /** A JSON Schema that every example satisfies: the union of their types, a field required when all have it. */
    private static ObjectNode infer(ObjectMapper mapper, List<? extends JsonNode> examples) {
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode e : examples) {
            types.add(switch (e.getNodeType()) {
                case OBJECT -> "object";
                case ARRAY -> "array";
                case STRING -> "string";
                case BOOLEAN -> "boolean";
                case NUMBER -> e.isIntegralNumber() ? "integer" : "number";
                default -> "null";
            });
        }
        ObjectNode s = mapper.createObjectNode();
        if (types.size() == 1) {
            s.put("type", types.iterator().next());
        } else {
            ArrayNode t = s.putArray("type");
            types.forEach(t::add);
        }
        List<JsonNode> objects = examples.stream().filter(JsonNode::isObject).map(e -> (JsonNode) e).toList();
        if (!objects.isEmpty()) {
            Map<String, List<JsonNode>> byField = new LinkedHashMap<>();
            objects.forEach(o -> o.fieldNames().forEachRemaining(f -> byField.computeIfAbsent(f, k -> new ArrayList<>()).add(o.get(f))));
            ObjectNode props = s.putObject("properties");
            ArrayNode required = s.putArray("required");
            byField.forEach((f, values) -> {
                props.set(f, infer(mapper, values));
                if (values.size() == objects.size()) {
                    required.add(f);
                }
            });
        }
        List<JsonNode> items = new ArrayList<>();
        examples.stream().filter(JsonNode::isArray).forEach(a -> a.forEach(items::add));
        if (types.contains("array") && !items.isEmpty()) {
            s.set("items", infer(mapper, items));
        }
        return s;
    }

    /** One or more example objects of every kind, rendered by the API's views (two where a field may be null or absent). */
    private static Map<String, List<ObjectNode>> examples(ObjectMapper mapper, Render render) {
        Map<String, List<ObjectNode>> m = new LinkedHashMap<>();
        Project demo = new Project("p-example1", "demo", false);
        m.put("Project", List.of(render.project(demo)));
        Rule ssh = new Rule("sgr-example1", Direction.INGRESS, IpVersion.V4, new Match.Ports(Match.TCP, 22, 22), new Remote.CidrRemote(Cidr.ANY4), "ssh",
                new Rule.AsGiven("6", "0.0.0.0/0"));
        Rule ping = new Rule("sgr-example2", Direction.INGRESS, IpVersion.V4, new Match.Icmp(8, -1), new Remote.GroupRemote("sg-example2"), "");
        Rule gre = new Rule("sgr-example3", Direction.INGRESS, IpVersion.V6, new Match.Protocol(47), new Remote.IpSetRemote("ips-example1"), "",
                new Rule.AsGiven("47", null));
        Rule any = new Rule("sgr-example4", Direction.EGRESS, IpVersion.V6, new Match.AnyProtocol(), new Remote.CidrRemote(Cidr.ANY6), "",
                new Rule.AsGiven(null, null));
        SecurityGroup web = new SecurityGroup("sg-example1", "p-example1", "web", "web servers", true, false, List.of(ssh, ping, gre, any));
        SecurityGroup empty = new SecurityGroup("sg-example2", "p-example1", "db", "", true, false, List.of());
        m.put("SecurityGroup", List.of(render.group(web), render.group(empty)));
        List<ObjectNode> rules = new ArrayList<>();
        render.group(web).path("rules").forEach(r -> rules.add((ObjectNode) r));
        m.put("Rule", rules);
        IpSet office = new IpSet("ips-example1", "p-example1", "office", "", IpVersion.V6, false, List.of(new IpSet.Entry(Cidr.parse("2001:db8::/32", "entries"), "hq")));
        m.put("IpSet", List.of(render.ipSet(office)));
        Network net1 = new Network("net-example1", "net1", List.of(Cidr.parse("192.0.2.0/24", "subnets")),
                List.of(Ip.parse("192.0.2.1", "gateways")), List.of(Ip.parse("192.0.2.2", "dhcpServers")), List.of(Ip.parse("192.0.2.2", "dnsServers")),
                List.of(MacAddress.parse("52:54:00:00:00:fe", "routerMacs")), FirewallMode.SECURITY_GROUPS);
        Network bare = new Network("net-example2", "bare", List.of(), List.of(), List.of(), List.of(), List.of(), FirewallMode.PASSTHROUGH);
        m.put("Network", List.of(render.network(net1), render.network(bare)));
        Host hv = new Host("h-example1", "hv01", "br0", List.of("eth1"));
        Host hv2 = new Host("h-example2", "hv02", "br0", List.of());
        m.put("Host", List.of(render.host(hv, true), render.host(hv2, false)));
        m.put("Instance", List.of(render.instance(new Instance("i-example1", "p-example1", "vm1"))));
        Vnic bound = new Vnic("vif-example1", "p-example1", "vm1-eth0", "i-example1", "h-example1", "tapexample1", MacAddress.parse("52:54:00:00:00:01", "mac"),
                List.of(Ip.parse("192.0.2.10", "addresses")), "net-example1", List.of("sg-example1"), true, false);
        Vnic unbound = new Vnic("vif-example2", "p-example1", "", null, null, null, MacAddress.parse("52:54:00:00:00:02", "mac"), List.of(), null, List.of(), true, false);
        m.put("Vnic", List.of(render.vnic(bound), render.vnic(unbound)));
        // The watch: a host's whole slice, or the diff from an older one (a group changed, another gone).
        World slice = World.builder().revision(12).policy(Policy.wakame()).project(demo).group(web).group(empty).ipSet(office).network(net1).network(bare)
                .host(hv).host(hv2).vnic(bound).vnic(unbound).build();
        World older = slice.toBuilder().revision(9).group(web.withRules(List.of(ssh)))
                .group(new SecurityGroup("sg-example3", "p-example1", "old", "", true, false, List.of())).build();
        WorldJson wire = new WorldJson(mapper);
        WatchAnswers watch = new WatchAnswers(mapper, wire);
        m.put("Watch", List.of(answer(mapper, watch.text(new WatchHub.Update("h-example1", 12, slice, null))),
                answer(mapper, watch.text(new WatchHub.Update("h-example1", 12, null, SliceDiff.between(older, slice))))));
        World exported = World.builder().project(new Project("p-example1", "demo", false)).group(web).group(empty)
                .ipSet(new IpSet("ips-example1", "p-example1", "office", "", IpVersion.V6, false, List.of(new IpSet.Entry(Cidr.parse("2001:db8::/32", "entries"), "hq"))))
                .network(new Network("net-example1", "net1", List.of(Cidr.parse("192.0.2.0/24", "subnets")), List.of(Ip.parse("192.0.2.1", "gateways")),
                        List.of(), List.of(), List.of(), FirewallMode.SECURITY_GROUPS))
                .host(hv).host(hv2).instance(new Instance("i-example1", "p-example1", "vm1")).vnic(bound).vnic(unbound).revision(12).build();
        m.put("Export", List.of(ImportOps.export(new io.stockade.wire.WorldJson(mapper), mapper.createObjectNode(), exported,
                new Caller("tok-example1", Caller.Role.ADMIN, null, null))));
        ObjectNode imported = mapper.createObjectNode().put("revision", 13);
        ObjectNode counts = imported.putObject("imported");
        ImportRequests.KINDS.forEach(k -> counts.put(k, 1));
        m.put("ImportResult", List.of(imported));
        m.put("Error", List.of(render.error(ApiException.invalid("name", "is required")),
                render.error(ApiException.notFound("security group", "sg-nosuch")),
                render.error(new ApiException(422, "invalid_rule_text", "text", "1:5: out of range port number 0").withPosition(1, 5))));
        m.put("NeutronError", List.of(render.openstackError(ApiException.notFound("security group", "sg-nosuch"), "SecurityGroup"),
                render.openstackError(ApiException.invalid("protocol", "unknown protocol 'tcpx'"), "SecurityGroupRule")));
        m.put("IdentityError", List.of(render.openstackError(ApiException.notFound("project", "p-nosuch"), "Project")));
        answers(mapper, m, render.ipSet(new IpSet("ips-example1", "p-example1", "office", "", IpVersion.V4, false,
                List.of(new IpSet.Entry(Cidr.parse("198.51.100.0/24", "entries"), "")))));
        return m;
    }

    /**
     * Drop lines as an agent reports them (the agent's {@code Drop} record; the server keeps each
     * line as sent): one a rule would have let through, one none can (spoofing).
     */
    private static List<ObjectNode> dropLines(ObjectMapper mapper) {
        ObjectNode needsRule = mapper.createObjectNode().put("time", "2026-01-01T00:00:00Z").put("vnic", "vif-example1").put("direction", "ingress")
                .put("reason", "no-rule").put("protocol", "tcp").put("src", "198.51.100.7").put("srcPort", 40000).put("dst", "192.0.2.10")
                .put("dstPort", 3306).put("icmpType", -1).put("icmpCode", -1).put("neededGroup", "sg-example1").put("neededRule", "tcp:3306,3306,ip4:198.51.100.7");
        ObjectNode spoofed = needsRule.deepCopy().put("direction", "egress").put("reason", "spoofing");
        spoofed.putNull("neededGroup").putNull("neededRule");
        return List.of(needsRule, spoofed);
    }

    /** Examples of the answers outside the object kinds, rendered as their handlers render them. */
    private static void answers(ObjectMapper mapper, Map<String, List<ObjectNode>> m, ObjectNode ipSet) {
        Cidr office = Cidr.parse("198.51.100.0/24", "entries");
        Cidr host = Cidr.parse("198.51.100.7/32", "entries");
        m.put("IpSetBulkAdd", List.of(Answers.bulkAdd(mapper, new IpSet.BulkAdd(List.of(new IpSet.Entry(office, "")), List.of(office), List.of(host),
                List.of(new IpSet.Rejected("nonsense", "not an address or network"))), ipSet)));
        m.put("Policy", List.of(Answers.policy(mapper, Policy.wakame().knobs()), Answers.policy(mapper, Policy.profile("openstack").knobs())));
        m.put("Audit", List.of(Answers.audit(mapper, 12, List.of(
                new ChangeRecord(11, 1, "2026-01-01T00:00:00Z", "tok-example1", "group", "sg-example1", "p-example1", "create", "{\"name\":\"web\"}"),
                new ChangeRecord(12, 1, "2026-01-01T00:00:01Z", "tok-example2", "network", "net-example1", null, "delete", "{}")))));
        m.put("TokenList", List.of(Answers.tokens(mapper, List.of(
                new TokenRecord("tok-example1", "", "member", "p-example1", null, "ci", "2026-01-01T00:00:00Z"),
                new TokenRecord("tok-example2", "", "host", null, "hv01", null, "2026-01-01T00:00:00Z")))));
        m.put("Token", List.of(Answers.createdToken(mapper, "stk_example", "member", "p-example1", null),
                Answers.createdToken(mapper, "stk_example", "host", null, "hv01")));
        m.put("Whoami", List.of(Answers.whoami(mapper, new Caller("tok-example1", Caller.Role.MEMBER, "p-example1", null), "demo", "wakame", 12),
                Answers.whoami(mapper, new Caller("tok-example2", Caller.Role.ADMIN, null, null), null, "wakame", 12),
                Answers.whoami(mapper, new Caller("tok-example3", Caller.Role.HOST, null, "hv01"), null, "wakame", 12)));
        m.put("Events", List.of(Answers.events(mapper, 12, true)));
        m.put("VnicStats", List.of(StatsRoutes.vnicStats(mapper, "vif-example1", "h-example1", true, new VnicObservations.Counters("h-example1", "2026-01-01T00:00:00Z",
                        List.of(new VnicObservations.Row("ingress", "accept", "", 120, 9600), new VnicObservations.Row("ingress", "drop", "no-rule", 3, 180)))),
                StatsRoutes.vnicStats(mapper, "vif-example2", null, false, null)));
        m.put("HostStats", List.of(StatsRoutes.hostStats(mapper, "h-example1", new VnicObservations.HostCounters("2026-01-01T00:00:00Z", 2, 120, 0)),
                StatsRoutes.hostStats(mapper, "h-example2", null)));
        m.put("Explain", List.of(
                Explain.answer(mapper, new Verdict(true, Reason.RULE, "sg-example1", "sgr-example1", List.of("ingress: rule sgr-example1 of group sg-example1 allows")), 12,
                        new Explain.Shown("198.51.100.7", "vif-example1", "198.51.100.7", "192.0.2.10", "tcp", 22, FlowState.NEW)),
                Explain.answer(mapper, new Verdict(false, Reason.NO_RULE, null, null, List.of()), 12,
                        new Explain.Shown("vif-example2", "vif-example1", "192.0.2.11", "192.0.2.10", "udp", 53, FlowState.NEW))));
        m.put("RuleTextCheck", List.of(
                Answers.ruleTextCheck(mapper, List.of("tcp:22,22,ip4:192.168.0.0/24"), List.of(new RuleTextWarning(1, 12, "host bits of 192.168.0.1/24 are cleared")), List.of()),
                Answers.ruleTextCheck(mapper, List.of(), List.of(), List.of(new RuleTextError(1, 5, "out of range port number 0")))));
        m.put("Health", List.of(Answers.health(mapper, true, 12), Answers.health(mapper, false, 12)));
        List<ObjectNode> drops = dropLines(mapper);
        ObjectNode report = mapper.createObjectNode();
        report.putArray("counters").addObject().put("vnic", "vif-example1").put("direction", "ingress").put("verdict", "drop").put("reason", "no-rule")
                .put("packets", 3).put("bytes", 180);
        report.putObject("unknownPort").put("packets", 1).put("bytes", 60);
        drops.forEach(report.putArray("drops")::add);
        report.put("dropsLost", 0);
        m.put("HostStatsReport", List.of(report));
        m.put("VnicDrops", List.of(StatsRoutes.drops(mapper, "vif-example1", true, 0, List.of(new VnicObservations.Line(1, drops.get(0).deepCopy().put("host", "h-example1")),
                        new VnicObservations.Line(2, drops.get(1).deepCopy().put("host", "h-example1")))),
                StatsRoutes.drops(mapper, "vif-example2", false, 0, List.of())));
        Map<Quotas.Resource, Long> limits = new java.util.EnumMap<>(Quotas.Resource.class);
        Map<Quotas.Resource, Long> used = new java.util.EnumMap<>(Quotas.Resource.class);
        for (Quotas.Resource r : Quotas.Resource.values()) {
            limits.put(r, 100L);
            used.put(r, 1L);
        }
        m.put("Quota", List.of(Answers.quota(mapper, "p-example1", limits, limits, used)));
    }
}
