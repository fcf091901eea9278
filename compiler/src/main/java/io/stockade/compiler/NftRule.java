package io.stockade.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One rule of a chain: its expressions (matches and statements) in order, then its verdict. Each
 * expression is a typed value, so what a rule does (which sets it looks up, which mark it sets,
 * whether it allows) is read from its parts, never from its text; {@link Render} writes it in
 * nft's own syntax, which the nftables documentation describes.
 */
public record NftRule(List<Expr> exprs, Verdict verdict) {
    public NftRule {
        exprs = List.copyOf(exprs);
        Objects.requireNonNull(verdict, "verdict");
    }

    public static NftRule of(Verdict verdict, Expr... exprs) {
        return new NftRule(List.of(exprs), verdict);
    }

    /** This rule with {@code before} ahead of its own expressions. */
    public NftRule after(Expr... before) {
        List<Expr> all = new ArrayList<>(List.of(before));
        all.addAll(exprs);
        return new NftRule(all, verdict);
    }

    /** Whether the rule ends in a verdict that lets its packets on ({@code accept}, or {@code return} from a vnic's chain). */
    public boolean allows() {
        return verdict instanceof Verdict.Accept || verdict instanceof Verdict.Return;
    }

    /** The marks the rule sets. */
    public List<Long> marksSet() {
        return exprs.stream().filter(e -> e instanceof MarkSet).map(e -> ((MarkSet) e).mark()).toList();
    }

    /** One part of a rule before its verdict. */
    public sealed interface Expr permits Match, MarkSet, Update, Limit, Log {}

    /** How a match compares: nft's implicit equality (or set membership), an explicit {@code ==}, or {@code !=}. */
    public enum Op {
        IMPLICIT, EQ, NE
    }

    /** The right-hand side of a match: a literal in nft syntax, or a named set of the table. */
    public sealed interface Value permits Literal, SetRef {}

    public record Literal(String text) implements Value {}

    public record SetRef(String set) implements Value {}

    /**
     * A match: {@code left} is a packet expression in nft syntax (such as {@code ether saddr}, or
     * a concatenation {@code ip saddr . meta l4proto . th dport}) compared with {@code right}.
     */
    public record Match(String left, Op op, Value right) implements Expr {
        /** Whether this is an exception: packets whose {@code left} is in a named set do not match. */
        public boolean excludesSet() {
            return op == Op.NE && right instanceof SetRef;
        }
    }

    /** {@code meta mark set MARK}. */
    public record MarkSet(long mark) implements Expr {}

    /**
     * {@code update @SET { KEY }}: counts the packet on the element {@code key} finds in a counted
     * dynamic set, adding the element first if it is missing.
     */
    public record Update(String set, String key) implements Expr {}

    /** {@code limit rate N/second burst B packets}. */
    public record Limit(int perSecond, int burst) implements Expr {}

    /** {@code log group G snaplen S queue-threshold Q prefix "P"}. */
    public record Log(int group, int snaplen, int queueThreshold, String prefix) implements Expr {}

    public static Match is(String left, String literal) {
        return new Match(left, Op.IMPLICIT, new Literal(literal));
    }

    public static Match eq(String left, String literal) {
        return new Match(left, Op.EQ, new Literal(literal));
    }

    public static Match not(String left, String literal) {
        return new Match(left, Op.NE, new Literal(literal));
    }

    public static Match in(String left, String set) {
        return new Match(left, Op.IMPLICIT, new SetRef(set));
    }

    public static Match notIn(String left, String set) {
        return new Match(left, Op.NE, new SetRef(set));
    }
}
