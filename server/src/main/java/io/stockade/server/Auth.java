package io.stockade.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.stockade.store.Store;
import io.stockade.store.TokenRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Bearer tokens: random secrets handed out once, stored as SHA-256 hashes and looked up by hash.
 *
 * <p>Revocation holds on every controller of one database: a lookup is remembered for at most
 * {@link #REMEMBER} (a bounded cache), so a token deleted through any controller, or whose project
 * is gone, is refused everywhere within that time; through this controller at once. A member
 * token whose project no longer exists is refused even before its row is gone.
 *
 * <p>Throttling can never lock out a valid caller: a valid token is always accepted; only
 * failures are counted, per source address and per presented token prefix, and after
 * {@link #MAX_FAILURES} in a minute further failures are answered 429 instead of 401.
 */
public final class Auth {
    static final Duration REMEMBER = Duration.ofMillis(500);
    static final int MAX_FAILURES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final Predicate<String> projectExists;
    private final LoadingCache<String, Optional<TokenRecord>> byHash;
    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    public Auth(Store store, Predicate<String> projectExists) {
        this.store = store;
        this.projectExists = projectExists;
        this.byHash = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(REMEMBER).build(store::tokenByHash);
    }

    /** Creates a token and returns its secret (shown once). */
    public String create(String role, String projectId, String hostName, String description) {
        String secret = "stk_" + HexFormat.of().formatHex(bytes(24));
        String id = "tok-" + HexFormat.of().formatHex(bytes(5));
        store.insertToken(new TokenRecord(id, hash(secret), role, projectId, hostName, description == null ? "" : description, Instant.now().toString()));
        return secret;
    }

    public List<TokenRecord> list() {
        return store.tokens();
    }

    public boolean delete(String id) {
        boolean gone = store.deleteToken(id);
        byHash.invalidateAll();
        return gone;
    }

    /** Revokes every token of a (deleted) project. */
    public void revokeProject(String projectId) {
        store.deleteProjectTokens(projectId);
        byHash.invalidateAll();
    }

    public boolean hasAdmin() {
        return store.tokens().stream().anyMatch(t -> t.role().equals("admin"));
    }

    /** The caller a secret stands for; 401 when unknown (429 once its address or prefix failed too often). */
    public Caller authenticate(String secret, String client) {
        if (secret != null) {
            // Looked up by its SHA-256: timing can tell nothing about the secret itself.
            Optional<TokenRecord> match = byHash.get(hash(secret));
            if (match.isPresent() && (match.get().projectId() == null || projectExists.test(match.get().projectId()))) {
                TokenRecord t = match.get();
                return new Caller(t.id(), Caller.Role.valueOf(t.role().toUpperCase()), t.projectId(), t.hostName());
            }
        }
        int byClient = fail("address:" + client);
        int byPrefix = secret == null ? 0 : fail("prefix:" + secret.substring(0, Math.min(12, secret.length())));
        if (byClient > MAX_FAILURES || byPrefix > MAX_FAILURES) {
            throw new ApiException(429, "too_many_failures", null, "too many failed authentications; wait a minute (valid tokens are not affected)");
        }
        throw ApiException.unauthorized(secret == null ? "a bearer token is needed (Authorization: Bearer …)" : "the token is not valid");
    }

    private int fail(String key) {
        return failures.get(key, k -> new AtomicInteger()).incrementAndGet();
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
