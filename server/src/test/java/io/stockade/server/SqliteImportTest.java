package io.stockade.server;

class SqliteImportTest extends ImportSuite {
    @Override
    String engine() {
        return "sqlite";
    }
}
