package io.stockade.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A controller whose PostgreSQL takes no writes (a hot standby after a failover does the same):
 * commits fail as READ_ONLY with a message that says so, reads go on, nothing is written.
 */
class PostgresReadOnlyTest {
    @Test
    void writesToAReadOnlyDatabaseSayReadOnly() {
        try (Store writable = TestPostgres.store("readonly")) {
            writable.commit("admin", List.of(Change.upsert("group", "sg-a", "p-a", "web", "{\"id\":\"sg-a\"}", "create", "{}")));
        }
        String url = TestPostgres.url(TestPostgres.schema("readonly")) + "&options=-c%20default_transaction_read_only%3Don";
        try (Store readOnly = Store.postgres(url, null, null)) {
            assertThatThrownBy(() -> readOnly.commit("admin", List.of(Change.upsert("group", "sg-b", "p-a", "db", "{\"id\":\"sg-b\"}", "create", "{}"))))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.READ_ONLY))
                    .hasMessageStartingWith("could not write to the store: the store is read-only (jdbc:postgresql:");
            assertThat(readOnly.revision()).isEqualTo(1);
            assertThat(readOnly.loadAll()).extracting(StoredObject::id).containsExactly("sg-a");
        }
    }
}
