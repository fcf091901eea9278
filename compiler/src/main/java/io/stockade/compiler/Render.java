package io.stockade.compiler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Host states as {@code nft -f} scripts: the whole state (tables deleted and recreated in one
 * transaction), or the minimal commands that move a kernel from one state to another.
 */
public final class Render {
    private Render() {}

    /** The whole state, replacing Stockade's tables atomically (also when they do not exist yet). */
    public static String full(HostState s) {
        StringBuilder sb = new StringBuilder();
        for (NftTable t : s.tables()) {
            line(sb, "add table " + t.qualified());
            line(sb, "delete table " + t.qualified());
        }
        for (NftTable t : s.tables()) {
            define(sb, t);
        }
        return sb.toString();
    }

    private static void define(StringBuilder sb, NftTable t) {
        String q = t.qualified();
        line(sb, "add table " + q);
        for (String counter : t.counters()) {
            line(sb, "add counter " + q + " " + counter);
        }
        for (NftChain c : t.chains()) {
            line(sb, "add chain " + q + " " + c.name() + (c.base() == null ? "" : " { " + c.base() + " }"));
        }
        for (NftSet set : t.sets()) {
            line(sb, "add " + (set.isMap() ? "map " : "set ") + q + " " + set.name() + " " + set.declaration());
            elements(sb, "add", q, set.name(), set.elements());
        }
        for (NftChain c : t.chains()) {
            for (String rule : c.rules()) {
                line(sb, "add rule " + q + " " + c.name() + " " + rule);
            }
        }
    }

    /**
     * The commands that turn a kernel holding {@code a} into one holding {@code b}: new sets and
     * counters and chains first, element deletes before adds (interval sets refuse overlaps), rewritten chains,
     * then removed chains, sets and counters. Empty when a change cannot be expressed as a delta (a base
     * chain or a set's type changed); then the full script is needed.
     */
    public static Optional<String> delta(HostState a, HostState b) {
        StringBuilder sb = new StringBuilder();
        if (a.tables().size() != b.tables().size()) {
            return Optional.empty();
        }
        for (int i = 0; i < b.tables().size(); i++) {
            NftTable ta = a.tables().get(i);
            NftTable tb = b.tables().get(i);
            if (!ta.qualified().equals(tb.qualified()) || !tableDelta(sb, ta, tb)) {
                return Optional.empty();
            }
        }
        return Optional.of(sb.toString());
    }

    private static boolean tableDelta(StringBuilder sb, NftTable a, NftTable b) {
        String q = b.qualified();
        Map<String, NftChain> ca = a.chainsByName();
        Map<String, NftChain> cb = b.chainsByName();
        Map<String, NftSet> sa = a.setsByName();
        Map<String, NftSet> sb2 = b.setsByName();
        for (NftChain c : cb.values()) {
            NftChain old = ca.get(c.name());
            if (old != null && !java.util.Objects.equals(old.base(), c.base())) {
                return false;
            }
        }
        for (NftSet s : sb2.values()) {
            NftSet old = sa.get(s.name());
            if (old != null && (!old.type().equals(s.type()) || old.interval() != s.interval())) {
                return false;
            }
        }
        // 1. New counters, chains (empty) and sets, so everything below may refer to them.
        List<String> newCounters = minus(b.counters(), a.counters());
        newCounters.forEach(counter -> line(sb, "add counter " + q + " " + counter));
        for (NftChain c : cb.values()) {
            if (!ca.containsKey(c.name())) {
                line(sb, "add chain " + q + " " + c.name() + (c.base() == null ? "" : " { " + c.base() + " }"));
            }
        }
        for (NftSet s : sb2.values()) {
            if (!sa.containsKey(s.name())) {
                line(sb, "add " + (s.isMap() ? "map " : "set ") + q + " " + s.name() + " " + s.declaration());
            }
        }
        // 2. Element deletes, then adds.
        for (NftSet s : sb2.values()) {
            NftSet old = sa.get(s.name());
            if (old != null && old.elements() != s.elements()) {
                List<String> gone = minus(old.elements(), s.elements());
                elements(sb, "delete", q, s.name(), s.isMap() ? gone.stream().map(e -> e.substring(0, e.indexOf(" : "))).toList() : gone);
            }
        }
        for (NftSet s : sb2.values()) {
            NftSet old = sa.get(s.name());
            if (old == null || old.elements() != s.elements()) {
                elements(sb, "add", q, s.name(), old == null ? s.elements() : minus(s.elements(), old.elements()));
            }
        }
        // 3. Chains whose rules changed are flushed and written again.
        for (NftChain c : cb.values()) {
            NftChain old = ca.get(c.name());
            if (old == null || !old.rules().equals(c.rules())) {
                if (old != null) {
                    line(sb, "flush chain " + q + " " + c.name());
                }
                for (String rule : c.rules()) {
                    line(sb, "add rule " + q + " " + c.name() + " " + rule);
                }
            }
        }
        // 4. Removed chains are emptied, then removed sets and maps go (nothing uses them now), then the chains.
        for (NftChain c : ca.values()) {
            if (!cb.containsKey(c.name())) {
                line(sb, "flush chain " + q + " " + c.name());
            }
        }
        for (NftSet s : sa.values()) {
            if (!sb2.containsKey(s.name())) {
                line(sb, "delete " + (s.isMap() ? "map " : "set ") + q + " " + s.name());
            }
        }
        for (NftChain c : ca.values()) {
            if (!cb.containsKey(c.name())) {
                line(sb, "delete chain " + q + " " + c.name());
            }
        }
        minus(a.counters(), b.counters()).forEach(counter -> line(sb, "delete counter " + q + " " + counter));
        return true;
    }

    /**
     * The elements of {@code a} that {@code b} lacks, in {@code a}'s order. A set's elements are
     * distinct, so what the two lists share as their first and last elements is in both and
     * needs no lookup: a set of 30k MACs that gained one is compared without hashing it.
     */
    private static List<String> minus(List<String> a, List<String> b) {
        int head = 0;
        int n = Math.min(a.size(), b.size());
        while (head < n && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < n - head && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<String> rest = a.subList(head, a.size() - tail);
        if (rest.isEmpty()) {
            return List.of();
        }
        Set<String> drop = new HashSet<>(b.subList(head, b.size() - tail));
        List<String> out = new ArrayList<>();
        for (String x : rest) {
            if (!drop.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }

    private static void elements(StringBuilder sb, String verb, String table, String set, List<String> elements) {
        if (!elements.isEmpty()) {
            line(sb, verb + " element " + table + " " + set + " { " + String.join(", ", elements) + " }");
        }
    }

    private static void line(StringBuilder sb, String s) {
        sb.append(s).append('\n');
    }
}
