package io.stockade.agent.nft;

import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftRule;
import io.stockade.compiler.Verdict;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Predicate;

/**
 * A rule's expressions as the kernel's bytecode ({@code NFTA_RULE_EXPRESSIONS}), written exactly
 * as libnftables 1.0 linearizes them ({@code nft --debug=netlink} shows it), for the parts a
 * vnic's own chains are made of when its groups change: {@code ether saddr}/{@code daddr} looked
 * up in (or, with {@code !=}, not in) a named set, {@code meta mark set}, {@code update @SET { KEY }}
 * with {@code meta mark}, {@code iifname} or {@code oifname} as the key, and the verdicts. In the
 * {@code inet} family a link-layer match is preceded by the dependency nft adds (the input
 * interface is an Ethernet one), once per rule. Anything else (literals, other packet fields,
 * concatenations, limits, logging, verdict maps) is not encoded: {@link #rule} says so and the
 * transaction goes to libnftables.
 */
final class RuleExprs {
    private static final int NFTA_LIST_ELEM = 1;
    private static final int NFTA_EXPR_NAME = 1;
    private static final int NFTA_EXPR_DATA = 2;
    private static final int NFTA_IMMEDIATE_DREG = 1;
    private static final int NFTA_IMMEDIATE_DATA = 2;
    private static final int NFTA_DATA_VALUE = 1;
    private static final int NFTA_META_DREG = 1;
    private static final int NFTA_META_KEY = 2;
    private static final int NFTA_META_SREG = 3;
    private static final int NFT_META_MARK = 3;
    private static final int NFT_META_IIFNAME = 6;
    private static final int NFT_META_OIFNAME = 7;
    private static final int NFT_META_IIFTYPE = 8;
    private static final int NFTA_PAYLOAD_DREG = 1;
    private static final int NFTA_PAYLOAD_BASE = 2;
    private static final int NFTA_PAYLOAD_OFFSET = 3;
    private static final int NFTA_PAYLOAD_LEN = 4;
    private static final int NFT_PAYLOAD_LL_HEADER = 0;
    private static final int NFTA_CMP_SREG = 1;
    private static final int NFTA_CMP_OP = 2;
    private static final int NFTA_CMP_DATA = 3;
    private static final int NFT_CMP_EQ = 0;
    private static final int NFTA_LOOKUP_SET = 1;
    private static final int NFTA_LOOKUP_SREG = 2;
    private static final int NFTA_LOOKUP_FLAGS = 5;
    private static final int NFT_LOOKUP_F_INV = 1;
    private static final int NFTA_DYNSET_SET_NAME = 1;
    private static final int NFTA_DYNSET_OP = 3;
    private static final int NFTA_DYNSET_SREG_KEY = 4;
    private static final int NFT_DYNSET_OP_UPDATE = 1;
    private static final int NFT_REG_VERDICT = 0;
    private static final int NFT_REG_1 = 1;
    /** {@code ARPHRD_ETHER}: the interface type nft's {@code inet} dependency of a link-layer match compares with. */
    private static final short ARPHRD_ETHER = 1;

    private RuleExprs() {}

    /**
     * Writes the rule's expressions as one {@code NFTA_RULE_EXPRESSIONS} attribute of type
     * {@code attribute}; false (the writer then holds a part) when the rule holds what is not
     * encoded or names a set {@code known} does not hold.
     */
    static boolean rule(NetlinkWriter w, int attribute, NftObject.Table table, NftRule rule, Predicate<String> known) {
        int list = w.open(attribute);
        boolean ethernet = !table.family().equals("inet");
        for (NftRule.Expr e : rule.exprs()) {
            switch (e) {
                case NftRule.Match m -> {
                    Integer offset = switch (m.left()) {
                        case "ether daddr" -> 0;
                        case "ether saddr" -> 6;
                        default -> null;
                    };
                    if (offset == null || !(m.right() instanceof NftRule.SetRef ref) || !known.test(ref.set()) || m.op() == NftRule.Op.EQ) {
                        return false;
                    }
                    if (!ethernet) {
                        metaLoad(w, NFT_META_IIFTYPE);
                        Open cmp = expr(w, "cmp");
                        w.attrBe32(NFTA_CMP_SREG, NFT_REG_1);
                        w.attrBe32(NFTA_CMP_OP, NFT_CMP_EQ);
                        int data = w.open(NFTA_CMP_DATA);
                        w.attr(NFTA_DATA_VALUE, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort(ARPHRD_ETHER).array());
                        w.close(data);
                        end(w, cmp);
                        ethernet = true;
                    }
                    Open payload = expr(w, "payload");
                    w.attrBe32(NFTA_PAYLOAD_DREG, NFT_REG_1);
                    w.attrBe32(NFTA_PAYLOAD_BASE, NFT_PAYLOAD_LL_HEADER);
                    w.attrBe32(NFTA_PAYLOAD_OFFSET, offset);
                    w.attrBe32(NFTA_PAYLOAD_LEN, 6);
                    end(w, payload);
                    Open lookup = expr(w, "lookup");
                    w.attr(NFTA_LOOKUP_SET, ref.set());
                    w.attrBe32(NFTA_LOOKUP_SREG, NFT_REG_1);
                    if (m.op() == NftRule.Op.NE) {
                        w.attrBe32(NFTA_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
                    }
                    end(w, lookup);
                }
                case NftRule.MarkSet s -> {
                    Open immediate = expr(w, "immediate");
                    w.attrBe32(NFTA_IMMEDIATE_DREG, NFT_REG_1);
                    int data = w.open(NFTA_IMMEDIATE_DATA);
                    w.attr(NFTA_DATA_VALUE, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) s.mark()).array());
                    w.close(data);
                    end(w, immediate);
                    Open meta = expr(w, "meta");
                    w.attrBe32(NFTA_META_KEY, NFT_META_MARK);
                    w.attrBe32(NFTA_META_SREG, NFT_REG_1);
                    end(w, meta);
                }
                case NftRule.Update u -> {
                    Integer key = switch (u.key()) {
                        case "meta mark" -> NFT_META_MARK;
                        case "iifname" -> NFT_META_IIFNAME;
                        case "oifname" -> NFT_META_OIFNAME;
                        default -> null;
                    };
                    if (key == null || !known.test(u.set())) {
                        return false;
                    }
                    metaLoad(w, key);
                    Open dynset = expr(w, "dynset");
                    w.attr(NFTA_DYNSET_SET_NAME, u.set());
                    w.attrBe32(NFTA_DYNSET_OP, NFT_DYNSET_OP_UPDATE);
                    w.attrBe32(NFTA_DYNSET_SREG_KEY, NFT_REG_1);
                    end(w, dynset);
                }
                case NftRule.Limit l -> {
                    return false;
                }
                case NftRule.Log l -> {
                    return false;
                }
            }
        }
        if (!verdict(w, rule.verdict())) {
            return false;
        }
        w.close(list);
        return true;
    }

    /** The rule's verdict as an immediate into the verdict register; nothing for none; false for a verdict map. */
    private static boolean verdict(NetlinkWriter w, Verdict v) {
        if (v instanceof Verdict.Continue) {
            return true;
        }
        if (v instanceof Verdict.Vmap) {
            return false;
        }
        Open immediate = expr(w, "immediate");
        w.attrBe32(NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
        NetlinkBatch.verdictData(w, NFTA_IMMEDIATE_DATA, v);
        end(w, immediate);
        return true;
    }

    private static void metaLoad(NetlinkWriter w, int key) {
        Open meta = expr(w, "meta");
        w.attrBe32(NFTA_META_KEY, key);
        w.attrBe32(NFTA_META_DREG, NFT_REG_1);
        end(w, meta);
    }

    /** Where an expression of the list and its data start. */
    private record Open(int elem, int data) {}

    /** Opens one expression of the list and its data; {@link #end} closes them. */
    private static Open expr(NetlinkWriter w, String name) {
        int elem = w.open(NFTA_LIST_ELEM);
        w.attr(NFTA_EXPR_NAME, name);
        return new Open(elem, w.open(NFTA_EXPR_DATA));
    }

    private static void end(NetlinkWriter w, Open o) {
        w.close(o.data());
        w.close(o.elem());
    }
}
