package io.stockade.core.net;

import io.stockade.core.model.ValidationException;

/** A 48-bit Ethernet address, printed lowercase with colons. */
public record MacAddress(long value) implements Comparable<MacAddress> {
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    public MacAddress {
        if (value < 0 || value > 0xffff_ffff_ffffL) {
            throw new ValidationException("mac", "a MAC address has 48 bits");
        }
    }

    public static MacAddress parse(String text, String field) {
        if (text == null) {
            throw new ValidationException(field, "must be a MAC address such as 52:54:00:12:34:56, got nothing");
        }
        String s = text.strip().toLowerCase();
        if (!s.matches("([0-9a-f]{2}[:-]){5}[0-9a-f]{2}")) {
            throw new ValidationException(field, "'" + text + "' is not a MAC address (expected six hex pairs such as 52:54:00:12:34:56)");
        }
        MacAddress mac = new MacAddress(Long.parseLong(s.replaceAll("[:-]", ""), 16));
        if (mac.isMulticast()) {
            throw new ValidationException(field, "'" + text + "' is a multicast MAC address; a vnic needs a unicast one");
        }
        return mac;
    }

    public boolean isMulticast() {
        return ((value >> 40) & 1) == 1;
    }

    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >> (8 * (5 - i)));
        }
        return b;
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(value, o.value);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public String toString() {
        char[] c = new char[17];
        for (int i = 0; i < 6; i++) {
            int b = (int) (value >> (8 * (5 - i))) & 0xff;
            c[i * 3] = HEX[b >> 4];
            c[i * 3 + 1] = HEX[b & 0xf];
            if (i < 5) {
                c[i * 3 + 2] = ':';
            }
        }
        return new String(c);
    }
}
