package io.stockade.server;

import io.stockade.core.policy.Policy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A suite of tests over real HTTP against a fresh server for each test, on the store its
 * subclass names ({@code sqlite} or {@code postgres}), so every suite runs once on each.
 */
abstract class OnEachStore {
    TestServer s;
    String admin;

    abstract String engine();

    @BeforeEach
    void start() throws Exception {
        s = new TestServer(engine(), Policy.wakame());
        admin = s.adminToken;
    }

    @AfterEach
    void stop() {
        s.close();
    }
}
