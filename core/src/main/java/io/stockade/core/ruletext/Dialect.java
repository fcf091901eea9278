package io.stockade.core.ruletext;

/** Which rule text a reader accepts. Both give every line Wakame-vdc accepts the meaning Wakame gave it. */
public enum Dialect {
    /** Wakame-vdc's lines plus Stockade's extensions (egress, IPv6, ip sets, any protocol, any ICMP type and code). */
    STOCKADE,
    /** Exactly the lines Wakame-vdc accepted: for importing an existing Wakame-vdc text; extensions are refused. */
    WAKAME
}
