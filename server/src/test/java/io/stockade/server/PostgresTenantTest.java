package io.stockade.server;

class PostgresTenantTest extends TenantSuite {
    @Override
    String engine() {
        return "postgres";
    }
}
