package io.stockade.compiler;

import java.util.List;
import java.util.Optional;

/**
 * Transactions in nft syntax, as {@code nft -f} reads them: one operation a line. Only writes;
 * what to write is decided by {@link Transactions}.
 */
public final class Render {
    private Render() {}

    /** The whole state, replacing Stockade's tables atomically (also when they do not exist yet). */
    public static String full(HostState s) {
        return script(Transactions.full(s));
    }

    /** The script of {@link Transactions#delta}: empty when the change needs the full script. */
    public static Optional<String> delta(HostState a, HostState b) {
        return Transactions.delta(a, b).map(Render::script);
    }

    public static String script(Transaction tx) {
        StringBuilder sb = new StringBuilder();
        for (Transaction.Op op : tx.ops()) {
            op(sb, op);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void op(StringBuilder sb, Transaction.Op op) {
        Transaction.Verb verb = op.verb();
        boolean declares = verb == Transaction.Verb.ADD || verb == Transaction.Verb.CREATE;
        sb.append(verb.name().toLowerCase(java.util.Locale.ROOT)).append(' ');
        switch (op.object()) {
            case NftObject.Table t -> table(sb.append("table "), t);
            case NftObject.Chain c -> {
                table(sb.append("chain "), c.table()).append(' ').append(c.name());
                if (declares && c.base() != null) {
                    NftChain.Base b = c.base();
                    sb.append(" { type ").append(b.type()).append(" hook ").append(b.hook()).append(" priority ").append(b.priority())
                            .append("; policy ").append(b.policy()).append("; }");
                }
            }
            case NftObject.Rule r -> rule(table(sb.append("rule "), r.table()).append(' ').append(r.chain()).append(' '), r.rule());
            case NftObject.Set s -> {
                table(sb.append(s.isMap() ? "map " : "set "), s.table()).append(' ').append(s.name());
                if (declares) {
                    sb.append(" { type ");
                    type(sb, s.type());
                    sb.append(';').append(s.interval() ? " flags interval;" : "").append(s.dynamic() ? " flags dynamic;" : "")
                            .append(s.counted() ? " counter;" : "").append(" }");
                }
            }
            case NftObject.Elements e -> {
                table(sb.append("element "), e.table()).append(' ').append(e.set()).append(" { ");
                List<NftElement> elements = e.elements();
                for (int i = 0; i < elements.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    element(sb, declares ? elements.get(i) : elements.get(i).keyOnly());
                }
                sb.append(" }");
            }
        }
    }

    private static StringBuilder table(StringBuilder sb, NftObject.Table t) {
        return sb.append(t.family()).append(' ').append(t.name());
    }

    private static void type(StringBuilder sb, NftSet.Type t) {
        sb.append(String.join(" . ", t.key()));
        if (t.value() != null) {
            sb.append(" : ").append(t.value());
        }
    }

    /** One element: its key's fields joined by {@code .}, and a map's value after {@code :}. */
    public static String element(NftElement e) {
        StringBuilder sb = new StringBuilder();
        element(sb, e);
        return sb.toString();
    }

    private static void element(StringBuilder sb, NftElement e) {
        List<String> key = e.key();
        for (int i = 0; i < key.size(); i++) {
            if (i > 0) {
                sb.append(" . ");
            }
            sb.append(key.get(i));
        }
        switch (e.value()) {
            case null -> { }
            case Verdict v -> verdict(sb.append(" : "), v);
        }
    }

    /** One rule in nft syntax, as {@code add rule} takes it after the chain's name. */
    public static String rule(NftRule r) {
        StringBuilder sb = new StringBuilder();
        rule(sb, r);
        return sb.toString();
    }

    private static void rule(StringBuilder sb, NftRule r) {
        int start = sb.length();
        for (NftRule.Expr e : r.exprs()) {
            if (sb.length() > start) {
                sb.append(' ');
            }
            expr(sb, e);
        }
        if (!(r.verdict() instanceof Verdict.Continue)) {
            if (sb.length() > start) {
                sb.append(' ');
            }
            verdict(sb, r.verdict());
        }
    }

    private static void expr(StringBuilder sb, NftRule.Expr e) {
        switch (e) {
            case NftRule.Match m -> {
                sb.append(m.left()).append(switch (m.op()) {
                    case IMPLICIT -> " ";
                    case EQ -> " == ";
                    case NE -> " != ";
                });
                switch (m.right()) {
                    case NftRule.Literal l -> sb.append(l.text());
                    case NftRule.SetRef s -> sb.append('@').append(s.set());
                }
            }
            case NftRule.MarkSet m -> sb.append("meta mark set ").append(Marks.hex(m.mark()));
            case NftRule.Update u -> sb.append("update @").append(u.set()).append(" { ").append(u.key()).append(" }");
            case NftRule.Limit l -> sb.append("limit rate ").append(l.perSecond()).append("/second burst ").append(l.burst()).append(" packets");
            case NftRule.Log l -> sb.append("log group ").append(l.group()).append(" snaplen ").append(l.snaplen())
                    .append(" queue-threshold ").append(l.queueThreshold()).append(" prefix \"").append(l.prefix()).append('"');
        }
    }

    private static void verdict(StringBuilder sb, Verdict v) {
        switch (v) {
            case Verdict.Accept a -> sb.append("accept");
            case Verdict.Drop d -> sb.append("drop");
            case Verdict.Return r -> sb.append("return");
            case Verdict.Continue c -> { }
            case Verdict.Jump j -> sb.append("jump ").append(j.chain());
            case Verdict.Goto g -> sb.append("goto ").append(g.chain());
            case Verdict.Vmap m -> sb.append(m.key()).append(" vmap @").append(m.map());
        }
    }
}
