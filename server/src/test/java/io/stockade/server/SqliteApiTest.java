package io.stockade.server;

class SqliteApiTest extends ApiSuite {
    @Override
    String engine() {
        return "sqlite";
    }
}
