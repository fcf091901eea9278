package io.stockade.agent.nft;

import io.stockade.core.model.ValidationException;
import io.stockade.core.net.Ip;
import io.stockade.core.net.MacAddress;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An element's key as the kernel holds it, from the fields the compiler writes in nft syntax:
 * each field in its data type's bytes (addresses and ports big-endian, a mark in the host's order,
 * an interface name as 16 bytes padded with zeros), each padded to 32 bits in a concatenation, as
 * nft lays out a concatenated key. Empty for a type or a text it does not know (a range, a
 * service's name): such elements are left to libnftables.
 */
final class ElementKeys {
    private static final int IFNAMSIZ = 16;
    /** The protocol names the compiler writes, with their numbers. */
    private static final Map<String, Integer> PROTOCOLS = Map.of("icmp", 1, "tcp", 6, "udp", 17, "ipv6-icmp", 58);

    private ElementKeys() {}

    static Optional<byte[]> key(List<String> types, List<String> fields) {
        if (types.size() != fields.size() || types.isEmpty()) {
            return Optional.empty();
        }
        if (types.size() == 1) {
            return field(types.get(0), fields.get(0));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < types.size(); i++) {
            Optional<byte[]> f = field(types.get(i), fields.get(i));
            if (f.isEmpty()) {
                return Optional.empty();
            }
            out.writeBytes(f.get());
            out.writeBytes(new byte[(4 - f.get().length % 4) % 4]);
        }
        return Optional.of(out.toByteArray());
    }

    /** One field in its type's bytes, unpadded. */
    static Optional<byte[]> field(String type, String text) {
        try {
            return Optional.ofNullable(switch (type) {
                case "ipv4_addr" -> address(text, Inet4Address.class);
                case "ipv6_addr" -> address(text, Inet6Address.class);
                case "ether_addr" -> MacAddress.parse(text, "element").bytes();
                case "ifname" -> ifname(text);
                case "inet_service" -> number(text, 0xffff, 2, ByteOrder.BIG_ENDIAN);
                case "inet_proto" -> PROTOCOLS.containsKey(text) ? new byte[] {(byte) (int) PROTOCOLS.get(text)} : number(text, 0xff, 1, ByteOrder.BIG_ENDIAN);
                case "mark" -> number(text, 0xffff_ffffL, 4, ByteOrder.nativeOrder());
                default -> null;
            });
        } catch (ValidationException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static byte[] address(String text, Class<? extends InetAddress> kind) {
        if (text.contains("/") || text.contains("-")) {
            return null;
        }
        InetAddress a = Ip.parse(text, "element");
        return kind.isInstance(a) ? a.getAddress() : null;
    }

    /** A quoted interface name, as the compiler writes it; a wildcard ({@code "tap*"}) is not a key. */
    private static byte[] ifname(String text) {
        if (text.length() < 2 || !text.startsWith("\"") || !text.endsWith("\"")) {
            return null;
        }
        byte[] name = text.substring(1, text.length() - 1).getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length >= IFNAMSIZ || text.indexOf('*') >= 0 || text.indexOf('\\') >= 0) {
            return null;
        }
        byte[] out = new byte[IFNAMSIZ];
        System.arraycopy(name, 0, out, 0, name.length);
        return out;
    }

    /** A decimal or {@code 0x} hexadecimal number of {@code bytes} bytes in the given order. */
    private static byte[] number(String text, long max, int bytes, ByteOrder order) {
        long v = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        if (v < 0 || v > max) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(v);
        byte[] be = new byte[bytes];
        System.arraycopy(b.array(), 8 - bytes, be, 0, bytes);
        if (order == ByteOrder.LITTLE_ENDIAN) {
            for (int i = 0; i < bytes / 2; i++) {
                byte t = be[i];
                be[i] = be[bytes - 1 - i];
                be[bytes - 1 - i] = t;
            }
        }
        return be;
    }
}
