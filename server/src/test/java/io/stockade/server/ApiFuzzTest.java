package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random and malformed bodies against every writing endpoint: never a 5xx, and a 4xx changes
 * nothing (the revision stays where it was). On SQLite here, on PostgreSQL in
 * {@link PostgresApiFuzzTest}: the same limits hold on both stores.
 */
class ApiFuzzTest {
    private static final List<String> FIELDS = List.of("name", "id", "project", "rules", "text", "protocol", "portRangeMin", "portRangeMax",
            "icmpType", "icmpCode", "remoteIpPrefix", "remoteGroup", "remoteIpSet", "direction", "ethertype", "entries", "version", "mac",
            "addresses", "securityGroups", "host", "device", "stateful", "global", "subnets", "mode", "smtpAllowed", "instance", "network");
    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"POST", "/v1/security-groups"}, new String[] {"POST", "/v1/security-groups/sg-fuzz/rules"},
            new String[] {"PATCH", "/v1/security-groups/sg-fuzz"}, new String[] {"POST", "/v1/ip-sets"}, new String[] {"POST", "/v1/vnics"},
            new String[] {"PUT", "/v1/vnics/vif-fuzz/security-groups"}, new String[] {"PATCH", "/v1/vnics/vif-fuzz"},
            new String[] {"POST", "/v1/instances"}, new String[] {"POST", "/v1/networks"}, new String[] {"POST", "/v1/projects"},
            new String[] {"POST", "/v1/hosts"}, new String[] {"POST", "/v1/tokens"}, new String[] {"PUT", "/v1/instances/i-fuzz/security-groups"});

    private static TestServer server;
    private static String member;

    String engine() {
        return "sqlite";
    }

    /** The server of this class's store, started on first use (jqwik's container hooks are static, the engine is not). */
    private TestServer server() throws Exception {
        if (server != null && !server.engine().equals(engine())) {
            stop();
        }
        if (server == null) {
            server = new TestServer(engine(), Policy.wakame());
            String[] p = server.project("fuzz");
            member = p[1];
            server.post(member, "/v1/security-groups", "{\"id\":\"sg-fuzz\",\"name\":\"fuzz\"}");
            server.post(member, "/v1/instances", "{\"name\":\"i-fuzz\"}");
            server.post(member, "/v1/vnics", "{\"id\":\"vif-fuzz\",\"mac\":\"52:54:00:00:00:77\"}");
        }
        return server;
    }

    @AfterContainer
    static void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Property(tries = 400)
    void noServerErrorsAndNoChangeOnRefusal(@ForAll("bodies") String body, @ForAll("endpoints") int endpoint, @ForAll boolean asAdmin) throws Exception {
        TestServer server = server();
        String[] e = ENDPOINTS.get(endpoint);
        long before = server.get(server.adminToken, "/healthz").json().path("revision").asLong();
        TestServer.Response r = server.call(asAdmin ? server.adminToken : member, e[0], e[1], body, "application/json");
        assertThat(r.status()).as("%s %s %s -> %s", e[0], e[1], body, r.text()).isLessThan(500);
        if (r.status() >= 400) {
            assertThat(server.get(server.adminToken, "/healthz").json().path("revision").asLong()).as(body).isEqualTo(before);
            assertThat(r.json().path("error").path("message").asText()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Integer> endpoints() {
        return Arbitraries.integers().between(0, ENDPOINTS.size() - 1);
    }

    @Provide
    Arbitrary<String> bodies() {
        return FuzzBodies.bodies(FuzzBodies.objects(FIELDS, List.of("tcp", "icmp", "ingress", "IPv6", "192.0.2.0/24", "10.0.0.1/8", "::/0", "sg-fuzz",
                "vif-fuzz", "52:54:00:00:00:01", "tcp:22,22,ip4:0.0.0.0", "udp:1,0,ip4:x", "4", "-1", "")));
    }
}
