package io.stockade.server;

class PostgresImportTest extends ImportSuite {
    @Override
    String engine() {
        return "postgres";
    }
}
