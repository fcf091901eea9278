package io.stockade.store;

/** The store could not do its work (database unreachable, disk full, read-only, …); nothing was written. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
