package io.stockade.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import io.stockade.server.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Under the openstack profile "Delete" is offered only where the server deletes: not the default
 * group to a member, not a group vnics use; a group only other groups' rules name is deleted with those rules.
 */
class ConsoleDeleteOfferedBrowserTest {

    @Test
    void deleteIsOfferedOnlyWhereTheProfileAllowsIt() throws Exception {
        try (TestServer server = new TestServer("sqlite", Policy.profile("openstack"));
             Browser browser = new Browser(server.url())) {
            String admin = server.adminToken;
            String[] p = server.project("tenant");
            String def = server.get(p[1], "/v1/security-groups?name=default").json().path("items").get(0).path("id").asText();
            assertThat(server.post(p[1], "/v1/security-groups", "{\"id\":\"sg-web\",\"name\":\"web\"}").status()).isEqualTo(201);
            assertThat(server.post(p[1], "/v1/security-groups", "{\"id\":\"sg-app\",\"name\":\"app\",\"rulesText\":\"tcp:8080,8080,sg-web\\n\"}").status()).isEqualTo(201);
            assertThat(server.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"mac\":\"52:54:00:00:06:01\",\"addresses\":[\"192.0.2.60\"],"
                    + "\"securityGroups\":[\"sg-app\"]}").status()).isEqualTo(201);

            String office = server.post(p[1], "/v1/ip-sets", "{\"name\":\"office\"}").json().path("id").asText();
            String spare = server.post(p[1], "/v1/ip-sets", "{\"name\":\"spare\"}").json().path("id").asText();
            assertThat(server.post(p[1], "/v1/security-groups/sg-app/rules", "{\"protocol\":\"tcp\",\"portRangeMin\":22,\"portRangeMax\":22,\"remoteIpSet\":\"office\"}").status())
                    .isEqualTo(201);

            browser.signIn(p[1]);
            browser.visible(By.cssSelector("tr[data-group='sg-web'] button[aria-label='Delete web']"));
            assertThat(browser.all(By.cssSelector("tr[data-group='" + def + "'] button"))).isEmpty();
            assertThat(browser.text(By.cssSelector("[data-key='nodel-" + def + "']"))).isEqualTo("default group");
            assertThat(browser.all(By.cssSelector("tr[data-group='sg-app'] button"))).isEmpty();
            assertThat(browser.visible(By.cssSelector("[data-key='nodel-sg-app']")).getAttribute("title")).contains("In use by vnics").contains("openstack profile refuses");
            browser.screenshot("groups-openstack-member");

            browser.open("#/groups/sg-app");
            browser.heading("app");
            assertThat(browser.text(By.cssSelector("[data-key='nodel-sg-app']"))).contains("In use by vnics");
            assertThat(browser.all(By.cssSelector("main .page-head button.danger"))).isEmpty();

            browser.open("#/groups");
            browser.click(By.cssSelector("button[aria-label='Delete web']"));
            assertThat(browser.visible(By.cssSelector("dialog")).getText()).contains("Rules of these groups name it: app");
            browser.click(By.cssSelector("dialog button.danger"));
            browser.until(d -> d.findElements(By.cssSelector("tr[data-group='sg-web']")).isEmpty());
            assertThat(server.get(p[1], "/v1/security-groups/sg-app").json().path("rules").findValuesAsText("remoteGroup")).isEmpty();

            // An ip set a rule uses: no "Delete" either; one no rule uses: "Delete".
            browser.open("#/ip-sets/" + office);
            browser.heading("office");
            assertThat(browser.text(By.cssSelector("[data-key='nodel-" + office + "']"))).startsWith("Used by 1 rule");
            assertThat(browser.all(By.cssSelector("main .page-head button.danger"))).isEmpty();
            browser.open("#/ip-sets/" + spare);
            browser.heading("spare");
            browser.visible(By.cssSelector("main .page-head button.danger"));

            browser.signOut();
            browser.signIn(admin);
            browser.visible(By.cssSelector("tr[data-group='" + def + "'] button[aria-label='Delete default']"));
        }
    }
}
