package io.stockade.server;

class PostgresHostileInputTest extends HostileInputSuite {
    @Override
    String engine() {
        return "postgres";
    }
}
