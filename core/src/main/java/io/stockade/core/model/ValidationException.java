package io.stockade.core.model;

/**
 * Bad input, named by the field it concerns. Every layer turns it into its own error shape
 * (HTTP 400/422, CLI exit 1, a rule-text position) without losing the field or the reason.
 */
public final class ValidationException extends RuntimeException {
    private final String field;

    public ValidationException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The dotted path of the offending field, such as {@code rules[2].portRangeMin}. */
    public String field() {
        return field;
    }

    /** The same error, reported under a parent path (e.g. {@code rules[2]}). */
    public ValidationException under(String parent) {
        String path = field == null || field.isEmpty() ? parent : parent + "." + field;
        return new ValidationException(path, getMessage());
    }
}
