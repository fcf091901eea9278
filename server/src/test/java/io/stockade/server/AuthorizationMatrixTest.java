package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.policy.Policy;
import io.stockade.server.neutron.NeutronIds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route /openapi.json lists (native and Neutron), called by every role, on objects of the
 * caller's project and of another project: a role the table ({@link Authz}) does not name gets a
 * 403; a role it names is let through (no 401/403, no 5xx); a member reaching for another
 * project's object gets a 404; and nothing a member is answered names the other project's
 * objects. A route without a row in the table fails the test.
 */
class AuthorizationMatrixTest {
    private static TestServer s;
    private static final Map<Caller.Role, String> TOKENS = new LinkedHashMap<>();
    /** Path parameter values: the caller's own project's objects (project A), and project B's. */
    private static final Map<String, String> MINE = new LinkedHashMap<>();
    private static final Map<String, String> THEIRS = new LinkedHashMap<>();
    /** What no answer to A's member may contain: B's ids and names. */
    private static final List<String> SECRETS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer("sqlite", Policy.profile(Policy.OPENSTACK));
        String admin = s.adminToken;
        String[] a = s.project("alpha");
        String[] b = s.project("bravo-secret");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv1\"}");
        s.post(admin, "/v1/hosts", "{\"name\":\"hv2\"}");
        s.post(admin, "/v1/networks", "{\"id\":\"net-matrix01\",\"name\":\"net1\",\"subnets\":[\"192.0.2.0/24\"]}");
        Map<String, String> mine = objects(admin, a, "a", "hv1", "52:54:00:00:00:0a");
        Map<String, String> theirs = objects(admin, b, "b", "hv2", "52:54:00:00:00:0b");
        MINE.putAll(mine);
        THEIRS.putAll(theirs);
        theirs.forEach((k, v) -> {
            if (!k.equals("network") && !k.equals("host") && !k.equals("network-uuid") && !k.equals("tag") && !k.equals("alias") && !k.equals("token")) {
                SECRETS.add(v);
            }
        });
        SECRETS.add("bravo-secret");
        TOKENS.put(Caller.Role.ADMIN, admin);
        TOKENS.put(Caller.Role.SERVICE, token("{\"role\":\"service\"}"));
        TOKENS.put(Caller.Role.AUDITOR, token("{\"role\":\"auditor\"}"));
        TOKENS.put(Caller.Role.MEMBER, a[1]);
        TOKENS.put(Caller.Role.HOST, token("{\"role\":\"host\",\"host\":\"hv1\"}"));
    }

    private static String token(String body) {
        return s.post(s.adminToken, "/v1/tokens", body).json().path("token").asText();
    }

    /** A group with a rule, an ip set, an instance and a vnic (placed on the host) in project p. */
    private static Map<String, String> objects(String admin, String[] p, String tag, String host, String mac) {
        Map<String, String> o = new LinkedHashMap<>();
        JsonNode g = s.post(p[1], "/v1/security-groups", "{\"name\":\"web-" + tag + "\",\"rules\":[{\"protocol\":\"tcp\",\"portRangeMin\":22,\"portRangeMax\":22,\"remoteIpPrefix\":\"198.51.100.0/24\"}]}").json();
        o.put("project", p[0]);
        o.put("group", g.path("id").asText());
        o.put("rule", g.path("rules").get(0).path("id").asText());
        o.put("ipset", s.post(p[1], "/v1/ip-sets", "{\"name\":\"set-" + tag + "\",\"entries\":[\"198.51.100.1\"]}").json().path("id").asText());
        o.put("instance", s.post(p[1], "/v1/instances", "{\"name\":\"vm-" + tag + "\"}").json().path("id").asText());
        JsonNode v = s.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"name\":\"nic-" + tag + "\",\"instance\":\"" + o.get("instance")
                + "\",\"host\":\"" + host + "\",\"device\":\"tap-" + tag + "\",\"network\":\"net1\",\"mac\":\"" + mac + "\",\"addresses\":[\"192.0.2.1"
                + (tag.equals("a") ? "1" : "2") + "\"],\"securityGroups\":[\"" + o.get("group") + "\"]}").json();
        o.put("vnic", v.path("id").asText());
        o.put("host", host);
        o.put("network", "net-matrix01");
        return o;
    }

    /** The path with its parameters filled from {@code objects}. */
    private static String fill(String path, Map<String, String> o, boolean delete) {
        boolean neutron = path.equals("/v2.0") || path.startsWith("/v2.0/") || path.startsWith("/projects") || path.startsWith("/os-quota-sets");
        String[] parts = path.split("/");
        String collection = parts[1].equals("projects") || parts[1].equals("os-quota-sets") ? "projects" : parts.length > 2 ? parts[2] : "";
        String kind = switch (collection) {
            case "projects", "quotas" -> "project";
            case "security-group-rules" -> "rule";
            case "security-groups" -> "group";
            case "ip-sets", "address-groups" -> "ipset";
            case "instances" -> "instance";
            case "vnics", "ports" -> "vnic";
            case "networks" -> "network";
            case "hosts" -> "host";
            case "tokens" -> "token";
            default -> "alias";
        };
        String id = switch (kind) {
            case "token" -> "tok-0000000000";
            case "alias" -> "security-group";
            default -> delete ? nonexistent(kind) : o.get(kind);
        };
        if (neutron && !kind.equals("project") && !kind.equals("alias") && !delete) {
            id = NeutronIds.uuid(id);
        }
        return path.replace("{id}", id).replace("{project_id}", id).replace("{rule}", delete ? "sgr-00000000" : o.get("rule"))
                .replace("{alias}", id).replace("{tag}", "t");
    }

    private static String nonexistent(String kind) {
        return switch (kind) {
            case "project" -> "p-00000000";
            case "group" -> "sg-00000000";
            case "rule" -> "sgr-00000000";
            case "ipset" -> "ips-00000000";
            case "instance" -> "i-00000000";
            case "vnic" -> "vif-00000000";
            case "network" -> "net-00000000";
            default -> "h-00000000";
        };
    }

    private static TestServer.Response call(Caller.Role role, String method, String path) {
        String token = TOKENS.get(role);
        boolean neutron = path.equals("/v2.0") || path.startsWith("/v2.0/") || path.startsWith("/projects") || path.startsWith("/os-quota-sets");
        String query = path.equals("/v1/watch") ? "?host=hv1&wait=0" : "";
        return neutron ? s.send(method, path + query, null, "X-Auth-Token", token) : s.send(method, path + query, null, "Authorization", "Bearer " + token);
    }

    @Test
    void everyRouteEveryRoleOwnAndForeignObjects() {
        JsonNode paths = s.get(null, "/openapi.json").json().path("paths");
        List<String> failures = new ArrayList<>();
        int routes = 0;
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (Iterator<String> ms = paths.get(path).fieldNames(); ms.hasNext(); ) {
                String method = ms.next().toUpperCase();
                routes++;
                Set<Caller.Role> allowed = Authz.TABLE.get(method + " " + path);
                if (allowed == null) {
                    failures.add(method + " " + path + ": no row in the authorization table");
                    continue;
                }
                if (allowed.isEmpty()) {
                    continue;
                }
                for (Caller.Role role : Caller.Role.values()) {
                    boolean delete = method.equals("DELETE");
                    TestServer.Response own = call(role, method, fill(path, MINE, delete));
                    String where = role + " " + method + " " + fill(path, MINE, delete) + " -> " + own.status() + " " + own.text();
                    if (!allowed.contains(role)) {
                        if (own.status() != 403) {
                            failures.add(where + ": expected 403");
                        }
                        continue;
                    }
                    if (own.status() == 401 || own.status() == 403 || own.status() >= 500) {
                        failures.add(where + ": expected the role to be let through");
                    }
                    if (role != Caller.Role.MEMBER) {
                        continue;
                    }
                    SECRETS.stream().filter(own.text()::contains).forEach(x -> failures.add(where + ": names another project's " + x));
                    if (path.contains("{") && !path.contains("networks") && !path.contains("hosts") && !path.contains("tokens")
                            && !path.contains("extensions")) {
                        TestServer.Response foreign = call(role, method, fill(path, THEIRS, false));
                        TestServer.Response none = call(role, method, fill(path, MINE, true));
                        String there = role + " " + method + " " + fill(path, THEIRS, false) + " -> " + foreign.status() + " " + foreign.text();
                        // Another project's object is answered as one that does not exist: a 404, or the 400 a bad body gets first either way.
                        if (foreign.status() != none.status() || (foreign.status() != 404 && foreign.status() != 400)) {
                            failures.add(there + ": expected " + none.status() + " (404 or 400), as for an object that does not exist");
                        }
                        SECRETS.stream().filter(x -> !fill(path, THEIRS, false).contains(x) && !NeutronIds.uuid(x).isEmpty()
                                && foreign.text().contains(x)).forEach(x -> failures.add(there + ": names another project's " + x));
                    }
                }
            }
        }
        assertThat(routes).isGreaterThan(90);
        assertThat(failures).isEmpty();
    }

    @AfterAll
    static void stop() {
        s.close();
    }
}
