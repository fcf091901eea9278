package io.stockade.store;

/** The store could not do its work (database unreachable, disk full, read-only, …); nothing was written. */
public final class StoreException extends RuntimeException {
    /** Why: the kinds a client or an operator acts on differently. */
    public enum Reason { UNAVAILABLE, DISK_FULL, READ_ONLY }

    private final Reason reason;

    public StoreException(String message, Throwable cause) {
        this(Reason.UNAVAILABLE, message, cause);
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
