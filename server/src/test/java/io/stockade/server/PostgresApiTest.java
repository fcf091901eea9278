package io.stockade.server;

class PostgresApiTest extends ApiSuite {
    @Override
    String engine() {
        return "postgres";
    }
}
