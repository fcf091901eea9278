package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which error a request with several gets, and that the order leaks nothing. A body's own errors
 * (a field missing, mistyped or a value the model cannot take) depend on the request alone, so
 * they come first: the answer is the same whether the object the path names exists, is another
 * project's, or is not there at all. Only a well-formed request learns that the object is not
 * found, and it learns it in the same words for another project's object as for none.
 */
class ErrorOrderTest {
    private static TestServer s;
    private static String member;
    /** Another project's objects, by kind: what member must not tell apart from objects that do not exist. */
    private static String theirVnic;
    private static String theirGroup;
    private static String theirIpSet;
    private static String theirInstance;

    /** A write on an object: its method, path with {@code ID}, a body with an error of its own, and a well-formed body. */
    private record Write(String method, String path, String bad, String good) {}

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer("sqlite", Policy.wakame());
        member = s.project("mine")[1];
        String other = s.project("theirs")[1];
        theirGroup = s.post(other, "/v1/security-groups", "{\"name\":\"secret-web\"}").json().path("id").asText();
        theirIpSet = s.post(other, "/v1/ip-sets", "{\"name\":\"secret-office\",\"entries\":[\"192.0.2.1\"]}").json().path("id").asText();
        theirInstance = s.post(other, "/v1/instances", "{\"name\":\"secret-vm\"}").json().path("id").asText();
        theirVnic = s.post(other, "/v1/vnics", "{\"mac\":\"52:54:00:00:00:31\",\"instance\":\"" + theirInstance + "\"}").json().path("id").asText();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static List<Write> writes(String kind) {
        return switch (kind) {
            case "vnic" -> List.of(new Write("PATCH", "/v1/vnics/ID", "{\"mac\":\"not-a-mac\"}", "{\"name\":\"n\"}"),
                    new Write("PUT", "/v1/vnics/ID/security-groups", "{}", "{\"securityGroups\":[]}"));
            case "group" -> List.of(new Write("PATCH", "/v1/security-groups/ID", "{\"stateful\":\"yes\"}", "{\"name\":\"n\"}"),
                    new Write("POST", "/v1/security-groups/ID/rules", "{\"remoteIpPrefix\":\"10.0.0.1/8\"}", "{\"text\":\"tcp:22,22,ip4:0.0.0.0\"}"));
            case "ipset" -> List.of(new Write("PATCH", "/v1/ip-sets/ID", "{\"version\":5}", "{\"name\":\"n\"}"),
                    new Write("POST", "/v1/ip-sets/ID/entries", "{\"entries\":\"192.0.2.9\"}", "{\"entries\":[\"192.0.2.9\"]}"),
                    new Write("DELETE", "/v1/ip-sets/ID/entries", "{\"entries\":[\"not-an-address\"]}", "{\"entries\":[\"192.0.2.1\"]}"));
            case "instance" -> List.of(new Write("PUT", "/v1/instances/ID/security-groups", "{\"securityGroups\":\"web\"}", "{\"securityGroups\":[]}"));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The answer to member, with the id it named put back as ID (an answer may name what the caller asked for, nothing else). */
    private static String answer(Write w, String id, String body) {
        TestServer.Response r = s.call(member, w.method(), w.path().replace("ID", id), body, "application/json");
        return r.status() + " " + r.text().replace(id, "ID");
    }

    private void check(String kind, String theirs) {
        for (Write w : writes(kind)) {
            String bad = answer(w, theirs, w.bad());
            assertThat(bad).as("%s %s with a bad body: the field error first", w.method(), w.path()).matches("4(00|22) .*\"field\":\"[^\"]+\".*");
            assertThat(answer(w, "nothing-" + kind, w.bad())).as("the same for an object that is not there").isEqualTo(bad);
            String good = answer(w, theirs, w.good());
            assertThat(good).as("%s %s well-formed: not found", w.method(), w.path()).startsWith("404 ").doesNotContain("secret");
            assertThat(answer(w, "nothing-" + kind, w.good())).as("in the same words as for an object that is not there").isEqualTo(good);
        }
    }

    @Test
    void aVnicOfAnotherProjectAnswersAsNone() {
        check("vnic", theirVnic);
    }

    @Test
    void aGroupOfAnotherProjectAnswersAsNone() {
        check("group", theirGroup);
    }

    @Test
    void anIpSetOfAnotherProjectAnswersAsNone() {
        check("ipset", theirIpSet);
    }

    @Test
    void anInstanceOfAnotherProjectAnswersAsNone() {
        check("instance", theirInstance);
    }
}
