package io.stockade.agent.drops;

import io.stockade.core.net.MacAddress;
import java.time.Instant;

/**
 * One packet the kernel logged to an nflog group: the rule's prefix, the link-layer protocol
 * (0x0800, 0x86dd, 0x0806), the frame's MACs when the kernel gave its link header (null
 * otherwise), and the packet from its network header on (possibly cut to the snapshot length).
 */
public record NflogPacket(Instant time, String prefix, int hwProtocol, MacAddress srcMac, MacAddress dstMac, byte[] payload) {}
