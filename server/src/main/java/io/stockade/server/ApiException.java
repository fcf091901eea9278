package io.stockade.server;

import io.stockade.server.command.Refusal;
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

    /**
     * The one place where the operations' refusals become HTTP statuses and codes (the Neutron
     * facade then gives them Neutron's types and words).
     */
    public static ApiException of(Refusal r) {
        return switch (r) {
            case Refusal.Malformed m -> badRequest(m.field(), m.getMessage());
            case Refusal.Invalid i -> invalid(i.field(), i.getMessage());
            case Refusal.InvalidRuleText t -> new ApiException(422, "invalid_rule_text", t.field(), t.getMessage()).withPosition(t.line(), t.column());
            case Refusal.NotFound n -> new ApiException(404, "not_found", n.field(), n.getMessage());
            case Refusal.Conflict c -> conflict(c.field(), c.getMessage());
            case Refusal.DuplicateRule d -> new ApiException(409, "duplicate_rule", d.field(), d.getMessage());
            case Refusal.Ambiguous a -> new ApiException(409, "ambiguous", a.field(), a.getMessage());
            case Refusal.OverQuota q -> new ApiException(409, "over_quota", q.field(), q.getMessage());
            case Refusal.Forbidden f -> new ApiException(403, "forbidden", f.field(), f.getMessage());
            case Refusal.Unauthenticated u -> new ApiException(401, "unauthorized", u.field(), u.getMessage());
            case Refusal.Busy b -> new ApiException(503, "busy", b.field(), b.getMessage());
        };
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", null, message);
    }
}
