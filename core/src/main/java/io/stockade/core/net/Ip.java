package io.stockade.core.net;

import io.stockade.core.model.ValidationException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Literal IP address parsing and formatting, never touching DNS. */
public final class Ip {
    private Ip() {}

    /** Parses an IPv4 dotted quad or an IPv6 literal; never resolves names. */
    public static InetAddress parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(field, "must be an IP address, got nothing");
        }
        String s = text.strip();
        if (s.indexOf(':') >= 0) {
            if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                throw new ValidationException(field, "'" + text + "' is not a valid IPv6 address");
            }
            InetAddress a = literal(s, field, text);
            if (!(a instanceof Inet6Address)) {
                throw new ValidationException(field, "'" + text + "' is an IPv4-mapped IPv6 address; write the IPv4 address instead");
            }
            return a;
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new ValidationException(field, "'" + text + "' is not a valid IPv4 address (expected four numbers separated by dots)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new ValidationException(field, "'" + text + "' is not a valid IPv4 address");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new ValidationException(field, "'" + text + "' is not a valid IPv4 address (" + v + " is over 255)");
            }
            bytes[i] = (byte) v;
        }
        return fromBytes(bytes);
    }

    private static InetAddress literal(String s, String field, String original) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new ValidationException(field, "'" + original + "' is not a valid IPv6 address");
        }
    }

    public static InetAddress fromBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes, got " + bytes.length, e);
        }
    }

    public static IpVersion version(InetAddress a) {
        return a instanceof Inet4Address ? IpVersion.V4 : IpVersion.V6;
    }

    /** Canonical text: dotted quad, or RFC 5952 compressed lowercase IPv6. */
    public static String format(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }

    /** The EUI-64 link-local address (fe80::/64) a host derives from its MAC. */
    public static InetAddress linkLocal(MacAddress mac) {
        byte[] m = mac.bytes();
        byte[] b = new byte[16];
        b[0] = (byte) 0xfe;
        b[1] = (byte) 0x80;
        b[8] = (byte) (m[0] ^ 0x02);
        b[9] = m[1];
        b[10] = m[2];
        b[11] = (byte) 0xff;
        b[12] = (byte) 0xfe;
        b[13] = m[3];
        b[14] = m[4];
        b[15] = m[5];
        return fromBytes(b);
    }

    public static final InetAddress V4_ANY = fromBytes(new byte[4]);
    public static final InetAddress V6_ANY = fromBytes(new byte[16]);
    public static final InetAddress V4_BROADCAST = fromBytes(new byte[] {-1, -1, -1, -1});
}
