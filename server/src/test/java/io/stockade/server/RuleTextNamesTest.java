package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A group's rules as text ({@code GET …/rules}, {@code Accept: text/plain}) name the groups and ip
 * sets they reference wherever the name reads back as the same object in that group's project, and
 * keep the id where it would not (a shared name, a name the syntax cannot hold, a name that is
 * another group's id); the text PUT back means the same rules, for a member and for an admin.
 */
class RuleTextNamesTest {
    static TestServer s;
    static String[] p;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer("sqlite", Policy.wakame());
        p = s.project("names");
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static String create(String token, String path, String json) {
        TestServer.Response r = s.post(token, path, json);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    @Test
    void ruleTextNamesWhatIsUnambiguousAndRoundTrips() {
        String clients = create(p[1], "/v1/security-groups", "{\"name\":\"clients\"}");
        String dup1 = create(p[1], "/v1/security-groups", "{\"name\":\"twin\"}");
        String dup2 = create(p[1], "/v1/security-groups", "{\"name\":\"twin\"}");
        String spaced = create(p[1], "/v1/security-groups", "{\"name\":\"app servers\"}");
        String shadowed = create(p[1], "/v1/security-groups", "{\"name\":\"shadow\"}");
        create(p[1], "/v1/security-groups", "{\"id\":\"sg-shadow\",\"name\":\"other\"}");
        String office = create(p[1], "/v1/ip-sets", "{\"name\":\"office\",\"version\":4,\"entries\":[\"203.0.113.0/24\"]}");
        String[] elsewhere = s.project("elsewhere");
        create(elsewhere[1], "/v1/security-groups", "{\"name\":\"clients\"}"); // another project's name does not make ours ambiguous
        String db = create(p[1], "/v1/security-groups", "{\"name\":\"db\"}");
        assertThat(clients).isNotEqualTo("sg-clients");
        assertThat(office).isNotEqualTo("ips-office");

        String byIds = String.join("\n", "tcp:3306,3306," + clients, "tcp:3307,3307," + dup1, "tcp:3308,3308," + dup2, "tcp:3309,3309," + spaced,
                "tcp:3310,3310," + shadowed, "tcp:3311,3311,sg-shadow", "tcp:443,443,ip4:" + office, "tcp:22,22,ip4:198.51.100.0/24 # admins") + "\n";
        TestServer.Response put = s.call(p[1], "PUT", "/v1/security-groups/" + db + "/rules", byIds, "text/plain");
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        JsonNode before = s.get(p[1], "/v1/security-groups/" + db).json().path("rules");

        for (String token : List.of(p[1], s.adminToken)) {
            String text = s.call(token, "GET", "/v1/security-groups/" + db + "/rules", null, "text/plain").text();
            assertThat(text.lines().toList()).containsExactly(
                    "tcp:3306,3306,sg-clients",
                    "tcp:3307,3307," + dup1,
                    "tcp:3308,3308," + dup2,
                    "tcp:3309,3309," + spaced,
                    "tcp:3310,3310," + shadowed,
                    "tcp:3311,3311,sg-other", // the group whose id is sg-shadow, by its own name
                    "tcp:443,443,ip4:ips-office",
                    "tcp:22,22,ip4:198.51.100.0/24 # admins");
            TestServer.Response back = s.call(token, "PUT", "/v1/security-groups/" + db + "/rules", text, "text/plain");
            assertThat(back.status()).as(back.text()).isEqualTo(200);
            assertThat(rules(back.json().path("rules"))).as("the named text means the same rules (ids kept)").isEqualTo(rules(before));
        }
    }

    /** Each rule as its id, its remote and its text by ids: what must not change. */
    private static List<String> rules(JsonNode rules) {
        List<String> out = new ArrayList<>();
        rules.forEach(r -> out.add(r.path("id").asText() + " " + r.path("remoteGroup").asText() + r.path("remoteIpSet").asText()
                + r.path("remoteIpPrefix").asText() + " " + r.path("text").asText()));
        return out;
    }
}
