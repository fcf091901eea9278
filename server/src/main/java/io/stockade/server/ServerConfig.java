package io.stockade.server;

import io.stockade.core.policy.Policy;
import java.nio.file.Path;

/**
 * How a controller runs: where it listens (port 0 = any free port), where its data lives
 * (SQLite under {@code dataDir} unless {@code dbUrl} names a PostgreSQL database), and the policy.
 */
public record ServerConfig(String bind, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, Policy policy,
        long maxBodyBytes, Tls tls) {

    /** HTTPS instead of HTTP: a PKCS#12 (or JKS) keystore holding the server's key and certificate. */
    public record Tls(Path keystore, String password) {}

    public ServerConfig(String bind, int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, Policy policy, long maxBodyBytes) {
        this(bind, port, dataDir, dbUrl, dbUser, dbPassword, policy, maxBodyBytes, null);
    }

    public static ServerConfig sqlite(Path dataDir, int port) {
        return new ServerConfig("127.0.0.1", port, dataDir, null, null, null, Policy.wakame(), 1_048_576);
    }

    public ServerConfig withPolicy(Policy p) {
        return new ServerConfig(bind, port, dataDir, dbUrl, dbUser, dbPassword, p, maxBodyBytes, tls);
    }

    public ServerConfig withDatabase(String url) {
        return new ServerConfig(bind, port, dataDir, url, dbUser, dbPassword, policy, maxBodyBytes, tls);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bind, p, dataDir, dbUrl, dbUser, dbPassword, policy, maxBodyBytes, tls);
    }

    public ServerConfig withTls(Tls t) {
        return new ServerConfig(bind, port, dataDir, dbUrl, dbUser, dbPassword, policy, maxBodyBytes, t);
    }
}
