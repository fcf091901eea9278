package io.stockade.core.model;

/** Checks for the free-text fields that every object has. */
public final class Names {
    public static final int MAX_NAME = 255;
    public static final int MAX_DESCRIPTION = 1024;

    private Names() {}

    public static String requireName(String name, String field) {
        if (name == null || name.isBlank()) {
            throw new ValidationException(field, "must not be empty");
        }
        if (name.length() > MAX_NAME) {
            throw new ValidationException(field, "must be at most " + MAX_NAME + " characters, got " + name.length());
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException(field, "must not contain control characters");
        }
        return name;
    }

    public static String description(String description, String field) {
        if (description == null) {
            return "";
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw new ValidationException(field, "must be at most " + MAX_DESCRIPTION + " characters, got " + description.length());
        }
        return description;
    }
}
