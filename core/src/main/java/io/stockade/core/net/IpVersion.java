package io.stockade.core.net;

import io.stockade.core.model.ValidationException;

/** IPv4 or IPv6; named {@code IPv4}/{@code IPv6} as Neutron's ethertype. */
public enum IpVersion {
    V4(4, 32, "IPv4"),
    V6(6, 128, "IPv6");

    private final int number;
    private final int bits;
    private final String ethertype;

    IpVersion(int number, int bits, String ethertype) {
        this.number = number;
        this.bits = bits;
        this.ethertype = ethertype;
    }

    public int number() { return number; }

    public int bits() { return bits; }

    /** Neutron's ethertype name: {@code IPv4} or {@code IPv6}. */
    public String ethertype() { return ethertype; }

    public static IpVersion ofNumber(int n, String field) {
        return switch (n) {
            case 4 -> V4;
            case 6 -> V6;
            default -> throw new ValidationException(field, "must be 4 or 6, got " + n);
        };
    }

    public static IpVersion ofEthertype(String text, String field) {
        if (text != null) {
            for (IpVersion v : values()) {
                if (v.ethertype.equalsIgnoreCase(text)) {
                    return v;
                }
            }
        }
        throw new ValidationException(field, "must be IPv4 or IPv6, got '" + text + "'");
    }
}
