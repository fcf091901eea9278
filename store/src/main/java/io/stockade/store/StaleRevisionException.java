package io.stockade.store;

/** Another controller wrote first: the store is at {@code actual}, not at the expected revision. */
public final class StaleRevisionException extends RuntimeException {
    private final long actual;

    public StaleRevisionException(long expected, long actual) {
        super("the store is at revision " + actual + ", not " + expected);
        this.actual = actual;
    }

    public long actual() {
        return actual;
    }
}
