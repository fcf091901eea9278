package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.model.World;
import io.stockade.core.policy.Policy;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The write path applies each write's change to the world instead of copying and rebuilding it
 * ({@code World.toBuilder()...build()} makes every map anew): through the real API on a real
 * store, each write leaves the maps it does not touch the very same objects, and the world the
 * controller holds after them all equals the world a restart reads back from the store.
 */
class WritePathTest {
    private static final Map<String, Function<World, Map<String, ?>>> MAPS = Map.of("projects", World::projects, "groups", World::groups,
            "ipSets", World::ipSets, "networks", World::networks, "hosts", World::hosts, "instances", World::instances, "vnics", World::vnics);

    @Test
    void eachWriteTouchesOnlyItsOwnMapsAndTheStoreHoldsTheSameWorld() throws Exception {
        try (TestServer s = new TestServer("sqlite", Policy.wakame())) {
            String t = s.adminToken;
            s.call(t, "POST", "/v1/projects", "{\"id\":\"p-one\",\"name\":\"one\"}", "application/json");
            s.call(t, "POST", "/v1/hosts", "{\"name\":\"hv1\"}", "application/json");
            s.call(t, "POST", "/v1/networks", "{\"id\":\"net-one\",\"name\":\"one\",\"subnets\":[\"192.0.2.0/24\"]}", "application/json");
            s.call(t, "POST", "/v1/security-groups", "{\"id\":\"sg-web\",\"name\":\"web\",\"project\":\"p-one\"}", "application/json");
            s.call(t, "POST", "/v1/security-groups", "{\"id\":\"sg-db\",\"name\":\"db\",\"project\":\"p-one\",\"rulesText\":\"tcp:5432,5432,sg-web\"}",
                    "application/json");
            s.call(t, "POST", "/v1/ip-sets", "{\"id\":\"ips-ops\",\"name\":\"ops\",\"project\":\"p-one\",\"entries\":[\"198.51.100.0/24\"]}",
                    "application/json");
            for (int i = 1; i <= 3; i++) {
                assertThat(s.call(t, "POST", "/v1/vnics", "{\"id\":\"vif-v" + i + "\",\"project\":\"p-one\",\"host\":\"hv1\",\"device\":\"tap" + i
                        + "\",\"mac\":\"52:54:00:00:00:0" + i + "\",\"network\":\"net-one\",\"addresses\":[\"192.0.2." + (10 + i)
                        + "\"],\"securityGroups\":[\"sg-web\"]}", "application/json").status()).isEqualTo(201);
            }

            writes(s, "PUT", "/v1/vnics/vif-v1/security-groups", "{\"securityGroups\":[\"sg-db\"]}", "application/json", "vnics");
            writes(s, "POST", "/v1/security-groups/sg-web/rules", "{\"text\":\"tcp:80,80,ip4:0.0.0.0\"}", "application/json", "groups");
            writes(s, "PUT", "/v1/security-groups/sg-db/rules", "tcp:5432,5432,sg-web\ntcp:22,22,ips-ops\n", "text/plain", "groups");
            writes(s, "POST", "/v1/ip-sets/ips-ops/entries", "{\"entries\":[\"203.0.113.0/24\"]}", "application/json", "ipSets");
            writes(s, "POST", "/v1/vnics", "{\"id\":\"vif-v4\",\"project\":\"p-one\",\"mac\":\"52:54:00:00:00:04\",\"securityGroups\":[\"sg-db\"]}",
                    "application/json", "vnics");
            writes(s, "DELETE", "/v1/vnics/vif-v2", null, null, "vnics");

            World before = s.server().controller().world();
            s.restart();
            World after = s.server().controller().world();
            assertThat(after.revision()).isEqualTo(before.revision());
            MAPS.forEach((name, m) -> assertThat(m.apply(after)).as(name).isEqualTo(m.apply(before)));
        }
    }

    /** Makes one write and checks that the world's maps other than {@code touched} are the same objects after it. */
    private static void writes(TestServer s, String method, String path, String body, String type, String touched) {
        World before = s.server().controller().world();
        TestServer.Response r = s.call(s.adminToken, method, path, body, type);
        assertThat(r.status()).as(r.text()).isBetween(200, 204);
        World after = s.server().controller().world();
        assertThat(after.revision()).isGreaterThan(before.revision());
        MAPS.forEach((name, m) -> {
            if (name.equals(touched)) {
                assertThat(m.apply(after)).isNotEqualTo(m.apply(before));
            } else {
                assertThat(m.apply(after)).as("%s %s leaves %s as they are", method, path, name).isSameAs(m.apply(before));
            }
        });
    }
}
