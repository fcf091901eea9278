package io.stockade.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.policy.Policy;
import io.stockade.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The policy graph of many groups and references (chains, edges skipping layers, cycles, a
 * self-reference, outside sources, long labels): no edge label overlaps another label or a
 * group's box, and every label and box lies inside the drawing.
 */
class ConsoleGraphLayoutBrowserTest {
    private static final int GROUPS = 12;

    /** Every label and box as a rectangle in the page, and each pair that intersects or leaves the SVG. */
    private static final String OVERLAPS = """
            const svg = document.getElementById('policy-graph');
            const view = svg.getBoundingClientRect();
            const shapes = [...svg.querySelectorAll('g.node > rect'), ...svg.querySelectorAll('text.edge-label')].map((e) => {
              const r = e.getBoundingClientRect();
              const what = e.tagName === 'rect' ? 'box ' + e.parentNode.dataset.group : 'label "' + e.textContent + '"';
              return { what, l: r.left, t: r.top, r: r.right, b: r.bottom };
            });
            const out = [];
            shapes.forEach((a, i) => {
              if (a.l < view.left || a.t < view.top || a.r > view.right || a.b > view.bottom) out.push(a.what + ' is outside the view');
              shapes.slice(i + 1).forEach((b) => {
                if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) out.push(a.what + ' overlaps ' + b.what);
              });
            });
            return out;
            """;

    @Test
    void labelsNeverOverlapEachOtherOrTheBoxesAndLieInsideTheView() throws Exception {
        try (TestServer server = new TestServer("sqlite", Policy.wakame());
             Browser browser = new Browser(server.url())) {
            String admin = server.adminToken;
            String[] p = server.project("big");
            for (int i = 0; i < GROUPS; i++) {
                assertThat(server.post(p[1], "/v1/security-groups", "{\"id\":\"sg-t" + i + "\",\"name\":\"tier" + i + "\"}").status()).isEqualTo(201);
            }
            for (int i = 0; i < GROUPS; i++) {
                List<String> rules = new ArrayList<>();
                if (i > 0) {
                    rules.add("tcp:" + (3000 + i) + "," + (3000 + i) + ",sg-t" + (i - 1));
                    rules.add("udp:53,53,sg-t" + (i - 1));
                }
                if (i >= 3) {
                    rules.add("tcp:" + (8000 + i) + "," + (8100 + i) + ",sg-t" + (i - 3));
                }
                if (i == 0) {
                    rules.add("tcp:9000,9000,sg-t11"); // closes a cycle through every group
                }
                if (i == 2) {
                    rules.add("tcp:9002,9002,sg-t5");
                }
                if (i == 4) {
                    rules.add("tcp:7000,7000,sg-t4"); // itself
                }
                if (i == 6) {
                    rules.addAll(List.of("tcp:5000,5001,sg-t5", "icmp:-1,-1,sg-t5", "tcp:11211,11211,sg-t5", "udp:11211,11211,sg-t5"));
                }
                if (i == 1) {
                    rules.add("tcp:443,443,ip4:198.51.100.0/24");
                }
                if (i == 7) {
                    rules.addAll(List.of("tcp:22,22,ip4:0.0.0.0", "tcp:80,80,ip4:203.0.113.0/24"));
                }
                assertThat(server.call(p[1], "PUT", "/v1/security-groups/sg-t" + i + "/rules", String.join("\n", rules) + "\n", "text/plain").status())
                        .isEqualTo(200);
            }
            for (int k = 0; k < 3; k++) {
                assertThat(server.post(admin, "/v1/vnics", "{\"project\":\"" + p[0] + "\",\"mac\":\"52:54:00:00:07:0" + k + "\",\"addresses\":[\"192.0.2.7" + k + "\"],"
                        + "\"securityGroups\":[\"sg-t3\"]}").status()).isEqualTo(201);
            }

            browser.signIn(admin);
            browser.open("#/graph");
            browser.heading("Policy graph");
            browser.visible(By.cssSelector("#policy-graph g.edge[data-from='sg-t4'][data-to='sg-t4']"));
            assertThat(browser.all(By.cssSelector("#policy-graph g.node[data-group]"))).hasSize(GROUPS + 1);
            assertThat(browser.all(By.cssSelector("#policy-graph text.edge-label"))).hasSize(25);
            assertThat(browser.text(By.cssSelector("#policy-graph g.edge[data-from='sg-t5'][data-to='sg-t6'] text")))
                    .isEqualTo("tcp 3006, udp 53, tcp 5000-5001, icmp, tcp 11211, udp 11211");
            assertThat(browser.js(OVERLAPS)).asList().isEmpty();
            browser.screenshot("graph-many-groups");
        }
    }
}
