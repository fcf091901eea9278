package io.stockade.compiler;

import io.stockade.core.model.Vnic;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packet marks of the vnics of one host, set by the bridge's per-port chains for the frames the
 * fast path does not take (broadcast, multicast, ARP's company): the destination vnic (bits 0-15)
 * and, in bit 31, that source and destination share a group. The inet table dispatches such
 * frames by the mark; frames of the fast path carry no mark and are dispatched by their MAC.
 * Indexes come from a hash of the vnic id, so adding or removing a vnic does not move the others
 * (a collision moves only the later id).
 */
public final class Marks {
    public static final long SAME_GROUP = 0x8000_0000L;
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

    /** The mark of a frame to the vnic's port. */
    public long dst(String vnicId) {
        return index(vnicId);
    }

    /** The mark of a frame to the vnic's port from a vnic that shares one of its groups. */
    public long sameGroup(String vnicId) {
        return SAME_GROUP | index(vnicId);
    }

    /** Whether a mark says "same group" (the one mark an allowing rule may set). */
    static boolean sameGroup(long mark) {
        return (mark & SAME_GROUP) != 0;
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
