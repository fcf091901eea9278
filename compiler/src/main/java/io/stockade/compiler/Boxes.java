package io.stockade.compiler;

import io.stockade.core.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns overlapping match boxes (an optional CIDR and numeric ranges such as protocol and port)
 * into disjoint boxes covering the same union. The kernel's concatenated interval sets refuse an
 * element that overlaps one already there, and deltas add and delete elements one by one, so
 * every set Stockade writes holds disjoint elements; CIDRs nest or are apart, so only the
 * largest CIDRs of each cell are kept.
 */
public final class Boxes {
    /** One box: a CIDR (null when the set has no address field) and inclusive ranges per field. */
    public record Box(Cidr cidr, long[] lo, long[] hi) {}

    private Boxes() {}

    public static List<Box> disjoint(List<Box> boxes) {
        List<Box> out = new ArrayList<>();
        if (boxes.isEmpty()) {
            return out;
        }
        split(boxes, 0, new long[boxes.get(0).lo().length], new long[boxes.get(0).lo().length], out);
        return mergeLast(out);
    }

    private static void split(List<Box> active, int dim, long[] lo, long[] hi, List<Box> out) {
        int dims = lo.length;
        if (dim == dims) {
            for (Cidr c : maximal(active)) {
                out.add(new Box(c, lo.clone(), hi.clone()));
            }
            return;
        }
        // Sweep the field's cut points in order, keeping the boxes that cover the current cell.
        TreeSet<Long> cuts = new TreeSet<>();
        for (Box b : active) {
            cuts.add(b.lo()[dim]);
            cuts.add(b.hi()[dim] + 1);
        }
        List<Box> byStart = new ArrayList<>(active);
        byStart.sort(java.util.Comparator.comparingLong(b -> b.lo()[dim]));
        java.util.PriorityQueue<Box> byEnd = new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(b -> b.hi()[dim]));
        java.util.Set<Box> covering = new java.util.LinkedHashSet<>();
        int next = 0;
        Long[] points = cuts.toArray(Long[]::new);
        for (int i = 0; i + 1 < points.length; i++) {
            long a = points[i];
            long z = points[i + 1] - 1;
            while (next < byStart.size() && byStart.get(next).lo()[dim] <= a) {
                covering.add(byStart.get(next));
                byEnd.add(byStart.get(next));
                next++;
            }
            while (!byEnd.isEmpty() && byEnd.peek().hi()[dim] < a) {
                covering.remove(byEnd.poll());
            }
            if (!covering.isEmpty()) {
                lo[dim] = a;
                hi[dim] = z;
                split(new ArrayList<>(covering), dim + 1, lo, hi, out);
            }
        }
    }

    /** The CIDRs of the boxes that no other CIDR of them contains (null stands for "no address field"). */
    private static List<Cidr> maximal(List<Box> boxes) {
        List<Cidr> cidrs = new ArrayList<>(new TreeSet<>(boxes.stream().filter(b -> b.cidr() != null).map(Box::cidr).toList()));
        if (cidrs.isEmpty()) {
            List<Cidr> none = new ArrayList<>();
            none.add(null);
            return none;
        }
        // Sorted by start then prefix, a CIDR is either inside the last kept one or apart from all kept ones.
        List<Cidr> out = new ArrayList<>();
        Cidr kept = null;
        for (Cidr c : cidrs) {
            if (kept == null || !kept.contains(c)) {
                out.add(c);
                kept = c;
            }
        }
        return out;
    }

    /** Joins boxes that differ only in adjacent ranges of the last field. */
    private static List<Box> mergeLast(List<Box> boxes) {
        List<Box> out = new ArrayList<>();
        java.util.Map<String, Integer> openEnds = new java.util.HashMap<>();
        for (Box b : boxes) {
            int last = b.lo().length - 1;
            Integer i = openEnds.remove(key(b, b.lo()[last]));
            if (i != null) {
                Box o = out.get(i);
                long[] h = o.hi().clone();
                h[last] = b.hi()[last];
                out.set(i, new Box(o.cidr(), o.lo(), h));
            } else {
                out.add(b);
                i = out.size() - 1;
            }
            openEnds.put(key(out.get(i), out.get(i).hi()[last] + 1), i);
        }
        return out;
    }

    /** Identifies a box by everything but its last field, and where that field continues. */
    private static String key(Box b, long continuesAt) {
        StringBuilder sb = new StringBuilder(String.valueOf(b.cidr()));
        for (int d = 0; d < b.lo().length - 1; d++) {
            sb.append('|').append(b.lo()[d]).append('-').append(b.hi()[d]);
        }
        return sb.append('@').append(continuesAt).toString();
    }

}
