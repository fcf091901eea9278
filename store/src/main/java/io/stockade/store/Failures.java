package io.stockade.store;

import io.stockade.store.StoreException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Says why the database failed, so that a client and an operator see "disk full" or "read-only", not a driver's message. */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    private Failures() {}

    /** {@code doing} says what failed ("could not write to the store"); {@code where} is the file or URL. */
    static StoreException of(String doing, RuntimeException e, Path dataDir, String where) {
        Reason reason = reason(e, dataDir);
        String message = switch (reason) {
            case DISK_FULL -> doing + ": the disk holding " + where + " is full; nothing was written (free space and try again)";
            case READ_ONLY -> doing + ": the store is read-only (" + where + "); nothing was written";
            case UNAVAILABLE -> doing + ": " + Store.rootMessage(e);
        };
        if (reason != Reason.UNAVAILABLE) {
            log.warn(message);
        }
        return new StoreException(reason, message, e);
    }

    static Reason reason(Throwable e, Path dataDir) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException s) {
                SQLiteErrorCode code = s.getResultCode();
                if (code == SQLiteErrorCode.SQLITE_FULL) {
                    return Reason.DISK_FULL;
                }
                if (code.name().startsWith("SQLITE_READONLY")) {
                    return Reason.READ_ONLY;
                }
                if (code.name().startsWith("SQLITE_IOERR") || code.name().startsWith("SQLITE_CANTOPEN")) {
                    return probe(dataDir);
                }
            } else if (t instanceof SQLException q && q.getSQLState() != null) {
                switch (q.getSQLState()) {
                    case "53100" -> { return Reason.DISK_FULL; } // PostgreSQL disk_full
                    case "25006" -> { return Reason.READ_ONLY; } // read_only_sql_transaction: a standby
                    default -> { }
                }
            }
        }
        return Reason.UNAVAILABLE;
    }

    /** SQLite only says "disk I/O error": try writing a little in the data directory to learn why. */
    private static Reason probe(Path dataDir) {
        if (dataDir == null) {
            return Reason.UNAVAILABLE;
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(dataDir, ".write-probe", null);
            Files.write(probe, new byte[4096]);
            return Reason.UNAVAILABLE;
        } catch (IOException x) {
            String m = String.valueOf(x.getMessage());
            return m.contains("Read-only file system") ? Reason.READ_ONLY : m.contains("No space left") ? Reason.DISK_FULL : Reason.UNAVAILABLE;
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // the probe is empty or tiny; a leftover harms nothing
                }
            }
        }
    }
}
