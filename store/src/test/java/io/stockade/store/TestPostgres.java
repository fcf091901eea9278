package io.stockade.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real PostgreSQL of the machine (127.0.0.1:5432, database {@code test}, trust auth); each
 * test gets its own schema. When PostgreSQL is down, tests fail: CI starts it.
 */
public final class TestPostgres {
    public static final String BASE = System.getenv().getOrDefault("STOCKADE_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final java.util.Map<String, String> SCHEMAS = new java.util.concurrent.ConcurrentHashMap<>();

    private TestPostgres() {}

    /** A store in a new schema named after {@code name} and a random suffix. */
    public static Store store(String name) {
        String schema = "t_" + name.replaceAll("[^a-z0-9]", "") + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        execute("CREATE SCHEMA " + schema);
        SCHEMAS.put(name, schema);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE")));
        return Store.postgres(url(schema), null, null);
    }

    public static String url(String schema) {
        return BASE + (BASE.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The schema of an earlier {@link #store} call. */
    public static String schema(String name) {
        return SCHEMAS.get(name);
    }

    /** The store of an earlier {@link #store} call, opened again. */
    public static Store reopen(String name) {
        return Store.postgres(url(SCHEMAS.get(name)), null, null);
    }

    /** A new empty schema for a server under test; dropped at exit. */
    public static String newSchema(String name) {
        String schema = "t_" + name.replaceAll("[^a-z0-9]", "") + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        execute("CREATE SCHEMA " + schema);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE")));
        return url(schema);
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(BASE); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + BASE + " is needed for this test: " + e.getMessage(), e);
        }
    }
}
