package io.stockade.core.model;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Object ids: a kind prefix ({@code sg}, {@code vif}, ...) and a dash, then lowercase letters,
 * digits or dashes. Generated ids use 10 random base32 characters.
 */
public final class Ids {
    public static final String PROJECT = "p";
    public static final String GROUP = "sg";
    public static final String RULE = "sgr";
    public static final String IP_SET = "ips";
    public static final String NETWORK = "net";
    public static final String HOST = "h";
    public static final String INSTANCE = "i";
    public static final String VNIC = "vif";

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Ids() {}

    public static String newId(String prefix) {
        char[] suffix = new char[10];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = BASE32[RANDOM.nextInt(BASE32.length)];
        }
        return prefix + "-" + new String(suffix);
    }

    /** True when {@code id} has the form of an id of the given kind. */
    public static boolean hasForm(String prefix, String id) {
        return id != null && id.startsWith(prefix + "-") && SUFFIX.matcher(id.substring(prefix.length() + 1)).matches();
    }

    public static String require(String prefix, String id, String field) {
        if (!hasForm(prefix, id)) {
            throw new ValidationException(field, "must be an id of the form " + prefix + "-xxxxxxxx (lowercase letters and digits), got '" + id + "'");
        }
        return id;
    }
}
