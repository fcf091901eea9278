package io.stockade.server;

class SqliteTenantTest extends TenantSuite {
    @Override
    String engine() {
        return "sqlite";
    }
}
