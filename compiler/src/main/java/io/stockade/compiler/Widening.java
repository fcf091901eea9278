package io.stockade.compiler;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether moving a kernel from one host state to another can only let more through, so no
 * tracked flow can have lost its permission and the agent may skip judging them again. The
 * test reads the objects and is conservative: every set keeps all its elements, verdict maps and the
 * sets rules drop by are unchanged, no chain disappears, and every rewritten chain keeps its old
 * rules in their order (a drop may gain exceptions) with only allowing rules ({@code accept} or
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
            Set<NftElement> now = new HashSet<>(t.elements());
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
            if (d.rules() != c.rules() && !keepsAndOnlyAllows(c.rules(), d.rules(), chainsB)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code next} holds {@code old} in order, every rule it adds is one that allows, and a rule
     * it changed only gained exceptions ({@code != @set} matches: fewer packets meet it).
     * {@code chains}: the chains of the table {@code next} belongs to.
     */
    static boolean keepsAndOnlyAllows(List<NftRule> old, List<NftRule> next, Map<String, NftChain> chains) {
        int i = 0;
        for (NftRule rule : next) {
            if (i < old.size() && (rule.equals(old.get(i)) || gainedExceptions(old.get(i), rule, chains))) {
                i++;
            } else if (!allows(rule)) {
                return false;
            }
        }
        return i == old.size();
    }

    /**
     * Whether {@code next} drops and is {@code old} with more exceptions, such as a connected group
     * more in an isolation drop (on a rule that allows, an exception more would narrow).
     */
    static boolean gainedExceptions(NftRule old, NftRule next, Map<String, NftChain> chains) {
        if (!drops(next, chains) || !withoutExceptions(next).equals(withoutExceptions(old))) {
            return false;
        }
        return exceptions(next).containsAll(exceptions(old));
    }

    private static NftRule withoutExceptions(NftRule r) {
        return new NftRule(r.exprs().stream().filter(e -> !(e instanceof NftRule.Match m && m.excludesSet())).toList(), r.verdict());
    }

    private static Set<NftRule.Expr> exceptions(NftRule r) {
        return new HashSet<>(r.exprs().stream().filter(e -> e instanceof NftRule.Match m && m.excludesSet()).toList());
    }

    /** Whether the rule drops what it matches: a drop, or a {@code goto} to a chain that only drops (a drop-log chain). */
    private static boolean drops(NftRule r, Map<String, NftChain> chains) {
        return switch (r.verdict()) {
            case Verdict.Drop d -> true;
            case Verdict.Goto g -> chains.containsKey(g.chain()) && chains.get(g.chain()).rules().stream()
                    .allMatch(x -> x.marksSet().isEmpty() && (x.verdict() instanceof Verdict.Drop || x.verdict() instanceof Verdict.Continue))
                    && chains.get(g.chain()).rules().stream().anyMatch(x -> x.verdict() instanceof Verdict.Drop);
            default -> false;
        };
    }

    /**
     * Whether the rule allows; a mark decides where a packet is judged, and the one mark an
     * allowing rule may set says "same group", which has the packet accepted in full: that only widens.
     */
    private static boolean allows(NftRule r) {
        return r.allows() && r.marksSet().stream().allMatch(Marks::sameGroup);
    }
}
