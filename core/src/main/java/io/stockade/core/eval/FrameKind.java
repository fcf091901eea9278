package io.stockade.core.eval;

/** What a frame carries at layer 2/3. */
public enum FrameKind {
    ARP,
    IPV4,
    IPV6
}
