package io.stockade.agent.drops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stockade.core.model.World;
import io.stockade.core.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The NFLOG pcap stream as tcpdump writes it, decoded into drop lines (no kernel needed). */
class PcapNflogReaderTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** An IPv4 TCP SYN 198.51.100.7:40000 -> 192.0.2.10:3306 (headers only). */
    private static final byte[] SYN = HexFormat.of().parseHex(
            "4500003c6b8d400040064b2bc6336407c000020a" + "9c400ceae2564eac00000000a002faf084320000");

    private static byte[] tlv(int type, byte[] value) {
        int len = 4 + value.length;
        ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(LE);
        b.putShort((short) len).putShort((short) type).put(value);
        return b.array();
    }

    private static byte[] record(String prefix, byte[] hwHeader, byte[] payload, int cut) throws IOException {
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.write(new byte[] {2, 0, 0x02, (byte) 0xee});
        r.write(tlv(1, new byte[] {0x08, 0x00, 2, 0}));
        r.write(tlv(10, (prefix + "\0").getBytes(StandardCharsets.US_ASCII)));
        r.write(tlv(16, hwHeader));
        r.write(tlv(9, payload));
        byte[] all = r.toByteArray();
        int captured = all.length - cut;
        ByteBuffer h = ByteBuffer.allocate(16 + captured).order(LE);
        h.putInt(1_764_590_000).putInt(250_000).putInt(captured).putInt(all.length).put(all, 0, captured);
        return h.array();
    }

    private static byte[] stream(byte[]... records) throws IOException {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        ByteBuffer g = ByteBuffer.allocate(24).order(LE);
        g.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(PcapNflogReader.LINKTYPE_NFLOG);
        s.write(g.array());
        for (byte[] r : records) {
            s.write(r);
        }
        return s.toByteArray();
    }

    /** Destination MAC 52:54:00:00:00:0a (vif-db1), source the outside's, ethertype IPv4. */
    private static final byte[] HW = HexFormat.of().parseHex("52540000000a0200000000ff010800");

    @Test
    void aLoggedSynBecomesADropLineWithTheNeededRule() throws IOException {
        World w = TestWorld.wakame().group("sg-dbsrv", TestWorld.tcpIn(22, 22, "0.0.0.0/0")).vnic("vif-db1", "sg-dbsrv").build();
        PcapNflogReader r = new PcapNflogReader(new ByteArrayInputStream(stream(
                record("stockade vif-db1 ingress no-rule", HW, SYN, 0),
                record("stockade vif-db1 ingress no-rule", HW, SYN, 10))));
        NflogPacket p = r.next();
        assertThat(p.prefix()).isEqualTo("stockade vif-db1 ingress no-rule");
        assertThat(p.hwProtocol()).isEqualTo(0x0800);
        assertThat(p.dstMac().toString()).isEqualTo("52:54:00:00:00:0a");
        Drop d = DropDecoder.decode(p, w).orElseThrow();
        assertThat(d.logLine()).isEqualTo("drop vnic=vif-db1 direction=ingress reason=no-rule proto=tcp src=198.51.100.7:40000"
                + " dst=192.0.2.10:3306 needed=\"sg-dbsrv: tcp:3306,3306,ip4:198.51.100.7\"");
        // A record cut by the snapshot length inside the payload still gives addresses and ports.
        NflogPacket cut = r.next();
        assertThat(DropDecoder.decode(cut, w).orElseThrow().dstPort()).isEqualTo(3306);
        assertThat(r.next()).isNull();
    }

    @Test
    void othersPrefixesAndOtherStreamsAreNotDrops() throws IOException {
        PcapNflogReader r = new PcapNflogReader(new ByteArrayInputStream(stream(record("someone else", HW, SYN, 0))));
        assertThat(DropDecoder.decode(r.next(), null)).isEmpty();
        byte[] ethernet = stream();
        ByteBuffer.wrap(ethernet).order(LE).putInt(20, 1);
        assertThatThrownBy(() -> new PcapNflogReader(new ByteArrayInputStream(ethernet))).hasMessageContaining("link type 1");
    }
}
