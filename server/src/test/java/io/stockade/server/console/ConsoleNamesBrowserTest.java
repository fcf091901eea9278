package io.stockade.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import io.stockade.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Every page of the console shows objects by the names people gave them, never by the ids the
 * server generated (projects, hosts, groups, ip sets, instances, vnics, tokens; rule text names
 * groups and ip sets); "Show ids" shows the ids beside the names. Saves a screenshot of each page.
 */
class ConsoleNamesBrowserTest {
    private TestServer server;
    private final List<String> ids = new ArrayList<>();

    private String created(String path, String json) {
        TestServer.Response r = server.post(server.adminToken, path, json);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        String id = r.json().path("id").asText();
        ids.add(id);
        return id;
    }

    @Test
    void everyPageShowsNamesAndIdsOnlyOnDemand() throws Exception {
        server = new TestServer("sqlite", Policy.wakame());
        try (Browser browser = new Browser(server.url())) {
            String project = created("/v1/projects", "{\"name\":\"acme\"}");
            String host = created("/v1/hosts", "{\"name\":\"hv07\"}");
            String office = created("/v1/ip-sets", "{\"name\":\"office\",\"project\":\"acme\",\"version\":4,\"entries\":[\"203.0.113.0/24\"]}");
            String web = created("/v1/security-groups", "{\"name\":\"web\",\"project\":\"acme\",\"rulesText\":\"tcp:443,443,ip4:" + office + "\\n\"}");
            String db = created("/v1/security-groups", "{\"name\":\"db\",\"project\":\"acme\",\"rulesText\":\"tcp:5432,5432," + web + " # from the web servers\\n\"}");
            created("/v1/instances", "{\"name\":\"shop1\",\"project\":\"acme\"}");
            created("/v1/instances", "{\"name\":\"store1\",\"project\":\"acme\"}");
            created("/v1/vnics", "{\"name\":\"shop1-eth0\",\"instance\":\"shop1\",\"host\":\"hv07\",\"device\":\"tap0\",\"mac\":\"52:54:00:00:07:01\","
                    + "\"addresses\":[\"192.0.2.71\"],\"securityGroups\":[\"web\"]}");
            created("/v1/vnics", "{\"name\":\"store1-eth0\",\"instance\":\"store1\",\"host\":\"hv07\",\"device\":\"tap1\",\"mac\":\"52:54:00:00:07:02\","
                    + "\"addresses\":[\"192.0.2.72\"],\"securityGroups\":[\"db\"]}");
            assertThat(server.post(server.adminToken, "/v1/tokens", "{\"role\":\"member\",\"project\":\"acme\",\"description\":\"ci\"}").status()).isEqualTo(201);
            for (var t : server.get(server.adminToken, "/v1/tokens").json().path("items")) {
                if (t.path("description").asText().equals("ci")) {
                    ids.add(t.path("id").asText());
                }
            }
            assertThat(ids).allMatch(id -> id.matches("[a-z]+-[a-z0-9]{6,}"), "generated ids");

            browser.signIn(server.adminToken);
            page(browser, "#/groups", "Security groups", "names-groups", "web", "db", "acme");
            page(browser, "#/groups/" + db, "db", "names-group", "db", "from the web servers", "store1-eth0", "hv07", "store1");
            assertThat(browser.text(By.id("rules-text"))).isEqualTo("tcp:5432,5432,sg-web # from the web servers");
            page(browser, "#/groups/" + web, "web", "names-group-ipset", "office", "shop1-eth0");
            assertThat(browser.text(By.id("rules-text"))).isEqualTo("tcp:443,443,ip4:ips-office");
            page(browser, "#/groups/" + db + "/edit", "Edit db", "names-group-edit");
            assertThat(browser.visible(By.name("rulesText")).getAttribute("value")).isEqualTo("tcp:5432,5432,sg-web # from the web servers\n");
            page(browser, "#/instances", "Instances", "names-instances", "shop1", "store1", "shop1-eth0", "hv07", "web");
            page(browser, "#/vnics", "Vnics", "names-vnics", "shop1-eth0", "store1-eth0", "shop1", "acme", "hv07", "web", "db");
            page(browser, "#/ip-sets", "Ip sets", "names-ipsets", "office");
            page(browser, "#/ip-sets/" + office, "office", "names-ipset", "office", "web");
            page(browser, "#/hosts", "Hosts", "names-hosts", "hv07");
            page(browser, "#/graph", "Policy graph", "names-graph", "web", "db", "shop1");
            page(browser, "#/admin", "Admin", "names-admin", "acme", "member token", "ci");

            browser.open("#/explain");
            browser.heading("Explain a packet");
            browser.select(By.name("fromVnic"), "shop1 · shop1-eth0 192.0.2.71");
            browser.select(By.name("to"), "store1 · store1-eth0 192.0.2.72");
            browser.type(By.name("port"), "5432");
            browser.click(By.xpath("//button[normalize-space()='Explain']"));
            assertThat(browser.text(By.id("verdict"))).startsWith("ALLOW");
            assertThat(browser.text(By.cssSelector("main"))).contains("decided by group db").contains("shop1-eth0");
            noIds(browser, "explain");
            browser.screenshot("names-explain");

            // Ids on demand: the switch shows them beside the names, on every page, until it is switched off.
            browser.click(By.id("show-ids"));
            browser.until(d -> browser.text(By.cssSelector("main")).contains(db));
            browser.screenshot("names-explain-ids");
            browser.open("#/groups");
            browser.heading("Security groups");
            assertThat(browser.text(By.cssSelector("main"))).contains(web).contains(db);
            browser.open("#/hosts");
            browser.heading("Hosts");
            assertThat(browser.text(By.cssSelector("main"))).contains(host);
            browser.open("#/admin");
            browser.heading("Admin");
            assertThat(browser.text(By.cssSelector("main"))).contains(project).contains(ids.get(ids.size() - 1));
            browser.screenshot("names-admin-ids");
            browser.click(By.id("show-ids"));
            browser.until(d -> !browser.text(By.cssSelector("main")).contains(project));
        } finally {
            server.close();
        }
    }

    /** Opens a page, waits for its heading and names, checks that no generated id shows, and saves a screenshot. */
    private void page(Browser browser, String hash, String heading, String screenshot, String... names) throws Exception {
        browser.open(hash);
        browser.heading(heading);
        for (String name : names) {
            browser.until(d -> browser.text(By.cssSelector("main")).contains(name));
        }
        noIds(browser, hash);
        browser.screenshot(screenshot);
    }

    private void noIds(Browser browser, String page) {
        String text = browser.text(By.cssSelector("main")) + "\n" + browser.text(By.cssSelector("header"));
        assertThat(ids).as("ids shown on %s:\n%s", page, text).noneMatch(text::contains);
    }
}
