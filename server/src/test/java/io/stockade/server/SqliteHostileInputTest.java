package io.stockade.server;

class SqliteHostileInputTest extends HostileInputSuite {
    @Override
    String engine() {
        return "sqlite";
    }
}
