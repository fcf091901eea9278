package io.stockade.compiler;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether moving a kernel from one host state to another can only let more through, so no
 * tracked flow can have lost its permission and the agent may skip judging them again. The
 * test is syntactic and conservative: every set keeps all its elements, verdict maps and the
 * sets rules drop by are unchanged, no chain disappears, and every rewritten chain keeps its old
 * rules in their order (a rule may gain exceptions) with only allowing lines ({@code accept} or
 * {@code return}) added among them. Anything else counts as narrowing.
 */
public final class Widening {
    /**
     * Sets whose new elements take permissions away: {@code vnic_macs} (a frame from a MAC in it
     * is dropped unless a connected group lets it in). Verdict maps are treated alike: a new
     * element sends packets to a chain that may drop them.
     */
    private static final Set<String> MORE_IS_LESS = Set.of("vnic_macs");

    private Widening() {}

    public static boolean onlyWidens(HostState a, HostState b) {
        if (a.tables().size() != b.tables().size()) {
            return false;
        }
        for (int i = 0; i < a.tables().size(); i++) {
            if (!onlyWidens(a.tables().get(i), b.tables().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyWidens(NftTable a, NftTable b) {
        if (!a.qualified().equals(b.qualified())) {
            return false;
        }
        Map<String, NftSet> setsB = b.setsByName();
        for (NftSet s : a.sets()) {
            NftSet t = setsB.get(s.name());
            if (t == null || !t.type().equals(s.type())) {
                return false;
            }
            if (t.elements() == s.elements()) {
                continue;
            }
            Set<String> now = new HashSet<>(t.elements());
            boolean grewOnly = now.containsAll(s.elements());
            if (!grewOnly || ((s.isMap() || MORE_IS_LESS.contains(s.name())) && now.size() != s.elements().size())) {
                return false;
            }
        }
        Map<String, NftChain> chainsB = b.chainsByName();
        for (NftChain c : a.chains()) {
            NftChain d = chainsB.get(c.name());
            if (d == null || !java.util.Objects.equals(c.base(), d.base())) {
                return false;
            }
            if (d.rules() != c.rules() && !keepsAndOnlyAllows(c.rules(), d.rules())) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code next} holds {@code old} in order, every line it adds is one that allows, and a line
     * it changed only gained exceptions ({@code != @set} matches: fewer packets meet it).
     */
    static boolean keepsAndOnlyAllows(List<String> old, List<String> next) {
        int i = 0;
        for (String line : next) {
            if (i < old.size() && (line.equals(old.get(i)) || gainedExceptions(old.get(i), line))) {
                i++;
            } else if (!allows(line)) {
                return false;
            }
        }
        return i == old.size();
    }

    private static final java.util.regex.Pattern EXCEPTION = java.util.regex.Pattern.compile(" [a-z0-9]+ [a-z0-9]+ != @[a-z0-9_]+");

    /**
     * Whether {@code next} is a drop, {@code old} with more exceptions, such as a connected group
     * more in an isolation drop (on a line that allows, an exception more would narrow).
     */
    static boolean gainedExceptions(String old, String next) {
        boolean drops = next.endsWith(" drop") || next.contains(" goto log_");
        if (!drops || !EXCEPTION.matcher(next).replaceAll("").equals(EXCEPTION.matcher(old).replaceAll(""))) {
            return false;
        }
        Set<String> had = new HashSet<>(EXCEPTION.matcher(old).results().map(java.util.regex.MatchResult::group).toList());
        Set<String> has = new HashSet<>(EXCEPTION.matcher(next).results().map(java.util.regex.MatchResult::group).toList());
        return has.containsAll(had);
    }

    private static boolean allows(String line) {
        if (!line.endsWith(" accept") && !line.endsWith(" return")) {
            return false;
        }
        // A mark decides where a packet is judged; the one mark an allowing line may set says
        // "same group", which has the packet accepted in full: that only widens.
        return !line.contains("mark set") || Marks.setsSameGroup(line);
    }
}
