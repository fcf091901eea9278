package io.stockade.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.compiler.NftObject;
import org.junit.jupiter.api.Test;

/** A table's head in {@code nft -j list tables}, as nft 1.0.6 writes it: its flags garbled. */
class ListingJsonTest {
    private static final NftObject.Table BRIDGE = new NftObject.Table("bridge", "stockade");
    private static final String META = "{\"metainfo\": {\"version\": \"1.0.6\", \"release_name\": \"Lester Gooch #5\", \"json_schema_version\": 1}}";

    private static String tables(String... heads) {
        return "{\"nftables\": [" + META + (heads.length == 0 ? "" : ", " + String.join(", ", heads)) + "]}";
    }

    @Test
    void aTableWithoutFlagsIsAwake() {
        assertThat(ListingJson.dormant(tables("{\"table\": {\"family\": \"bridge\", \"name\": \"stockade\", \"handle\": 1}}"), BRIDGE)).contains(false);
    }

    @Test
    void aFlagThatIsNotKnownCountsAsDormant() {
        assertThat(ListingJson.dormant(tables("{\"table\": {\"family\": \"bridge\", \"name\": \"stockade\", \"handle\": 1, \"flags\": \"Lester Gooch #5\"}}"), BRIDGE))
                .contains(true);
        assertThat(ListingJson.dormant(tables("{\"table\": {\"family\": \"bridge\", \"name\": \"stockade\", \"handle\": 1, \"flags\": [\"dormant\"]}}"), BRIDGE))
                .contains(true);
        assertThat(ListingJson.dormant(tables("{\"table\": {\"family\": \"bridge\", \"name\": \"stockade\", \"handle\": 1, \"flags\": \"owner\"}}"), BRIDGE))
                .contains(false);
    }

    @Test
    void aListingThatDoesNotParseCountsAsDormantIfItNamesTheTable() {
        String garbled = "{\"nftables\": [" + META + ", {\"table\": {\"family\": \"bridge\", \"name\": \"stockade\", \"handle\": 1, \"flags\": \"\u0001\"\"}}]}";
        assertThat(ListingJson.dormant(garbled, BRIDGE)).contains(true);
        assertThat(ListingJson.dormant(garbled, new NftObject.Table("bridge", "other"))).isEmpty();
    }

    @Test
    void aTableNotListedDoesNotExist() {
        assertThat(ListingJson.dormant(tables("{\"table\": {\"family\": \"bridge\", \"name\": \"someone\", \"handle\": 1}}"), BRIDGE)).isEmpty();
    }
}
