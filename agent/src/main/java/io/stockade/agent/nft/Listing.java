package io.stockade.agent.nft;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A table as the kernel holds it, summed up per object: each chain's rule count and a digest of
 * its hook and rules in order, each set's or map's element count and a digest of its type and
 * elements in any order. Digests are of the kernel's own form of the objects, so two listings of
 * one kernel compare exactly; counters' values are left out.
 */
public record Listing(Map<String, Summary> chains, Map<String, Summary> sets, java.util.Set<String> maps) {
    /** {@code maps}: the names among {@code sets} that are maps. */
    public Listing {
        chains = Map.copyOf(chains);
        sets = Map.copyOf(sets);
        maps = java.util.Set.copyOf(maps);
    }

    /** How many rules or elements an object holds, and a digest of them. */
    public record Summary(int size, String digest) {
        /** A chain's summary: its head (the hook, if any) and its rules in order. */
        public static Summary ordered(String head, List<String> items) {
            return new Summary(items.size(), digest(head, items));
        }

        /** A set's summary: its head (the type) and its elements in any order. */
        public static Summary unordered(String head, List<String> items) {
            List<String> sorted = new ArrayList<>(items);
            Collections.sort(sorted);
            return new Summary(items.size(), digest(head, sorted));
        }

        private static String digest(String head, List<String> items) {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            md.update(head.getBytes(StandardCharsets.UTF_8));
            for (String item : items) {
                md.update((byte) 0);
                md.update(item.getBytes(StandardCharsets.UTF_8));
            }
            return Base64.getEncoder().withoutPadding().encodeToString(md.digest());
        }
    }
}
