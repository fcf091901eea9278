package io.stockade.core.net;

import io.stockade.core.model.ValidationException;
import java.net.InetAddress;
import java.util.Comparator;

/**
 * An IPv4 or IPv6 network: address with all host bits zero, and a prefix length. A bare
 * address is a /32 or /128.
 */
public record Cidr(InetAddress network, int prefix) implements Comparable<Cidr> {
    public static final Cidr ANY4 = new Cidr(Ip.V4_ANY, 0);
    public static final Cidr ANY6 = new Cidr(Ip.V6_ANY, 0);

    private static final Comparator<Cidr> ORDER = Comparator
            .comparing(Cidr::version)
            .thenComparing((Cidr c) -> c.network.getAddress(), java.util.Arrays::compareUnsigned)
            .thenComparingInt(Cidr::prefix);

    public Cidr {
        int bits = Ip.version(network).bits();
        if (prefix < 0 || prefix > bits) {
            throw new ValidationException("prefix", "prefix length must be 0.." + bits + ", got " + prefix);
        }
        if (!equalsBytes(mask(network.getAddress(), prefix), network.getAddress())) {
            throw new ValidationException("prefix", "host bits are set in " + Ip.format(network) + "/" + prefix);
        }
    }

    /** Parses strictly: host bits set is an error that suggests the network address. */
    public static Cidr parse(String text, String field) {
        Parsed p = parseLoose(text, field);
        if (!p.exact()) {
            throw new ValidationException(field, "'" + text.strip() + "' has host bits set; did you mean " + p.cidr() + "?");
        }
        return p.cidr();
    }

    /** Parses, normalizing host bits away (as Neutron does); {@code exact} tells whether they were zero. */
    public static Parsed parseLoose(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(field, "must be an IP address or CIDR, got nothing");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        InetAddress a = Ip.parse(slash < 0 ? s : s.substring(0, slash), field);
        int bits = Ip.version(a).bits();
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new ValidationException(field, "'" + text + "' has an invalid prefix length (expected a number 0.." + bits + ")");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new ValidationException(field, "'" + text + "' has prefix length " + prefix + ", over " + bits);
            }
        }
        byte[] masked = mask(a.getAddress(), prefix);
        return new Parsed(new Cidr(Ip.fromBytes(masked), prefix), equalsBytes(masked, a.getAddress()));
    }

    public record Parsed(Cidr cidr, boolean exact) {}

    public static Cidr host(InetAddress a) {
        return new Cidr(a, Ip.version(a).bits());
    }

    public IpVersion version() {
        return Ip.version(network);
    }

    public boolean isHost() {
        return prefix == version().bits();
    }

    public boolean isAny() {
        return prefix == 0;
    }

    public boolean contains(InetAddress a) {
        if (Ip.version(a) != version()) {
            return false;
        }
        return equalsBytes(mask(a.getAddress(), prefix), network.getAddress());
    }

    public boolean contains(Cidr other) {
        return other.version() == version() && other.prefix >= prefix && contains(other.network);
    }

    @Override
    public int compareTo(Cidr o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return Ip.format(network) + "/" + prefix;
    }

    /** The netmask of this prefix length, as an address (255.255.255.252 for a /30). */
    public InetAddress netmask() {
        byte[] ones = new byte[network.getAddress().length];
        java.util.Arrays.fill(ones, (byte) 0xff);
        return Ip.fromBytes(mask(ones, prefix));
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] = (byte) (out[i] & (0xff00 >> keep));
        }
        return out;
    }

    private static boolean equalsBytes(byte[] a, byte[] b) {
        return java.util.Arrays.equals(a, b);
    }
}
