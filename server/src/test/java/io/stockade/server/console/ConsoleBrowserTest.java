package io.stockade.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.policy.Policy;
import io.stockade.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web console in a real browser against a real server: sign-in, groups written as rule text
 * (with the inline error of a bad line), an instance's groups set in the dialog, explain, the
 * graph, and pages following changes made through the API. Saves a screenshot of each page.
 */
class ConsoleBrowserTest {
    private static TestServer server;
    private static Browser browser;
    private static String admin;
    private static String[] shop;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("sqlite", Policy.wakame());
        admin = server.adminToken;
        shop = server.project("shop");
        ok(server.post(admin, "/v1/hosts", "{\"name\":\"hv01\"}"));
        ok(server.post(admin, "/v1/networks", "{\"name\":\"net1\",\"subnets\":[\"192.0.2.0/24\"],\"gateways\":[\"192.0.2.1\"]}"));
        ok(post("/v1/security-groups", "{\"id\":\"sg-dbclnts\",\"name\":\"dbclnts\",\"project\":\"shop\",\"description\":\"database clients\"}"));
        ok(post("/v1/security-groups", "{\"id\":\"sg-dbsrv\",\"name\":\"dbsrv\",\"project\":\"shop\",\"rulesText\":\"tcp:3306,3306,sg-dbclnts # mysql\\ntcp:22,22,ip4:0.0.0.0\\n\"}"));
        ok(post("/v1/security-groups", "{\"id\":\"sg-base\",\"name\":\"baseline\",\"project\":\"shop\",\"global\":true,\"rulesText\":\"icmp:-1,-1,ip4:0.0.0.0\\n\"}"));
        instance("db1", vnic("52:54:00:00:01:10", "192.0.2.10", "tap0", "sg-dbsrv"));
        instance("app1", vnic("52:54:00:00:01:11", "192.0.2.11", "tap1"), vnic("52:54:00:00:01:21", "192.0.2.21", "tap2"));
        browser = new Browser(server.url());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        server.close();
    }

    @BeforeEach
    void signedInAsAdmin() {
        browser.open("");
        if (!browser.all(By.name("token")).isEmpty()) {
            browser.signIn(admin);
        }
    }

    @Test
    void signInShowsRoleAndProjectAndMembersOnlyAttachGlobalGroups() throws Exception {
        browser.signOut();
        browser.screenshot("sign-in");
        browser.type(By.name("token"), "stk_not-a-token");
        browser.click(By.cssSelector("form.signin button[type=submit]"));
        assertThat(browser.visible(By.id(browser.visible(By.name("token")).getAttribute("id") + "-error")).getText()).contains("not valid");

        browser.type(By.name("token"), shop[1] + Keys.ENTER);
        browser.heading("Security groups");
        assertThat(browser.text(By.cssSelector(".who .role"))).isEqualToIgnoringCase("member");
        assertThat(browser.text(By.id("my-project"))).isEqualTo("shop");
        assertThat(browser.all(By.cssSelector("#nav a[href='#/admin']")).get(0).isDisplayed()).isFalse();
        assertThat(browser.text(By.cssSelector("tr[data-group='sg-base']"))).contains("GLOBAL").contains("attach only");
        assertThat(texts("tr[data-group='sg-base'] button")).isEmpty();
        assertThat(texts("tr[data-group='sg-dbsrv'] button")).as("db1 uses it: the wakame profile would refuse").isEmpty();
        assertThat(browser.visible(By.cssSelector("[data-key='nodel-sg-dbsrv']")).getAttribute("title")).contains("wakame profile refuses");
        browser.screenshot("groups-member");
        // Hosts are the operator's: a member has no Hosts page, and its vnics page asks for none.
        assertThat(browser.all(By.cssSelector("#nav a[href='#/hosts']")).get(0).isDisplayed()).isFalse();
        browser.open("#/vnics");
        browser.heading("Vnics");
        browser.visible(By.cssSelector("tr[data-vnic]"));
        assertThat(browser.js("return document.getElementById('status').textContent")).isEqualTo("");
        browser.signOut();

        browser.signIn(admin);
        assertThat(browser.text(By.cssSelector(".who .role"))).isEqualToIgnoringCase("admin");
        browser.select(By.id("project-switcher"), "shop");
        browser.visible(By.cssSelector("tr[data-group='sg-dbsrv']"));
        browser.screenshot("groups-admin");
    }

    @Test
    void createGroupWithRuleTextShowsTheBadLineInline() throws Exception {
        browser.open("#/groups/new");
        browser.heading("New security group");
        browser.type(By.name("name"), "webfront");
        browser.type(By.name("description"), "public web servers");
        browser.select(By.name("project"), "shop");
        WebElement text = browser.visible(By.name("rulesText"));
        text.sendKeys("tcp:80,80,ip4:0.0.0.0 # http\nudp:53,53,ip4:300.0.0.1\ntcp:443,443,ip4:0.0.0.0\n");
        // Checked as it is typed: the error is marked before anything is saved ...
        browser.until(ExpectedConditions.textToBe(By.cssSelector(".rule-summary"), "1 error"));
        assertThat(browser.visible(By.cssSelector(".rule-error")).getAttribute("data-line")).isEqualTo("2");
        // ... and saving is refused with the same place marked.
        browser.click(By.id("save-group"));
        browser.until(ExpectedConditions.attributeToBe(By.name("rulesText"), "aria-invalid", "true"));
        WebElement error = browser.visible(By.cssSelector(".rule-error"));
        assertThat(error.getAttribute("data-line")).isEqualTo("2");
        assertThat(error.getAttribute("data-column")).isEqualTo("15");
        assertThat(error.getText()).contains("Line 2, column 15").contains("300.0.0.1");
        assertThat(browser.visible(By.cssSelector(".gutter [data-line='2']")).getAttribute("class")).isEqualTo("error");
        assertThat(browser.all(By.cssSelector(".gutter .error"))).hasSize(1);
        assertThat(browser.text(By.cssSelector(".backdrop .err-line mark"))).isEqualTo("3");
        assertThat(text.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(server.get(admin, "/v1/security-groups?name=webfront").json().path("total").asInt()).isZero();
        browser.screenshot("new-group-rule-error");

        text.clear();
        text.sendKeys("tcp:80,80,ip4:0.0.0.0 # http\nudp:53,53,ip4:198.51.100.53\ntcp:443,443,ip4:0.0.0.0\n");
        browser.until(ExpectedConditions.textToBe(By.cssSelector(".rule-summary"), "3 rules, no errors"));
        assertThat(browser.all(By.cssSelector(".rule-error"))).isEmpty();
        browser.click(By.id("save-group"));
        browser.heading("webfront");
        assertThat(browser.text(By.id("rules-text"))).contains("tcp:80,80,ip4:0.0.0.0 # http").contains("udp:53,53,ip4:198.51.100.53");
        JsonNode made = server.get(admin, "/v1/security-groups?name=webfront").json().path("items").get(0);
        assertThat(made.path("rules")).hasSize(3);
        assertThat(made.path("description").asText()).isEqualTo("public web servers");
        browser.screenshot("group-detail");

        browser.click(By.xpath("//main//button[normalize-space()='Delete']"));
        assertThat(browser.text(By.cssSelector("dialog"))).contains("No vnic uses this group");
        browser.screenshot("delete-dialog");
        browser.click(By.cssSelector("dialog button.danger"));
        browser.heading("Security groups");
        assertThat(server.get(admin, "/v1/security-groups?name=webfront").json().path("total").asInt()).isZero();
    }

    @Test
    void aGroupsPageAttachesAndDetachesVnicsAndTheDeleteDialogNamesWhoLosesIt() throws Exception {
        ok(post("/v1/security-groups", "{\"id\":\"sg-mon\",\"name\":\"monitoring\",\"project\":\"shop\"}"));
        instance("mon1", vnic("52:54:00:00:03:40", "192.0.2.40", "tap40"));
        String mon = vnicsOf("mon1").get(0).path("id").asText();
        browser.open("#/groups/sg-mon");
        browser.heading("monitoring");
        browser.selectValue(By.id("attach-vnic"), mon);
        browser.click(By.xpath("//button[normalize-space()='Attach']"));
        browser.visible(By.cssSelector("tr[data-vnic='" + mon + "']"));
        assertThat(groups(vnicsOf("mon1").get(0))).containsExactly("sg-mon");
        browser.screenshot("group-members");

        // In use under a profile that refuses: no "Delete" on the list or the group's page, but why not.
        assertThat(browser.all(By.cssSelector("main .page-head button.danger"))).isEmpty();
        assertThat(browser.text(By.cssSelector("[data-key='nodel-sg-mon']"))).contains("In use by vnics").contains("refuses").contains("detach it first");
        browser.open("#/groups");
        browser.visible(By.cssSelector("tr[data-group='sg-mon'] [data-key='nodel-sg-mon']"));
        assertThat(browser.all(By.cssSelector("button[aria-label='Delete monitoring']"))).isEmpty();
        browser.screenshot("groups-delete-not-offered");

        browser.open("#/groups/sg-mon");
        browser.click(By.cssSelector("button[data-key='detach-" + mon + "']"));
        browser.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-vnic='" + mon + "']"), 0));
        assertThat(groups(vnicsOf("mon1").get(0))).isEmpty();
        browser.visible(By.cssSelector("main .page-head button.danger"));
        browser.open("#/groups");
        browser.click(By.cssSelector("button[aria-label='Delete monitoring']"));
        assertThat(browser.visible(By.cssSelector("dialog")).getText()).contains("No vnic uses this group");
        browser.screenshot("delete-dialog-unused");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
        browser.open("#/groups/sg-mon");
        browser.heading("monitoring");

        // Every vnic of an instance at once, each keeping its other groups.
        instance("mon2", vnic("52:54:00:00:03:41", "192.0.2.41", "tap41", "sg-dbclnts"), vnic("52:54:00:00:03:42", "192.0.2.42", "tap42"));
        browser.until(d -> texts("#attach-instance option").stream().anyMatch(t -> t.startsWith("mon2 (2 vnic(s)")));
        browser.select(By.id("attach-instance"), "mon2 (2 vnic(s) without it)");
        browser.click(By.xpath("//button[normalize-space()='Attach to its vnics']"));
        browser.until(d -> texts("tr[data-vnic]").size() == 2);
        List<JsonNode> both = vnicsOf("mon2");
        assertThat(groups(both.get(0))).containsExactly("sg-dbclnts", "sg-mon");
        assertThat(groups(both.get(1))).containsExactly("sg-mon");
    }

    @Test
    void setAnInstancesGroupsInTheDialog() throws Exception {
        browser.open("#/instances");
        browser.heading("Instances");
        browser.click(By.cssSelector("button[aria-label='Set groups of instance app1']"));
        WebElement dialog = browser.visible(By.cssSelector("dialog"));
        assertThat(dialog.getText()).contains("Applies to all 2 vnics").contains("baseline");
        dialog.sendKeys(Keys.ESCAPE);
        browser.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("aria-label")).isEqualTo("Set groups of instance app1");

        browser.click(By.cssSelector("button[aria-label='Set groups of instance app1']"));
        browser.click(By.cssSelector("dialog input[value='sg-dbclnts']"));
        browser.click(By.cssSelector("dialog input[value='sg-base']"));
        browser.screenshot("instance-groups-dialog");
        browser.click(By.xpath("//dialog//button[normalize-space()='Save groups']"));
        browser.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
        for (JsonNode v : vnicsOf("app1")) {
            assertThat(groups(v)).containsExactlyInAnyOrder("sg-dbclnts", "sg-base");
        }
        browser.until(d -> d.findElements(By.cssSelector("tr[data-instance] .groups a.chip")).size() >= 5);
        browser.type(By.cssSelector("input[type=search]"), "192.0.2.21");
        browser.until(d -> attributes("tbody tr:not([hidden])", "data-vnic").size() == 2);
        assertThat(texts("tbody tr:not([hidden]) th")).allMatch(t -> t.startsWith("app1"));
        browser.type(By.cssSelector("input[type=search]"), "" + Keys.TAB);
        browser.until(d -> texts("tbody tr:not([hidden]) th").stream().anyMatch(t -> t.startsWith("db1")));
        browser.screenshot("instances");

        String second = vnicsOf("app1").get(1).path("id").asText();
        browser.click(By.cssSelector("button[data-key='setv-" + second + "']"));
        browser.click(By.cssSelector("dialog input[value='sg-base']"));
        browser.click(By.xpath("//dialog//button[normalize-space()='Save groups']"));
        browser.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog"), 0));
        List<JsonNode> after = vnicsOf("app1");
        assertThat(groups(after.get(0))).containsExactlyInAnyOrder("sg-dbclnts", "sg-base");
        assertThat(groups(after.get(1))).containsExactly("sg-dbclnts");
    }

    @Test
    void explainVerdictChangesAfterAddingARuleAndFollowsTheApi() throws Exception {
        ok(post("/v1/security-groups", "{\"id\":\"sg-cache\",\"name\":\"cache\",\"project\":\"shop\"}"));
        ok(post("/v1/security-groups", "{\"id\":\"sg-workers\",\"name\":\"workers\",\"project\":\"shop\"}"));
        instance("cache1", vnic("52:54:00:00:02:30", "192.0.2.30", "tap30", "sg-cache"));
        instance("worker1", vnic("52:54:00:00:02:31", "192.0.2.31", "tap31", "sg-workers"));
        String worker = vnicsOf("worker1").get(0).path("id").asText();
        String cache = vnicsOf("cache1").get(0).path("id").asText();

        browser.open("#/explain");
        browser.heading("Explain a packet");
        browser.select(By.name("fromKind"), "A member of a group");
        browser.select(By.name("fromGroup"), "workers");
        browser.selectValue(By.name("to"), cache);
        browser.type(By.name("port"), "6379");
        browser.click(By.xpath("//button[normalize-space()='Explain']"));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verdict"), "DROP"));
        assertThat(browser.text(By.id("trace"))).contains("isolation");

        // The rule is added in the browser, one by one in the form, on the group's edit page.
        browser.open("#/groups/sg-cache/edit");
        browser.heading("Edit cache");
        browser.click(By.id("mode-form"));
        browser.select(By.name("protocol"), "TCP");
        browser.type(By.name("portRangeMin"), "99999");
        browser.select(By.name("remoteKind"), "Security group");
        browser.select(By.name("remoteGroup"), "workers");
        browser.click(By.xpath("//form[contains(@class,'rule-form')]//button[normalize-space()='Add rule']"));
        WebElement portError = browser.visible(By.id(browser.visible(By.name("portRangeMin")).getAttribute("id") + "-error"));
        assertThat(portError.getText()).contains("65535");
        browser.type(By.name("portRangeMin"), "6379");
        browser.click(By.xpath("//form[contains(@class,'rule-form')]//button[normalize-space()='Add rule']"));
        browser.visible(By.xpath("//ul[contains(@class,'pending-rules')]//code[text()='tcp:6379,6379,sg-workers']"));
        browser.screenshot("group-edit-form");

        browser.open("#/explain");
        browser.heading("Explain a packet");
        browser.select(By.name("fromKind"), "A vnic");
        browser.selectValue(By.name("fromVnic"), worker);
        browser.selectValue(By.name("to"), cache);
        browser.type(By.name("port"), "6379");
        browser.click(By.xpath("//button[normalize-space()='Explain']"));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verdict"), "ALLOW"));
        assertThat(browser.text(By.id("trace"))).as("groups and rules by name").contains("allowed by rule “ingress IPv4 tcp 6379 from group workers” of group cache")
                .doesNotContain("sg-cache").doesNotContain("sgr-");
        browser.screenshot("explain");

        // Taken away through the API: the open page follows without a reload.
        browser.js("window.__notReloaded = true");
        String rule = server.get(admin, "/v1/security-groups/sg-cache").json().path("rules").get(0).path("id").asText();
        assertThat(server.delete(admin, "/v1/security-groups/sg-cache/rules/" + rule).status()).isEqualTo(204);
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verdict"), "DROP"));
        assertThat(browser.js("return window.__notReloaded === true")).isEqualTo(true);
    }

    @Test
    void graphShowsGroupsAndTheReferenceArrow() throws Exception {
        browser.open("#/graph");
        browser.heading("Policy graph");
        assertThat(browser.text(By.cssSelector("#policy-graph g.edge[data-from='sg-dbclnts'][data-to='sg-dbsrv'] text"))).isEqualTo("tcp 3306");
        assertThat(texts("#policy-graph g.node[data-group='sg-dbsrv'] text")).contains("dbsrv", "db1 192.0.2.10");
        assertThat(attributes("#policy-graph g.node[data-group]", "data-group"))
                .contains("sg-dbclnts", "sg-dbsrv", "sg-base", "outside");
        assertThat(browser.text(By.cssSelector("tr[data-from='sg-dbclnts'][data-to='sg-dbsrv']"))).contains("tcp 3306");
        browser.screenshot("graph");

        // A new reference made through the API appears as an arrow without a reload.
        browser.js("window.__notReloaded = true");
        ok(post("/v1/security-groups", "{\"id\":\"sg-front\",\"name\":\"front\",\"project\":\"shop\",\"rulesText\":\"tcp:443,443,ip4:0.0.0.0\\n\"}"));
        ok(server.post(admin, "/v1/security-groups/sg-dbsrv/rules", "{\"text\":\"tcp:5432,5432,sg-front\"}"));
        browser.visible(By.cssSelector("#policy-graph g.edge[data-from='sg-front'][data-to='sg-dbsrv']"));
        assertThat(browser.js("return window.__notReloaded === true")).isEqualTo(true);
        browser.screenshot("graph-after-api-change");

        // The graph re-renders as changes arrive, so the node is found again if it is replaced meanwhile.
        browser.pressEnter(By.cssSelector("#policy-graph g.node[data-group='sg-front']"));
        browser.heading("front");
    }

    @Test
    void ipSetsHostsAndAdminPages() throws Exception {
        browser.open("#/ip-sets");
        browser.heading("Ip sets");
        browser.type(By.name("name"), "office");
        browser.type(By.name("description"), "office networks");
        browser.select(By.name("project"), "shop");
        browser.click(By.xpath("//button[normalize-space()='Create ip set']"));
        browser.heading("office");
        browser.type(By.name("entries"), "198.51.100.0/24 # main office\n203.0.113.5\n198.51.100.0/24\nnot-an-address\n2001:db8::/32\n");
        browser.click(By.xpath("//button[normalize-space()='Add entries']"));
        WebElement result = browser.visible(By.cssSelector(".bulk-result"));
        browser.until(ExpectedConditions.textToBePresentInElement(result, "Added 2"));
        assertThat(result.getText()).contains("1 duplicate").contains("2 invalid").contains("not-an-address").contains("2001:db8::/32");
        browser.visible(By.xpath("//td[text()='main office']"));
        browser.click(By.xpath("//summary[normalize-space()='Change name, description or version']"));
        assertThat(browser.visible(By.cssSelector("details select[name='version']")).isEnabled()).as("version fixed once there are entries").isFalse();
        browser.type(By.cssSelector("details input[name='description']"), "offices and the VPN");
        browser.click(By.xpath("//details//button[normalize-space()='Save']"));
        browser.visible(By.xpath("//dd[text()='offices and the VPN']"));
        browser.js("arguments[0].scrollIntoView({block: 'center'})", result);
        browser.screenshot("ip-set");

        ok(server.call(admin, "PUT", "/v1/hosts/hv01/status", "{\"appliedRevision\":3,\"error\":\"nft: Error: syntax error\"}", "application/json"));
        browser.open("#/hosts");
        browser.heading("Hosts");
        assertThat(browser.text(By.cssSelector("tr[data-host]"))).contains("hv01").contains("error").contains("nft: Error: syntax error");
        browser.screenshot("hosts");

        browser.open("#/admin");
        browser.heading("Admin");
        String shopId = shop[0];
        browser.click(By.id("smtp-" + shopId));
        browser.until(d -> server.get(admin, "/v1/projects/" + shopId).json().path("smtpAllowed").asBoolean());
        browser.select(By.name("role"), "member (one project)");
        browser.type(By.cssSelector("form[aria-labelledby='new-token-h'] input[name='description']"), "for the shop team");
        browser.click(By.xpath("//button[normalize-space()='Create token']"));
        String secret = browser.visible(By.cssSelector("dialog input.secret")).getAttribute("value");
        assertThat(server.get(secret, "/v1/whoami").json().path("project").asText()).isEqualTo(shopId);
        browser.screenshot("admin-token");
        browser.click(By.xpath("//dialog//button[normalize-space()='Done']"));
        browser.visible(By.xpath("//td[text()='for the shop team']"));
        browser.screenshot("admin");
    }

    @Test
    void rulesAsATableMarkedWhenOpenToTheInternetAndNothingOpensByOmission() throws Exception {
        ok(post("/v1/security-groups", "{\"id\":\"sg-door\",\"name\":\"frontdoor\",\"project\":\"shop\","
                + "\"rulesText\":\"tcp:22,22,ip4:0.0.0.0 # ssh\\ntcp:80,80,ip4:198.51.100.0/24 # http from the office\\ntcp:5432,5432,sg-dbclnts\\n\"}"));
        browser.open("#/groups/sg-door");
        browser.heading("frontdoor");
        assertThat(browser.text(By.cssSelector("tr.open"))).containsIgnoringCase("open to the Internet").contains("22").contains("ssh");
        assertThat(browser.all(By.cssSelector("tr.open"))).hasSize(1);
        assertThat(browser.text(By.xpath("//tr[td[normalize-space()='5432']]"))).contains("group").contains("dbclnts").doesNotContain("sg-dbclnts");
        assertThat(browser.text(By.xpath("//tr[td[normalize-space()='80']]"))).contains("198.51.100.0/24").contains("http from the office")
                .doesNotContainIgnoringCase("open to the Internet");
        browser.screenshot("group-rules-table");

        // Deleting a rule asks first; Cancel changes nothing.
        browser.click(By.xpath("//tr[td[normalize-space()='80']]//button[normalize-space()='Delete']"));
        browser.visible(By.xpath("//dialog//h2[starts-with(., 'Delete the rule tcp:80,80,')]"));
        browser.screenshot("delete-rule-dialog");
        browser.click(By.xpath("//dialog//button[normalize-space()='Cancel']"));
        assertThat(server.get(admin, "/v1/security-groups/sg-door").json().path("rules")).hasSize(3);
        browser.click(By.xpath("//tr[td[normalize-space()='80']]//button[normalize-space()='Delete']"));
        browser.click(By.xpath("//dialog//button[normalize-space()='Delete rule']"));
        browser.until(d -> server.get(admin, "/v1/security-groups/sg-door").json().path("rules").size() == 2);

        // The form has presets and no source by default: an untouched source is refused, naming the choices.
        browser.open("#/groups/sg-door/edit");
        browser.heading("Edit frontdoor");
        browser.click(By.id("mode-form"));
        assertThat(browser.text(By.id("save-group"))).as("rules in the form apply at once: Save saves the rest").isEqualTo("Save name and description");
        assertThat(browser.text(By.id("cancel-group"))).as("nothing to cancel").isEqualTo("Done");
        browser.click(By.xpath("//div[contains(@class,'presets')]//button[normalize-space()='HTTPS']"));
        assertThat(browser.visible(By.name("portRangeMin")).getAttribute("value")).isEqualTo("443");
        browser.click(By.xpath("//form[contains(@class,'rule-form')]//button[normalize-space()='Add rule']"));
        WebElement sourceError = browser.visible(By.id(browser.visible(By.name("remoteIpPrefix")).getAttribute("id") + "-error"));
        assertThat(sourceError.getText()).contains("a rule needs a source").contains("0.0.0.0/0");
        assertThat(server.get(admin, "/v1/security-groups/sg-door").json().path("rules")).hasSize(2);
        browser.screenshot("rule-form-presets");
        browser.click(By.xpath("//div[contains(@class,'presets')]//button[normalize-space()='All from a group']"));
        browser.select(By.name("remoteGroup"), "dbclnts");
        browser.click(By.xpath("//form[contains(@class,'rule-form')]//button[normalize-space()='Add rule']"));
        browser.until(d -> server.get(admin, "/v1/security-groups/sg-door").json().path("rules").size() == 3);
        ok(server.delete(admin, "/v1/security-groups/sg-door"));
    }

    @Test
    void theVnicsPageShowsVnicsWithoutAnInstanceAndFilters() throws Exception {
        ok(post("/v1/vnics", "{\"id\":\"vif-loose\",\"name\":\"loose\",\"project\":\"shop\",\"host\":\"hv01\",\"device\":\"tap9\","
                + "\"mac\":\"52:54:00:00:09:09\",\"addresses\":[\"198.51.100.9\"],\"securityGroups\":[\"sg-dbclnts\"]}"));
        browser.open("#/vnics");
        browser.heading("Vnics");
        assertThat(browser.text(By.cssSelector("tr[data-vnic='vif-loose']"))).contains("loose").contains("none").contains("hv01").contains("dbclnts");
        browser.select(By.name("instance"), "No instance");
        browser.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-vnic]"), 1));
        browser.select(By.name("instance"), "Any");
        browser.type(By.name("address"), "192.0.2.10");
        browser.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-vnic]"), 1));
        assertThat(browser.text(By.cssSelector("tr[data-vnic]"))).contains("db1").contains("dbsrv");
        browser.type(By.name("address"), "");
        browser.select(By.name("group"), "dbclnts");
        browser.until(d -> browser.all(By.cssSelector("tr[data-vnic]")).stream().allMatch(r -> r.getText().contains("dbclnts")));
        assertThat(browser.all(By.cssSelector("tr[data-vnic='vif-loose']"))).hasSize(1);
        browser.screenshot("vnics");
        ok(server.delete(admin, "/v1/vnics/vif-loose"));
    }

    @Test
    void destructiveAdminActionsAskFirstAndErrorsDoNotFollowToOtherPages() throws Exception {
        String temp = server.post(admin, "/v1/projects", "{\"name\":\"temp\"}").json().path("id").asText();
        browser.open("#/admin");
        browser.heading("Admin");
        browser.click(By.cssSelector("button[aria-label='Delete project temp']"));
        browser.visible(By.xpath("//dialog//h2[normalize-space()='Delete project temp?']"));
        browser.click(By.xpath("//dialog//button[normalize-space()='Cancel']"));
        assertThat(server.get(admin, "/v1/projects/" + temp).status()).isEqualTo(200);
        browser.click(By.cssSelector("button[aria-label='Delete project temp']"));
        browser.click(By.xpath("//dialog//button[normalize-space()='Delete project']"));
        browser.until(d -> server.get(admin, "/v1/projects/" + temp).status() == 404);

        // A host token needs its host.
        browser.select(By.name("role"), "host (an agent)");
        browser.click(By.xpath("//button[normalize-space()='Create token']"));
        WebElement hostError = browser.visible(By.id(browser.visible(By.name("host")).getAttribute("id") + "-error"));
        assertThat(hostError.getText()).contains("A host token needs the host");
        assertThat(browser.all(By.cssSelector("dialog input.secret"))).isEmpty();

        // An error in the status bar stays on its page only.
        browser.click(By.cssSelector("button[aria-label='Delete project shop']"));
        browser.click(By.xpath("//dialog//button[normalize-space()='Delete project']"));
        browser.until(ExpectedConditions.attributeContains(By.id("status"), "class", "error"));
        browser.open("#/hosts");
        browser.heading("Hosts");
        assertThat(browser.js("return document.getElementById('status').textContent")).isEqualTo("");
    }

    @Test
    void aChangeThroughTheApiAppearsOnTheOpenListWithoutReload() {
        browser.open("#/groups");
        browser.heading("Security groups");
        browser.js("window.__notReloaded = true");
        ok(post("/v1/security-groups", "{\"id\":\"sg-fromcli\",\"name\":\"fromcli\",\"project\":\"shop\"}"));
        browser.visible(By.cssSelector("tr[data-group='sg-fromcli']"));
        assertThat(browser.js("return window.__notReloaded === true")).isEqualTo(true);
        assertThat(server.delete(admin, "/v1/security-groups/sg-fromcli").status()).isEqualTo(204);
        browser.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-group='sg-fromcli']"), 0));
    }

    /** The texts of every element a selector finds, read in one go (the page may re-render between two reads). */
    @SuppressWarnings("unchecked")
    private static List<String> texts(String css) {
        return (List<String>) browser.js("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim())", css);
    }

    @SuppressWarnings("unchecked")
    private static List<String> attributes(String css, String name) {
        return (List<String>) browser.js("return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))", css, name);
    }

    private static TestServer.Response post(String path, String json) {
        return server.post(admin, path, json);
    }

    private static void ok(TestServer.Response r) {
        assertThat(r.status()).as(r.text()).isBetween(200, 299);
    }

    private static String vnic(String mac, String address, String device, String... groups) {
        return "{\"mac\":\"" + mac + "\",\"addresses\":[\"" + address + "\"],\"host\":\"hv01\",\"device\":\"" + device
                + "\",\"network\":\"net1\",\"securityGroups\":[" + String.join(",", java.util.Arrays.stream(groups).map(g -> "\"" + g + "\"").toList()) + "]";
    }

    private static void instance(String name, String... vnics) {
        ok(post("/v1/instances", "{\"name\":\"" + name + "\",\"project\":\"shop\"}"));
        for (String v : vnics) {
            ok(post("/v1/vnics", v + ",\"instance\":\"" + name + "\",\"project\":\"shop\"}"));
        }
    }

    private static List<JsonNode> vnicsOf(String instance) {
        List<JsonNode> out = new ArrayList<>();
        server.get(admin, "/v1/instances?name=" + instance).json().path("items").get(0).path("vnics").forEach(out::add);
        out.sort(java.util.Comparator.comparing(v -> v.path("device").asText()));
        return out;
    }

    private static List<String> groups(JsonNode vnic) {
        List<String> out = new ArrayList<>();
        vnic.path("securityGroups").forEach(g -> out.add(g.asText()));
        return out;
    }
}
