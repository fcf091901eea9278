package io.stockade.server;

import io.stockade.store.StoreException;

/** An API error: HTTP status, a stable code, the field it concerns (or null) and a message for people. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private int line;
    private int column;

    public ApiException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() { return status; }

    /** For rule-text errors: where the (first) error is; 0 when not a text error. */
    public ApiException withPosition(int line, int column) {
        this.line = line;
        this.column = column;
        return this;
    }

    public int line() { return line; }

    public int column() { return column; }

    public String code() { return code; }

    public String field() { return field; }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "bad_request", field, message);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(422, "invalid", field, message);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "not_found", null, "no " + what + " '" + id + "'");
    }

    public static ApiException conflict(String field, String message) {
        return new ApiException(409, "conflict", field, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", null, message);
    }

    /** The store failed: 507 when its disk is full, 503 when it is read-only or away; nothing was written either way. */
    public static ApiException store(StoreException e) {
        return switch (e.reason()) {
            case DISK_FULL -> new ApiException(507, "insufficient_storage", null, e.getMessage());
            case READ_ONLY -> new ApiException(503, "read_only", null, e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "unavailable", null, e.getMessage());
        };
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", null, message);
    }
}
