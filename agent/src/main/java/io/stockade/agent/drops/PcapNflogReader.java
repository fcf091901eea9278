package io.stockade.agent.drops;

import io.stockade.core.net.MacAddress;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reads a pcap stream of link type NFLOG (239), as {@code tcpdump -i nflog:G -w -} writes it:
 * each record is a 4-byte nflog header (family, version, group) followed by netlink-style TLVs
 * (length and type in the writer's byte order, values padded to 4 bytes) of which we use the
 * prefix (10), the packet header (1, hardware protocol), the hardware header (16) and the payload (9).
 */
public final class PcapNflogReader {
    static final int LINKTYPE_NFLOG = 239;
    private static final int TLV_PACKET_HDR = 1;
    private static final int TLV_PAYLOAD = 9;
    private static final int TLV_PREFIX = 10;
    private static final int TLV_HWHEADER = 16;
    private static final int MAX_RECORD = 1 << 18;

    private final DataInputStream in;
    private final ByteOrder order;

    /** Reads and checks the pcap file header. */
    public PcapNflogReader(InputStream stream) throws IOException {
        this.in = new DataInputStream(stream);
        byte[] header = in.readNBytes(24);
        if (header.length < 24) {
            throw new EOFException("pcap stream ended within its header");
        }
        int magic = ByteBuffer.wrap(header, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            throw new IOException(String.format("not a pcap stream (magic 0x%08x)", magic));
        }
        int linkType = ByteBuffer.wrap(header, 20, 4).order(order).getInt() & 0x0fff_ffff;
        if (linkType != LINKTYPE_NFLOG) {
            throw new IOException("pcap link type " + linkType + ", expected NFLOG (" + LINKTYPE_NFLOG + ")");
        }
    }

    /** The next logged packet, or null at the end of the stream. */
    public NflogPacket next() throws IOException {
        byte[] rec = in.readNBytes(16);
        if (rec.length == 0) {
            return null;
        }
        if (rec.length < 16) {
            throw new EOFException("pcap stream ended within a record header");
        }
        ByteBuffer h = ByteBuffer.wrap(rec).order(order);
        long seconds = h.getInt() & 0xffff_ffffL;
        long micros = h.getInt() & 0xffff_ffffL;
        int captured = h.getInt();
        if (captured < 0 || captured > MAX_RECORD) {
            throw new IOException("pcap record of " + captured + " bytes: stream corrupt");
        }
        byte[] data = in.readNBytes(captured);
        if (data.length < captured) {
            throw new EOFException("pcap stream ended within a record");
        }
        return parse(Instant.ofEpochSecond(seconds, Math.min(micros, 999_999) * 1000), data, order);
    }

    /** One NFLOG record: the nflog header, then TLVs. */
    static NflogPacket parse(Instant time, byte[] data, ByteOrder order) {
        String prefix = "";
        int hwProtocol = 0;
        MacAddress src = null;
        MacAddress dst = null;
        byte[] payload = new byte[0];
        int pos = 4;
        while (pos + 4 <= data.length) {
            ByteBuffer t = ByteBuffer.wrap(data, pos, 4).order(order);
            int len = t.getShort() & 0xffff;
            int type = t.getShort() & 0x7fff;
            if (len < 4) {
                break;
            }
            int value = pos + 4;
            // The snapshot length may cut the last TLV (the payload): keep what is there.
            int valueLen = Math.min(len, data.length - pos) - 4;
            switch (type) {
                case TLV_PREFIX -> {
                    int end = value;
                    while (end < value + valueLen && data[end] != 0) {
                        end++;
                    }
                    prefix = new String(data, value, end - value, StandardCharsets.US_ASCII);
                }
                case TLV_PACKET_HDR -> {
                    if (valueLen >= 2) {
                        hwProtocol = ((data[value] & 0xff) << 8) | (data[value + 1] & 0xff);
                    }
                }
                case TLV_HWHEADER -> {
                    if (valueLen >= 12) {
                        dst = mac(data, value);
                        src = mac(data, value + 6);
                    }
                }
                case TLV_PAYLOAD -> payload = Arrays.copyOfRange(data, value, value + valueLen);
                default -> { }
            }
            pos += (len + 3) & ~3;
        }
        return new NflogPacket(time, prefix, hwProtocol, src, dst, payload);
    }

    private static MacAddress mac(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return new MacAddress(v);
    }
}
