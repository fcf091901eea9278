package io.stockade.agent.nft;

import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.Render;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Verdict;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A transaction that only adds and deletes elements of sets and maps, flushes chains and appends
 * rules to them (what a vnic's chains get when its groups change), written as one netfilter
 * netlink batch ({@code NFNL_MSG_BATCH_BEGIN}, {@code NFT_MSG_NEWSETELEM}/{@code DELSETELEM},
 * {@code NFT_MSG_DELRULE} naming only the chain, {@code NFT_MSG_NEWRULE} appending,
 * {@code NFNL_MSG_BATCH_END}): the kernel applies it all or nothing, as one commit that moves the
 * ruleset's generation by one, exactly as libnftables would send it, but without libnftables
 * reading the ruleset back first (its cache: every chain, set and element of the table,
 * milliseconds on a big host). Only what the batch can say exactly is taken: elements of plain
 * (not interval) sets and maps whose declaration is known, with keys of the types
 * {@link ElementKeys} encodes, and verdicts as values (an element of a counted set gets its counter
 * from the set, in the kernel); rules whose expressions {@link RuleExprs} encodes, naming sets whose
 * declaration is known; anything else is left to libnftables ({@link #of} is empty).
 */
final class NetlinkBatch {
    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final int NFNL_MSG_BATCH_BEGIN = 0x10;
    private static final int NFNL_MSG_BATCH_END = 0x11;
    private static final int NFT_MSG_NEWRULE = 6;
    private static final int NFT_MSG_DELRULE = 8;
    private static final int NFT_MSG_NEWSETELEM = 12;
    private static final int NFT_MSG_DELSETELEM = 14;
    private static final int NFTA_RULE_TABLE = 1;
    private static final int NFTA_RULE_CHAIN = 2;
    private static final int NFTA_RULE_EXPRESSIONS = 4;
    private static final int NFTA_SET_ELEM_LIST_TABLE = 1;
    private static final int NFTA_SET_ELEM_LIST_SET = 2;
    private static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    private static final int NFTA_LIST_ELEM = 1;
    private static final int NFTA_SET_ELEM_KEY = 1;
    private static final int NFTA_SET_ELEM_DATA = 2;
    private static final int NFTA_DATA_VALUE = 1;
    private static final int NFTA_DATA_VERDICT = 2;
    private static final int NFTA_VERDICT_CODE = 1;
    private static final int NFTA_VERDICT_CHAIN = 2;
    private static final int NLMSG_ERROR = 2;
    /** Elements per message: keeps each message's attributes well under netlink's 64 KiB. */
    static final int PER_MESSAGE = 256;
    /** Batches beyond this go to libnftables, which sizes its socket's buffers for them. */
    static final int MAX_BYTES = 128 * 1024;

    private final NetlinkWriter out;
    private final int firstSeq;
    /** The operation each message after the batch's beginning came from, to name it in an error. */
    private final List<Transaction.Op> sent;

    private NetlinkBatch(NetlinkWriter out, int firstSeq, List<Transaction.Op> sent) {
        this.out = out;
        this.firstSeq = firstSeq;
        this.sent = sent;
    }

    /**
     * The batch for {@code tx}, its messages numbered from {@code seq}, or empty when the
     * transaction does more than add and delete elements, flush chains and append rules, names a
     * set {@code declared} does not know (it gives the declaration of a table's set by name, or
     * null), or holds what the batch does not encode.
     */
    static Optional<NetlinkBatch> of(Transaction tx, BiFunction<NftObject.Table, String, NftObject.Set> declared, int seq) {
        if (tx.isEmpty()) {
            return Optional.empty();
        }
        NetlinkWriter w = new NetlinkWriter();
        w.end(w.begin(NFNL_MSG_BATCH_BEGIN, NetlinkWriter.NLM_F_REQUEST, seq, 0, NFNL_SUBSYS_NFTABLES));
        List<Transaction.Op> sent = new ArrayList<>();
        for (Transaction.Op op : tx.ops()) {
            Optional<Integer> family = family(op.object().table().family());
            if (family.isEmpty()) {
                return Optional.empty();
            }
            NftObject.Table table = op.object().table();
            switch (op.object()) {
                case NftObject.Elements e when op.verb() != Transaction.Verb.FLUSH && op.verb() != Transaction.Verb.INSERT -> {
                    NftObject.Set set = declared.apply(e.table(), e.set());
                    if (set == null || set.interval()) {
                        return Optional.empty();
                    }
                    boolean delete = op.verb() == Transaction.Verb.DELETE;
                    int type = NFNL_SUBSYS_NFTABLES << 8 | (delete ? NFT_MSG_DELSETELEM : NFT_MSG_NEWSETELEM);
                    int flags = NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_ACK | (delete ? 0 : NetlinkWriter.NLM_F_CREATE)
                            | (op.verb() == Transaction.Verb.CREATE ? NetlinkWriter.NLM_F_EXCL : 0);
                    for (int from = 0; from < e.elements().size(); from += PER_MESSAGE) {
                        int m = w.begin(type, flags, seq + 1 + sent.size(), family.get(), 0);
                        w.attr(NFTA_SET_ELEM_LIST_TABLE, table.name());
                        w.attr(NFTA_SET_ELEM_LIST_SET, e.set());
                        int list = w.open(NFTA_SET_ELEM_LIST_ELEMENTS);
                        for (NftElement element : e.elements().subList(from, Math.min(e.elements().size(), from + PER_MESSAGE))) {
                            if (!element(w, set, element, delete)) {
                                return Optional.empty();
                            }
                        }
                        w.close(list);
                        w.end(m);
                        sent.add(op);
                    }
                }
                case NftObject.Chain c when op.verb() == Transaction.Verb.FLUSH -> {
                    // A chain's rules deleted all at once: a rule deletion that names the chain and no rule.
                    int m = w.begin(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_DELRULE, NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_ACK,
                            seq + 1 + sent.size(), family.get(), 0);
                    w.attr(NFTA_RULE_TABLE, table.name());
                    w.attr(NFTA_RULE_CHAIN, c.name());
                    w.end(m);
                    sent.add(op);
                }
                case NftObject.Rule r when op.verb() == Transaction.Verb.ADD -> {
                    int m = w.begin(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE, NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_ACK
                            | NetlinkWriter.NLM_F_CREATE | NetlinkWriter.NLM_F_APPEND, seq + 1 + sent.size(), family.get(), 0);
                    w.attr(NFTA_RULE_TABLE, table.name());
                    w.attr(NFTA_RULE_CHAIN, r.chain());
                    if (!RuleExprs.rule(w, NFTA_RULE_EXPRESSIONS, table, r.rule(), name -> declared.apply(table, name) != null)) {
                        return Optional.empty();
                    }
                    w.end(m);
                    sent.add(op);
                }
                default -> {
                    return Optional.empty();
                }
            }
            if (w.length() > MAX_BYTES) {
                return Optional.empty();
            }
        }
        w.end(w.begin(NFNL_MSG_BATCH_END, NetlinkWriter.NLM_F_REQUEST, seq + 1 + sent.size(), 0, NFNL_SUBSYS_NFTABLES));
        return Optional.of(new NetlinkBatch(w, seq, sent));
    }

    /** How many sequence numbers the batch uses (its beginning, its messages, its end). */
    int sequenceNumbers() {
        return sent.size() + 2;
    }

    /**
     * Sends the batch and reads the kernel's answers: every message is acknowledged, or the kernel
     * names the first it refused and applied nothing; throws {@link Nftables.NftException} with the
     * kernel's reason then.
     */
    void commit(NetfilterSocket socket) {
        try {
            socket.send(out.bytes(), out.length(), "a batch of set elements");
        } catch (IllegalStateException e) {
            throw new Nftables.NftException(e.getMessage());
        }
        // The kernel handles a netfilter batch inside the send, so every answer is queued by now.
        byte[] buf = new byte[65536];
        int acks = 0;
        String refused = null;
        for (long n = socket.recvNow(buf); n > 0; n = socket.recvNow(buf)) {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder());
            for (int at = 0; at + 16 <= n; ) {
                int len = b.getInt(at);
                int type = b.getShort(at + 4) & 0xffff;
                int seq = b.getInt(at + 8);
                if (len < 16) {
                    break;
                }
                if (type == NLMSG_ERROR && at + 20 <= n && seq >= firstSeq && seq <= firstSeq + sent.size()) {
                    int error = -b.getInt(at + 16);
                    if (error == 0) {
                        acks++;
                    } else if (refused == null) {
                        refused = what(seq) + ": " + NetfilterSocket.describe(error);
                    }
                }
                at += (len + 3) & ~3;
            }
        }
        if (refused != null) {
            throw new Nftables.NftException("the kernel refused the transaction: " + refused);
        }
        if (acks != sent.size()) {
            throw new Nftables.NftException("netlink: the kernel acknowledged " + acks + " of the batch's " + sent.size() + " messages");
        }
    }

    /** The operation a refused message came from, in nft syntax; the batch's beginning stands for the commit. */
    private String what(int seq) {
        if (seq == firstSeq) {
            return "committing the batch";
        }
        String line = Render.script(new Transaction(List.of(sent.get(seq - firstSeq - 1))));
        return line.length() > 200 ? line.substring(0, 200) + "…" : line.strip();
    }

    private static boolean element(NetlinkWriter w, NftObject.Set set, NftElement element, boolean delete) {
        Optional<byte[]> key = ElementKeys.key(set.type().key(), element.key());
        if (key.isEmpty()) {
            return false;
        }
        int e = w.open(NFTA_LIST_ELEM);
        int k = w.open(NFTA_SET_ELEM_KEY);
        w.attr(NFTA_DATA_VALUE, key.get());
        w.close(k);
        if (!delete && set.isMap()) {
            switch (element.value()) {
                case Verdict v when "verdict".equals(set.type().value()) -> {
                    if (!verdict(w, v)) {
                        return false;
                    }
                }
                case null, default -> {
                    return false;
                }
            }
        }
        w.close(e);
        return true;
    }

    /** A verdict map's value; false for what a map element cannot give (a nested vmap, no verdict). */
    private static boolean verdict(NetlinkWriter w, Verdict v) {
        return verdictData(w, NFTA_SET_ELEM_DATA, v);
    }

    /**
     * A verdict as netlink data in attribute {@code attr} (a map element's value, an immediate's
     * data): its code and, for a jump or goto, the chain. False, with nothing written, for what is
     * not a plain verdict (continue, a verdict map).
     */
    static boolean verdictData(NetlinkWriter w, int attr, Verdict v) {
        int code;
        String chain = null;
        switch (v) {
            case Verdict.Accept a -> code = 1;
            case Verdict.Drop d -> code = 0;
            case Verdict.Return r -> code = -5;
            case Verdict.Jump j -> {
                code = -3;
                chain = j.chain();
            }
            case Verdict.Goto g -> {
                code = -4;
                chain = g.chain();
            }
            case Verdict.Continue c -> {
                return false;
            }
            case Verdict.Vmap m -> {
                return false;
            }
        }
        int data = w.open(attr);
        int verdict = w.open(NFTA_DATA_VERDICT);
        w.attrBe32(NFTA_VERDICT_CODE, code);
        if (chain != null) {
            w.attr(NFTA_VERDICT_CHAIN, chain);
        }
        w.close(verdict);
        w.close(data);
        return true;
    }

    /** nft's family names as netfilter's protocol family numbers. */
    static Optional<Integer> family(String name) {
        return Optional.ofNullable(switch (name) {
            case "inet" -> 1;
            case "ip" -> 2;
            case "arp" -> 3;
            case "netdev" -> 5;
            case "bridge" -> 7;
            case "ip6" -> 10;
            default -> null;
        });
    }
}
