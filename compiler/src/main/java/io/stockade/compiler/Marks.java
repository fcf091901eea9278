package io.stockade.compiler;

import io.stockade.core.model.Vnic;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packet marks of the vnics of one host. The bridge tags a frame with its source vnic (bits
 * 16-30) and, per output port, its destination vnic (bits 0-15); bit 31 says the two share a
 * group. Indexes come from a hash of the vnic id, so adding or removing a vnic does not move the
 * others (a collision moves only the later id).
 */
public final class Marks {
    public static final long SAME_GROUP = 0x8000_0000L;
    public static final long SRC_MASK = 0x7fff_0000L;
    public static final long DST_MASK = 0x0000_ffffL;
    private static final int SLOTS = 0x7fff;

    private final Map<String, Integer> index = new HashMap<>();

    public Marks(List<Vnic> vnics) {
        if (vnics.size() >= SLOTS) {
            throw new IllegalArgumentException("a host holds at most " + (SLOTS - 1) + " vnics, got " + vnics.size());
        }
        Set<Integer> used = new HashSet<>();
        vnics.stream().sorted(Comparator.comparing(Vnic::id)).forEach(v -> {
            int i = 1 + Math.floorMod(v.id().hashCode() * 0x9E3779B1, SLOTS - 1);
            while (!used.add(i)) {
                i = i % (SLOTS - 1) + 1;
            }
            index.put(v.id(), i);
        });
    }

    public int index(String vnicId) {
        return index.get(vnicId);
    }

    public String src(String vnicId) {
        return hex((long) index(vnicId) << 16);
    }

    public String dst(String vnicId) {
        return hex(index(vnicId));
    }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    /** {@code 0x} and eight lowercase hex digits, as nft prints marks. */
    public static String hex(long v) {
        char[] c = new char[10];
        c[0] = '0';
        c[1] = 'x';
        for (int i = 9; i >= 2; i--) {
            c[i] = DIGITS[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(c);
    }
}
