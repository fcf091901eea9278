package io.stockade.server;

import io.stockade.store.Store;
import io.stockade.store.TokenRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens: random secrets handed out once, stored as SHA-256 hashes, compared in constant
 * time. Failed attempts are rate-limited per client address.
 */
public final class Auth {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Store store;
    private volatile List<TokenRecord> tokens;
    private final Map<String, long[]> failures = new ConcurrentHashMap<>();

    public Auth(Store store) {
        this.store = store;
        this.tokens = store.tokens();
    }

    /** Creates a token and returns its secret (shown once). */
    public synchronized String create(String role, String projectId, String hostName, String description) {
        String secret = "stk_" + HexFormat.of().formatHex(bytes(24));
        String id = "tok-" + HexFormat.of().formatHex(bytes(5));
        store.insertToken(new TokenRecord(id, hash(secret), role, projectId, hostName, description == null ? "" : description, Instant.now().toString()));
        tokens = store.tokens();
        return secret;
    }

    public List<TokenRecord> list() {
        return tokens;
    }

    public synchronized boolean delete(String id) {
        boolean gone = store.deleteToken(id);
        tokens = store.tokens();
        return gone;
    }

    public boolean hasAdmin() {
        return tokens.stream().anyMatch(t -> t.role().equals("admin"));
    }

    /** The caller a secret stands for; 401 when unknown, 429 after too many failures from one address. */
    public Caller authenticate(String secret, String client) {
        long[] f = failures.get(client);
        long now = System.nanoTime();
        if (f != null && f[0] >= 20 && now - f[1] < 60_000_000_000L) {
            throw new ApiException(429, "too_many_failures", null, "too many failed authentications from " + client + "; wait a minute");
        }
        if (secret != null) {
            byte[] h = hash(secret).getBytes(StandardCharsets.US_ASCII);
            TokenRecord match = find(h);
            if (match == null && (f == null || f[0] < 5)) {
                // Another controller on the same database may have made this token.
                tokens = store.tokens();
                match = find(h);
            }
            if (match != null) {
                failures.remove(client);
                return new Caller(match.id(), Caller.Role.valueOf(match.role().toUpperCase()), match.projectId(), match.hostName());
            }
        }
        failures.compute(client, (k, v) -> v == null || now - v[1] > 60_000_000_000L ? new long[] {1, now} : new long[] {v[0] + 1, v[1]});
        throw ApiException.unauthorized(secret == null ? "a bearer token is needed (Authorization: Bearer …)" : "the token is not valid");
    }

    /** Compares with every token, in constant time per token. */
    private TokenRecord find(byte[] hash) {
        TokenRecord match = null;
        for (TokenRecord t : tokens) {
            if (MessageDigest.isEqual(hash, t.hash().getBytes(StandardCharsets.US_ASCII))) {
                match = t;
            }
        }
        return match;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
