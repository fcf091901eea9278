package io.stockade.core.model;

import java.util.regex.Pattern;

/** Linux network device names (tap, bridge, uplink). */
public final class Devices {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private Devices() {}

    public static String require(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ValidationException(field, "must be a device name of 1..15 letters, digits, '.', '-' or '_', got '" + name + "'");
        }
        return name;
    }
}
