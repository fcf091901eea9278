package io.stockade.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import io.stockade.server.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Under the vps-panel profile the console says what the profile does: deleting a group in use detaches it; SMTP is a project setting. */
class ConsoleVpsPanelBrowserTest {

    @Test
    void deletingAGroupInUseDetachesItAndSmtpIsAProjectSetting() throws Exception {
        try (TestServer server = new TestServer("sqlite", Policy.profile("vps-panel"));
             Browser browser = new Browser(server.url())) {
            String admin = server.adminToken;
            String[] p = server.project("hosting");
            assertThat(server.post(admin, "/v1/security-groups", "{\"id\":\"sg-mail\",\"name\":\"mail\",\"project\":\"hosting\",\"rulesText\":\"tcp:25,25,ip4:0.0.0.0\\n\"}").status()).isEqualTo(201);
            assertThat(server.post(admin, "/v1/instances", "{\"name\":\"mx1\",\"project\":\"hosting\"}").status()).isEqualTo(201);
            String vnic = server.post(admin, "/v1/vnics", "{\"instance\":\"mx1\",\"project\":\"hosting\",\"mac\":\"52:54:00:00:05:01\",\"addresses\":[\"192.0.2.50\"],"
                    + "\"securityGroups\":[\"sg-mail\"]}").json().path("id").asText();

            browser.signIn(admin);
            assertThat(browser.visible(By.cssSelector(".who")).getText()).contains("profile vps-panel");
            browser.click(By.cssSelector("button[aria-label='Delete mail']"));
            WebElement dialog = browser.visible(By.cssSelector("dialog"));
            assertThat(dialog.getText()).contains("1 vnic loses it").contains(vnic).contains("detached");
            browser.screenshot("vps-panel-delete-dialog");
            browser.click(By.cssSelector("dialog button.danger"));
            browser.until(d -> d.findElements(By.cssSelector("tr[data-group='sg-mail']")).isEmpty());
            assertThat(server.get(admin, "/v1/vnics/" + vnic).json().path("securityGroups")).isEmpty();

            browser.open("#/admin");
            browser.heading("Admin");
            assertThat(browser.visible(By.cssSelector("section[aria-labelledby='projects-h']")).getText()).contains("blocked unless the project allows it");
            browser.click(By.id("smtp-" + p[0]));
            browser.until(d -> server.get(admin, "/v1/projects/" + p[0]).json().path("smtpAllowed").asBoolean());
            browser.screenshot("vps-panel-admin");
        }
    }
}
