package io.stockade.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.compiler.NftElement;
import io.stockade.compiler.NftObject;
import io.stockade.compiler.NftSet;
import io.stockade.compiler.Transaction;
import io.stockade.compiler.Verdict;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys laid out as the kernel holds them (the kernel tests compare whole tables with what
 * libnftables writes); what the batch cannot say exactly is left to libnftables.
 */
class ElementKeysTest {
    private static String hex(List<String> types, String... fields) {
        return ElementKeys.key(types, List.of(fields)).map(HexFormat.of()::formatHex).orElse("none");
    }

    @Test
    void eachTypeInItsBytes() {
        assertThat(hex(List.of("ipv4_addr"), "192.0.2.1")).isEqualTo("c0000201");
        assertThat(hex(List.of("ipv6_addr"), "2001:db8::1")).isEqualTo("20010db8000000000000000000000001");
        assertThat(hex(List.of("ether_addr"), "52:54:00:01:86:a2")).isEqualTo("5254000186a2");
        assertThat(hex(List.of("inet_service"), "547")).isEqualTo("0223");
        assertThat(hex(List.of("inet_proto"), "udp")).isEqualTo("11");
        assertThat(hex(List.of("ifname"), "\"t1\"")).isEqualTo("74310000000000000000000000000000");
        String mark = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "13510000" : "00005113";
        assertThat(hex(List.of("mark"), "0x00005113")).as("a mark in the host's order").isEqualTo(mark);
    }

    @Test
    void aConcatenationPadsEachFieldTo32Bits() {
        assertThat(hex(List.of("ifname", "ether_addr", "ipv4_addr"), "\"t1\"", "52:54:00:01:86:a2", "192.0.2.1"))
                .isEqualTo("74310000000000000000000000000000" + "5254000186a20000" + "c0000201");
        assertThat(hex(List.of("inet_proto", "inet_service"), "6", "22")).isEqualTo("06000000" + "00160000");
    }

    @Test
    void whatItCannotSayExactlyIsNoKey() {
        assertThat(hex(List.of("ipv4_addr"), "10.0.0.0/8")).isEqualTo("none");
        assertThat(hex(List.of("ipv4_addr"), "2001:db8::1")).isEqualTo("none");
        assertThat(hex(List.of("inet_service"), "ssh")).isEqualTo("none");
        assertThat(hex(List.of("inet_service"), "65536")).isEqualTo("none");
        assertThat(hex(List.of("ifname"), "\"tap*\"")).isEqualTo("none");
        assertThat(hex(List.of("ifname"), "t1")).as("unquoted").isEqualTo("none");
        assertThat(hex(List.of("ct_state"), "established")).isEqualTo("none");
        assertThat(hex(List.of("ipv4_addr", "inet_service"), "192.0.2.1")).as("a field missing").isEqualTo("none");
    }

    @Test
    void onlyElementTransactionsOfKnownPlainSetsBecomeBatches() {
        NftObject.Table t = new NftObject.Table("inet", "t");
        NftObject.Set plain = new NftObject.Set(t, "s", NftSet.Type.of("ipv4_addr"), false);
        NftObject.Set intervals = new NftObject.Set(t, "r", NftSet.Type.of("ipv4_addr"), true);
        NftObject.Set vmap = new NftObject.Set(t, "m", NftSet.Type.of("ether_addr").to("verdict"), false);
        java.util.function.BiFunction<NftObject.Table, String, NftObject.Set> declared =
                (table, name) -> List.of(plain, intervals, vmap).stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        NftObject.Elements one = new NftObject.Elements(t, "s", List.of(NftElement.of("192.0.2.1")));
        assertThat(NetlinkBatch.of(Transaction.builder().add(one).delete(one).build(), declared, 1)).hasValueSatisfying(b ->
                assertThat(b.sequenceNumbers()).as("begin, two messages, end").isEqualTo(4));
        assertThat(NetlinkBatch.of(Transaction.builder().add(new NftObject.Elements(t, "r", List.of(NftElement.of("192.0.2.1")))).build(), declared, 1)).isEmpty();
        assertThat(NetlinkBatch.of(Transaction.builder().add(new NftObject.Elements(t, "unknown", List.of(NftElement.of("192.0.2.1")))).build(), declared, 1)).isEmpty();
        assertThat(NetlinkBatch.of(Transaction.builder().add(one).add(new NftObject.Chain(t, "c", null)).build(), declared, 1)).isEmpty();
        assertThat(NetlinkBatch.of(Transaction.builder().add(new NftObject.Elements(t, "m", List.of(NftElement.of("52:54:00:01:86:a2").to(Verdict.CONTINUE)))).build(), declared, 1))
                .as("no verdict is no map value").isEmpty();
        assertThat(NetlinkBatch.of(Transaction.EMPTY, declared, 1)).isEmpty();
        List<NftElement> many = java.util.stream.IntStream.range(0, NetlinkBatch.PER_MESSAGE + 1).mapToObj(i -> NftElement.of("10.0." + (i >> 8) + "." + (i & 255))).toList();
        assertThat(NetlinkBatch.of(Transaction.builder().add(new NftObject.Elements(t, "s", many)).build(), declared, 1)).hasValueSatisfying(b ->
                assertThat(b.sequenceNumbers()).as("split in two messages").isEqualTo(4));
    }
}
