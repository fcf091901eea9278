package io.stockade.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stockade.store.StoreException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent store: an embedded SQLite file (default) or PostgreSQL, one schema for both
 * (Flyway migrations). Every mutation is one transaction that takes the next global revision and
 * appends its change records, so a failed mutation writes nothing and watchers can resume from
 * a revision.
 */
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean sqlite;
    private final Path dataDir;
    private final String where;
    private volatile java.sql.Connection listener;
    /**
     * SQLite: each project's quota overrides as this store last read them, dropped when it writes
     * them. The embedded file has one controller (it follows no other's commits), so nothing else
     * writes them, and a write that checks a quota reads no table. PostgreSQL: not used, since
     * other controllers may set them; each check reads them.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Map<String, Long>> quotasRead = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The embedded store's writers take turns here, in arrival order: SQLite lets one write at a
     * time and makes the others poll for its lock with growing sleeps (1, 2, 5, 10 ms ...), so a
     * write that met another's fsync (an agent's status report) woke milliseconds after the lock
     * was free. Null on PostgreSQL, whose writers wait in the database.
     */
    private final java.util.concurrent.locks.ReentrantLock writers;

    private Store(HikariDataSource dataSource, Path dataDir, String where) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.sqlite = dataDir != null;
        this.writers = sqlite ? new java.util.concurrent.locks.ReentrantLock(true) : null;
        this.dataDir = dataDir;
        this.where = where;
    }

    /** An embedded SQLite file {@code stockade.db} under {@code dataDir}, created on first start. */
    public static Store sqlite(Path dataDir) {
        return sqlite(dataDir, 10_000);
    }

    /** The embedded store, waiting at most {@code busyMillis} for SQLite's write lock (held by another process). */
    static Store sqlite(Path dataDir, int busyMillis) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Path file = dataDir.resolve("stockade.db");
        // access(2) says EROFS for a read-only mount even to root: fail before SQLite opens half a store.
        if (!Files.isWritable(dataDir) || Files.exists(file) && !Files.isWritable(file)) {
            throw new StoreException(Reason.READ_ONLY, "the data directory " + dataDir.toAbsolutePath()
                    + " is read-only: the embedded store writes stockade.db, its journal and the admin token there", null);
        }
        ownerOnly(file);
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:sqlite:" + file);
        c.setMaximumPoolSize(4);
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("synchronous", "FULL");
        c.addDataSourceProperty("busy_timeout", Integer.toString(busyMillis));
        // Write transactions take the write lock at BEGIN, so a read-then-write never fails as a stale snapshot.
        c.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        c.setConnectionInitSql("PRAGMA busy_timeout = " + busyMillis);
        c.setPoolName("stockade-sqlite");
        return open(c, dataDir, file.toString());
    }

    /**
     * The store holds every project's rules and tokens' hashes: its file is created owner-only
     * (SQLite gives its -wal and -shm files the same mode), and an older one is made so.
     */
    private static void ownerOnly(Path file) {
        var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(mode));
            }
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path f = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(f)) {
                    Files.setPosixFilePermissions(f, mode);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot make " + file + " owner-only: " + e.getMessage(), e);
        }
    }

    /** PostgreSQL by JDBC URL (user and password may be in the URL or given here). */
    public static Store postgres(String url, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(8);
        c.setConnectionTimeout(5000);
        c.setInitializationFailTimeout(-1);
        c.setPoolName("stockade-postgres");
        return open(c, null, url.replaceAll("password=[^&]*", "password=***"));
    }

    private static Store open(HikariConfig config, Path dataDir, String where) {
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw Failures.of("cannot open the store at " + where, e, dataDir, where);
        }
        log.info("store: {} at {}", dataDir != null ? "SQLite" : "PostgreSQL", where);
        return new Store(ds, dataDir, where);
    }

    public boolean isSqlite() {
        return sqlite;
    }

    public long revision() {
        return call(h -> h.createQuery("SELECT COALESCE(MAX(revision), 0) FROM changes").mapTo(Long.class).one());
    }

    public List<StoredObject> loadAll() {
        return call(h -> h.createQuery("SELECT id, kind, project_id, name, body, revision, created_at, updated_at FROM objects ORDER BY created_at, id")
                .map((rs, ctx) -> new StoredObject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Bodies.unpack(rs.getString(5)),
                        rs.getLong(6), rs.getString(7), rs.getString(8)))
                .list());
    }

    public Optional<StoredObject> object(String id) {
        return call(h -> h.createQuery("SELECT id, kind, project_id, name, body, revision, created_at, updated_at FROM objects WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new StoredObject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Bodies.unpack(rs.getString(5)),
                        rs.getLong(6), rs.getString(7), rs.getString(8)))
                .findOne());
    }

    /**
     * Writes one mutation in one transaction: the next revision, the objects, and the change
     * records. Returns the revision. Two controllers writing at once on PostgreSQL take the log's
     * lock in turn, so each gets its own revision.
     */
    public long commit(String actor, List<Change> changes) {
        return commit(List.of(new Write(actor, changes))).get(0);
    }

    /** One mutation's store changes and who made it: a part of a {@link #commit(List) group commit}. */
    public record Write(String actor, List<Change> changes) {}

    /**
     * Writes several mutations in one transaction (one sync to disk), each with its own revision
     * (consecutive, in order) and change records, as if committed one after the other; all or
     * none. Returns their revisions. Whatever else was committed before; a controller whose
     * writes were validated against a revision commits with {@link #commit(long, java.util.function.Function)}.
     */
    public List<Long> commit(List<Write> writes) {
        return transact(h -> write(h, head(h), writes));
    }

    /**
     * What other controllers committed after the revision a group commit was prepared against:
     * each object the log names after it, as it is at {@code revision} (null when gone). Read
     * under the log's lock, so it is exactly the store as the commit finds it; empty when the log
     * had not moved.
     */
    public record Behind(long revision, Map<String, StoredObject> changed) {
        public Behind {
            changed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changed));
        }
    }

    /** A group commit's outcome: what it found committed before it, and the revisions of the writes it wrote. */
    public record Committed(Behind behind, List<Long> revisions) {
        public Committed {
            revisions = List.copyOf(revisions);
        }
    }

    /**
     * A group commit that never fails because another controller wrote first: the log's lock is
     * taken, and {@code prepare} is given what was committed after {@code base} ({@link Behind},
     * read under that lock, so nothing moves until this transaction ends) and returns the writes
     * to make on top of it: those prepared against {@code base} when nothing came between, else
     * the same writes validated again against the newer objects (a write that no longer holds is
     * left out). They are written with the next revisions, in one transaction. {@code prepare}
     * may be called again if the database asks for the transaction to be retried.
     */
    public Committed commit(long base, java.util.function.Function<Behind, List<Write>> prepare) {
        return transact(h -> {
            long current = head(h);
            Behind behind = new Behind(current, current == base ? Map.of() : changedSince(h, base, current));
            return new Committed(behind, write(h, current, prepare.apply(behind)));
        });
    }

    private <T> T transact(org.jdbi.v3.core.HandleCallback<T, RuntimeException> f) {
        for (int attempt = 0; ; attempt++) {
            try {
                return writing(() -> jdbi.inTransaction(f));
            } catch (JdbiException e) {
                if (attempt < 5 && isConflict(e)) {
                    continue;
                }
                throw Failures.of("could not write to the store", e, dataDir, where);
            }
        }
    }

    /**
     * Takes the log's lock (until the transaction ends: one committer at a time, so revisions
     * become visible in their order and a follower reading "after revision r" misses none) and
     * reads its head.
     */
    private long head(Handle h) {
        if (!sqlite) {
            h.execute("LOCK TABLE changes IN SHARE ROW EXCLUSIVE MODE");
        }
        return h.createQuery("SELECT COALESCE(MAX(revision), 0) FROM changes").mapTo(Long.class).one();
    }

    private List<Long> write(Handle h, long current, List<Write> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        String now = Instant.now().toString();
        // Three batches per group, whatever the number of writes and objects (an import costs a few
        // statements, not two per object): the change records of every write, and the objects'
        // rows as the last write of each leaves them. Each write deletes before it puts, so an
        // object deleted on the way (and perhaps made again, as new) is deleted first, then each
        // object's last upsert is written with its write's revision.
        PreparedBatch log = h.prepareBatch("INSERT INTO changes (revision, seq, at, actor, kind, object_id, project_id, action, detail) "
                + "VALUES (:r, :s, :t, :a, :k, :o, :p, :ac, :d)");
        Set<String> deleted = new LinkedHashSet<>();
        Map<String, Change> upserted = new LinkedHashMap<>();
        Map<String, Long> upsertedAt = new HashMap<>();
        List<Long> revisions = new java.util.ArrayList<>(writes.size());
        for (Write w : writes) {
            long rev = current + 1 + revisions.size();
            int seq = 0;
            for (Change c : w.changes()) {
                if (c.body() == null) {
                    deleted.add(c.id());
                    upserted.remove(c.id());
                }
                log.bind("r", rev).bind("s", seq++).bind("t", now).bind("a", w.actor()).bind("k", c.kind()).bind("o", c.id())
                        .bind("p", c.projectId()).bind("ac", c.action()).bind("d", c.detail()).add();
            }
            for (Change c : w.changes()) {
                if (c.body() != null) {
                    upserted.put(c.id(), c);
                    upsertedAt.put(c.id(), rev);
                }
            }
            revisions.add(rev);
        }
        if (!deleted.isEmpty()) {
            PreparedBatch deletes = h.prepareBatch("DELETE FROM objects WHERE id = :id");
            deleted.forEach(id -> deletes.bind("id", id).add());
            deletes.execute();
        }
        if (!upserted.isEmpty()) {
            PreparedBatch upserts = h.prepareBatch("INSERT INTO objects (id, kind, project_id, name, body, revision, created_at, updated_at) "
                    + "VALUES (:id, :k, :p, :n, :b, :r, :t, :t) ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, "
                    + "name = excluded.name, body = excluded.body, revision = excluded.revision, updated_at = excluded.updated_at");
            upserted.forEach((id, c) -> upserts.bind("id", id).bind("k", c.kind()).bind("p", c.projectId()).bind("n", c.name()).bind("b", c.body())
                    .bind("r", upsertedAt.get(id)).bind("t", now).add());
            upserts.execute();
        }
        if (log.size() > 0) {
            log.execute();
        }
        if (!sqlite) {
            // Wakes the other controllers on this database (delivered when the transaction commits).
            h.execute("NOTIFY stockade_revision");
        }
        return revisions;
    }

    /**
     * The objects the change log names after {@code since} up to {@code upTo} (the head the caller
     * read), as they are now, in one query: each id with its object, or with null when it is gone
     * (deleted). A controller catches up with this in one round trip however many objects changed.
     */
    public Map<String, StoredObject> changedSince(long since, long upTo) {
        return call(h -> changedSince(h, since, upTo));
    }

    /**
     * Bounded on both sides so that PostgreSQL's generic plan for the prepared statement (used
     * after a few runs) reads the log's index and each object by its key: with {@code since}
     * alone it scanned every object (8 ms at 22,000 objects), under the log's lock when a commit
     * came after another controller's.
     */
    private static Map<String, StoredObject> changedSince(Handle h, long since, long upTo) {
        Map<String, StoredObject> out = new LinkedHashMap<>();
        h.createQuery("SELECT c.object_id, o.id, o.kind, o.project_id, o.name, o.body, o.revision, o.created_at, o.updated_at "
                        + "FROM (SELECT DISTINCT object_id FROM changes WHERE revision > :since AND revision <= :upTo) c LEFT JOIN objects o ON o.id = c.object_id")
                .bind("since", since)
                .bind("upTo", upTo)
                .map((rs, ctx) -> {
                    out.put(rs.getString(1), rs.getString(2) == null ? null : new StoredObject(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Bodies.unpack(rs.getString(6)), rs.getLong(7), rs.getString(8), rs.getString(9)));
                    return 0;
                })
                .list();
        return out;
    }

    /**
     * Waits up to {@code millis} for another controller's commit (PostgreSQL LISTEN/NOTIFY);
     * returns at once on SQLite, which has one controller. Callers compare revisions anyway: a
     * notification is a hint, the revision log is the truth. One connection keeps listening
     * between calls, so a commit made while the caller is busy catching up is not missed (it
     * is queued on that connection); after a database failure it listens again on a new one.
     * Called by one thread only.
     */
    public void awaitNotification(long millis) throws InterruptedException {
        if (sqlite) {
            Thread.sleep(millis);
            return;
        }
        try {
            java.sql.Connection c = listener;
            if (c == null) {
                c = dataSource.getConnection();
                listener = c;
                try (var st = c.createStatement()) {
                    st.execute("LISTEN stockade_revision");
                }
            }
            c.unwrap(org.postgresql.PGConnection.class).getNotifications((int) millis);
        } catch (java.sql.SQLException | RuntimeException e) {
            stopListening();
            Thread.sleep(millis);
        }
    }

    private void stopListening() {
        java.sql.Connection c = listener;
        listener = null;
        if (c != null) {
            try {
                c.close();
            } catch (java.sql.SQLException e) {
                log.debug("closing the listening connection: {}", e.getMessage());
            }
        }
    }

    /** The change log after {@code since}, oldest first, optionally for one project or object. */
    public List<ChangeRecord> changes(long since, int limit, String projectId, String objectId) {
        return call(h -> {
            StringBuilder sql = new StringBuilder("SELECT revision, seq, at, actor, kind, object_id, project_id, action, detail FROM changes WHERE revision > :since");
            if (projectId != null) {
                sql.append(" AND project_id = :project");
            }
            if (objectId != null) {
                sql.append(" AND object_id = :object");
            }
            sql.append(" ORDER BY revision, seq LIMIT :limit");
            var q = h.createQuery(sql.toString()).bind("since", since).bind("limit", limit);
            if (projectId != null) {
                q.bind("project", projectId);
            }
            if (objectId != null) {
                q.bind("object", objectId);
            }
            return q.map((rs, ctx) -> new ChangeRecord(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9))).list();
        });
    }

    public void insertToken(TokenRecord t) {
        run(h -> h.createUpdate("INSERT INTO tokens (id, hash, role, project_id, host_name, description, created_at) VALUES (:id, :hash, :role, :p, :host, :d, :t)")
                .bind("id", t.id()).bind("hash", t.hash()).bind("role", t.role()).bind("p", t.projectId()).bind("host", t.hostName())
                .bind("d", t.description()).bind("t", t.createdAt()).execute());
    }

    public List<TokenRecord> tokens() {
        return call(h -> h.createQuery("SELECT id, hash, role, project_id, host_name, description, created_at FROM tokens ORDER BY created_at")
                .map((rs, ctx) -> new TokenRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7))).list());
    }

    public boolean deleteToken(String id) {
        return update(h -> h.createUpdate("DELETE FROM tokens WHERE id = :id").bind("id", id).execute()) > 0;
    }

    /** The token with this hash (an indexed lookup), if any. */
    public java.util.Optional<TokenRecord> tokenByHash(String hash) {
        return call(h -> h.createQuery("SELECT id, hash, role, project_id, host_name, description, created_at FROM tokens WHERE hash = :h")
                .bind("h", hash).map((rs, ctx) -> new TokenRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7))).findOne());
    }

    /** Removes every token of a project; returns how many there were. */
    public int deleteProjectTokens(String projectId) {
        return update(h -> h.createUpdate("DELETE FROM tokens WHERE project_id = :p").bind("p", projectId).execute());
    }

    /** A project's quota overrides: resource → limit. */
    public Map<String, Long> quotas(String projectId) {
        // computeIfAbsent holds the entry while it reads, so a write's drop after its commit cannot come
        // between this read and its keeping (what is kept is never older than the last write).
        return sqlite ? quotasRead.computeIfAbsent(projectId, this::readQuotas) : readQuotas(projectId);
    }

    private Map<String, Long> readQuotas(String projectId) {
        return Map.copyOf(call(h -> h.createQuery("SELECT resource, quota_limit FROM quotas WHERE project_id = :p").bind("p", projectId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list())
                .stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** The projects that have quota overrides. */
    public List<String> projectsWithQuotas() {
        return call(h -> h.createQuery("SELECT DISTINCT project_id FROM quotas ORDER BY project_id").mapTo(String.class).list());
    }

    /** Sets a project's overrides in one transaction: a null limit removes the override (back to the default). */
    public void setQuotas(String projectId, Map<String, Long> limits) {
        try {
            run(h -> h.inTransaction(t -> {
                for (Map.Entry<String, Long> e : limits.entrySet()) {
                    t.createUpdate("DELETE FROM quotas WHERE project_id = :p AND resource = :r").bind("p", projectId).bind("r", e.getKey()).execute();
                    if (e.getValue() != null) {
                        t.createUpdate("INSERT INTO quotas (project_id, resource, quota_limit) VALUES (:p, :r, :l)").bind("p", projectId)
                                .bind("r", e.getKey()).bind("l", e.getValue()).execute();
                    }
                }
                return limits.size();
            }));
        } finally {
            quotasRead.remove(projectId);
        }
    }

    /** Removes every override of a project (when it is deleted, or reset). */
    public void deleteQuotas(String projectId) {
        try {
            run(h -> h.createUpdate("DELETE FROM quotas WHERE project_id = :p").bind("p", projectId).execute());
        } finally {
            quotasRead.remove(projectId);
        }
    }

    /** Whether the change log ever named this object: ids of deleted objects are never given to new ones. */
    public boolean everExisted(String objectId) {
        return call(h -> h.createQuery("SELECT 1 FROM changes WHERE object_id = :o LIMIT 1").bind("o", objectId).mapTo(Integer.class).findOne()).isPresent();
    }

    /**
     * Hosts' status reports in one transaction, one upsert each (so concurrent first reports of
     * a new host do not collide on its key; SQLite 3.24+ and PostgreSQL). They are observations,
     * written in batches: on PostgreSQL the commit does not wait for its sync to disk.
     */
    public void putHostStatuses(List<HostStatus> statuses) {
        transact(h -> {
            if (!sqlite) {
                h.execute("SET LOCAL synchronous_commit TO OFF");
            }
            PreparedBatch b = h.prepareBatch("INSERT INTO host_status (host_id, applied_revision, last_heartbeat, last_error) VALUES (:id, :r, :t, :e)"
                    + " ON CONFLICT (host_id) DO UPDATE SET applied_revision = excluded.applied_revision,"
                    + " last_heartbeat = excluded.last_heartbeat, last_error = excluded.last_error");
            statuses.forEach(s -> b.bind("id", s.hostId()).bind("r", s.appliedRevision()).bind("t", s.lastHeartbeat()).bind("e", s.lastError()).add());
            return b.execute().length;
        });
    }

    public Map<String, HostStatus> hostStatuses() {
        return call(h -> h.createQuery("SELECT host_id, applied_revision, last_heartbeat, last_error FROM host_status")
                .map((rs, ctx) -> new HostStatus(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4))).list())
                .stream().collect(java.util.stream.Collectors.toMap(HostStatus::hostId, s -> s));
    }

    /** Whether the database answers now (for {@code /healthz}). */
    public boolean healthy() {
        try {
            return call(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (StoreException e) {
            return false;
        }
    }

    private <T> T call(org.jdbi.v3.core.HandleCallback<T, RuntimeException> f) {
        try {
            return jdbi.withHandle(f);
        } catch (JdbiException e) {
            throw Failures.of("the store is unavailable", e, dataDir, where);
        }
    }

    private void run(org.jdbi.v3.core.HandleCallback<Integer, RuntimeException> f) {
        update(f);
    }

    /** A write of its own (see {@link #writers}); returns the rows it changed. */
    private int update(org.jdbi.v3.core.HandleCallback<Integer, RuntimeException> f) {
        return writing(() -> call(f));
    }

    /** Runs a write in its turn among this process's writers (embedded store), or at once (PostgreSQL). */
    private <T> T writing(java.util.function.Supplier<T> w) {
        if (writers == null) {
            return w.get();
        }
        writers.lock();
        try {
            return w.get();
        } finally {
            writers.unlock();
        }
    }

    private static boolean isConflict(Throwable e) {
        String m = rootMessage(e).toLowerCase();
        return m.contains("duplicate key") || m.contains("unique constraint") || m.contains("could not serialize") || m.contains("deadlock")
                || m.contains("database is locked");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        stopListening();
        dataSource.close();
    }
}
