package io.stockade.server;

/** {@link ApiFuzzTest} on PostgreSQL: no 5xx there either (a NUL or an overlong name was a 503 carrying the database's error). */
class PostgresApiFuzzTest extends ApiFuzzTest {
    @Override
    String engine() {
        return "postgres";
    }
}
