package io.stockade.server.neutron;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import io.stockade.server.FuzzBodies;
import io.stockade.server.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and malformed bodies against every writing endpoint of the Neutron facade, and random
 * queries against its lists: never a 5xx, and a 4xx is a NeutronError that changes nothing.
 */
class NeutronFuzzTest {
    private static final List<String> FIELDS = List.of("name", "description", "stateful", "project_id", "tenant_id", "security_group_id",
            "direction", "ethertype", "protocol", "port_range_min", "port_range_max", "remote_ip_prefix", "remote_group_id",
            "remote_address_group_id", "addresses", "security_groups", "port_security_enabled", "tags", "id", "colour");
    private static final List<String> WRAPPERS = List.of("security_group", "security_group_rule", "address_group", "port");

    /** A writing endpoint, the key its resource comes under (null: not wrapped) and the attributes it takes. */
    private record Endpoint(String method, String path, String wrapper, List<String> fields) {}

    private static TestServer server;
    private static String member;
    private static List<Endpoint> endpoints;
    private static List<String> words;
    private static Map<String, List<Object>> plausible;

    @BeforeContainer
    static void start() throws Exception {
        server = new TestServer("sqlite", Policy.profile(Policy.OPENSTACK));
        String[] p = server.project("fuzz");
        member = p[1];
        server.post(member, "/v1/security-groups", "{\"id\":\"sg-fuzz\",\"name\":\"fuzz\"}");
        server.post(member, "/v1/ip-sets", "{\"id\":\"ips-fuzz\",\"name\":\"fuzz\",\"entries\":[\"192.0.2.0/24\"]}");
        server.post(server.adminToken, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"id\":\"vif-fuzz\",\"mac\":\"52:54:00:00:00:77\",\"addresses\":[\"192.0.2.77\"]}");
        String sg = NeutronIds.uuid("sg-fuzz");
        String ag = server.get(member, "/v1/ip-sets?name=fuzz").json().path("items").get(0).path("id").asText();
        String agUuid = NeutronIds.uuid(ag);
        String port = NeutronIds.uuid("vif-fuzz");
        List<String> group = List.of("name", "description", "stateful", "project_id");
        List<String> rule = List.of("security_group_id", "direction", "ethertype", "protocol", "port_range_min", "port_range_max", "remote_ip_prefix",
                "remote_group_id", "remote_address_group_id", "description");
        List<String> addressGroup = List.of("name", "description", "addresses", "project_id");
        endpoints = List.of(new Endpoint("POST", "/v2.0/security-groups", "security_group", group),
                new Endpoint("PUT", "/v2.0/security-groups/" + sg, "security_group", group),
                new Endpoint("POST", "/v2.0/security-group-rules", "security_group_rule", rule),
                new Endpoint("POST", "/v2.0/address-groups", "address_group", addressGroup),
                new Endpoint("PUT", "/v2.0/address-groups/" + agUuid, "address_group", addressGroup),
                new Endpoint("PUT", "/v2.0/address-groups/" + agUuid + "/add_addresses", null, List.of("addresses")),
                new Endpoint("PUT", "/v2.0/address-groups/" + agUuid + "/remove_addresses", null, List.of("addresses")),
                new Endpoint("PUT", "/v2.0/ports/" + port, "port", List.of("name", "security_groups", "port_security_enabled")),
                new Endpoint("PUT", "/v2.0/security-groups/" + sg + "/tags", null, List.of("tags")),
                new Endpoint("PUT", "/v2.0/ports/" + port + "/tags", null, List.of("tags")));
        List<Object> none = java.util.Collections.singletonList(null);
        plausible = new java.util.HashMap<>(Map.ofEntries(Map.entry("name", List.of("n1", "n2", "default", "")), Map.entry("description", List.of("d", "")),
                Map.entry("stateful", List.of(true, false)), Map.entry("project_id", List.of(p[0], "p-other")),
                Map.entry("security_group_id", List.of(sg, "nosuch")), Map.entry("direction", List.of("ingress", "egress", "in")),
                Map.entry("ethertype", List.of("IPv4", "IPv6")), Map.entry("protocol", List.of("tcp", "udp", "icmp", "ipv6-icmp", "any", 6, "300")),
                Map.entry("port_range_min", List.of(1, 22, 0, 255, 65535, 70000)), Map.entry("port_range_max", List.of(1, 22, 0, 255, 65535, 70000)),
                Map.entry("remote_ip_prefix", List.of("192.0.2.0/24", "::/0", "0.0.0.0/0", "192.0.2.1", "2001:db8::1/64")),
                Map.entry("remote_group_id", List.of(sg)), Map.entry("remote_address_group_id", List.of(agUuid)),
                Map.entry("addresses", List.of(List.of("192.0.2.0/24"), List.of("2001:db8::/32"), List.of("198.51.100.7/32", "198.51.100.8"), List.of())),
                Map.entry("security_groups", List.of(List.of(sg), List.of())), Map.entry("port_security_enabled", List.of(true, false)),
                Map.entry("tags", List.of(List.of("a"), List.of("a", "b"), List.of()))));
        plausible.replaceAll((k, v) -> {
            List<Object> withNull = new java.util.ArrayList<>(v);
            withNull.addAll(none);
            return withNull;
        });
        words = List.of("tcp", "udp", "icmp", "ipv6-icmp", "any", "6", "300", "ingress", "egress", "IPv4", "IPv6", "192.0.2.0/24", "192.0.2.1",
                "2001:db8::/32", "::/0", "0.0.0.0/0", sg, agUuid, port, p[0], "default", "sg-fuzz", "True", "");
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    private static long revision() {
        return server.get(server.adminToken, "/healthz").json().path("revision").asLong();
    }

    @Property(tries = 500, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void noServerErrorsAndNoChangeOnRefusal(@ForAll("requests") net.jqwik.api.Tuple.Tuple2<Integer, String> request, @ForAll boolean asAdmin) {
        Endpoint e = endpoints.get(request.get1());
        String body = request.get2();
        long before = revision();
        TestServer.Response r = server.send(e.method(), e.path(), body, "X-Auth-Token", asAdmin ? server.adminToken : member, "Content-Type", "application/json");
        assertThat(r.status()).as("%s %s %s -> %s", e.method(), e.path(), body, r.text()).isLessThan(500);
        if (r.status() >= 400) {
            assertThat(revision()).as("%s %s %s -> %s", e.method(), e.path(), body, r.text()).isEqualTo(before);
            assertThat(r.json().path("NeutronError").path("message").asText()).as(r.text()).isNotBlank();
        }
    }

    @Property(tries = 200)
    void listsAnswerEveryQuery(@ForAll("queries") Map<String, Object> query, @ForAll("collection") String collection) {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
        TestServer.Response r = server.send("GET", "/v2.0/" + collection + q, null, "X-Auth-Token", member);
        assertThat(r.status()).as("%s%s -> %s", collection, q, r.text()).isIn(200, 400, 404);
        assertThat(r.json().isEmpty()).as(r.text()).isFalse();
    }

    @Provide
    Arbitrary<String> collection() {
        return Arbitraries.of("security-groups", "security-group-rules", "address-groups", "ports");
    }

    @Provide
    Arbitrary<Map<String, Object>> queries() {
        List<String> keys = new java.util.ArrayList<>(FIELDS);
        keys.addAll(List.of("fields", "limit", "marker", "page_reverse", "sort_key", "sort_dir", "tags", "tags-any", "not-tags", "not-tags-any"));
        List<String> values = new java.util.ArrayList<>(words);
        values.addAll(List.of("asc", "desc", "name", "id", "-1", "0", "2", "x,y"));
        return Arbitraries.maps(Arbitraries.of(keys), FuzzBodies.scalars(values)).ofMaxSize(5);
    }

    /** An endpoint and a body: mostly its own resource with some of its own attributes (half of them plausible values), else anything. */
    @Provide
    Arbitrary<net.jqwik.api.Tuple.Tuple2<Integer, String>> requests() {
        Arbitrary<Map<String, Object>> anything = FuzzBodies.objects(FIELDS, words);
        Arbitrary<Map<String, Object>> wrappedAnything = Combinators.combine(Arbitraries.of(WRAPPERS), anything).as((w, o) -> Map.<String, Object>of(w, o));
        return Arbitraries.of(java.util.stream.IntStream.range(0, endpoints.size()).boxed().toList()).flatMap(i -> {
            Endpoint e = endpoints.get(i);
            Map<String, List<Object>> choices = new java.util.HashMap<>(plausible);
            choices.keySet().retainAll(e.fields());
            Arbitrary<Map<String, Object>> own = Arbitraries.oneOf(FuzzBodies.objects(e.fields(), words), FuzzBodies.plausible(choices, java.util.Set.of("security_group_id", "direction", "name")));
            Arbitrary<Map<String, Object>> fitting = e.wrapper() == null ? own : own.map(o -> Map.<String, Object>of(e.wrapper(), o));
            return FuzzBodies.bodies(Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, fitting), net.jqwik.api.Tuple.of(1, wrappedAnything),
                    net.jqwik.api.Tuple.of(1, anything))).map(b -> net.jqwik.api.Tuple.of(i, b));
        });
    }
}
