package io.stockade.core.eval;

/**
 * Where a packet stands in its connection. {@code NEW} opens a flow; {@code ESTABLISHED}
 * continues a flow in its original direction; {@code REPLY} answers a flow that the reversed
 * packet opened. Conntrack entries of flows that lose their permission are removed, so an
 * established or reply packet passes only while the flow would still be allowed.
 * {@code INVALID} is a packet connection tracking can place in no flow and that opens none, such
 * as a TCP segment without flags: a stateful direction that filters drops it.
 */
public enum FlowState {
    NEW,
    ESTABLISHED,
    REPLY,
    INVALID
}
