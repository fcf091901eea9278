package io.stockade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.store.HostStatus;
import io.stockade.store.Store;
import io.stockade.store.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents' status reports: shown at once, written to the store in batches, shared between controllers on PostgreSQL. */
class HostStatusesTest {
    @Test
    void aReportIsShownAtOnceAndWrittenAtTheNextFlushTheLatestOfEachHost(@TempDir Path dir) {
        try (Store store = Store.sqlite(dir)) {
            HostStatuses statuses = new HostStatuses(store);
            statuses.report(new HostStatus("h-1", 1, "2026-12-07T10:00:00Z", null));
            statuses.report(new HostStatus("h-1", 2, "2026-12-07T10:00:01.5Z", "nft: failed"));
            statuses.report(new HostStatus("h-2", 5, "2026-12-07T10:00:01Z", null));
            // A report that arrives late (sent before the one shown) does not replace it.
            statuses.report(new HostStatus("h-1", 1, "2026-12-07T10:00:01Z", null));
            assertThat(statuses.of("h-1").appliedRevision()).isEqualTo(2);
            assertThat(statuses.all()).containsOnlyKeys("h-1", "h-2");
            assertThat(store.hostStatuses()).as("nothing written before the flush").isEmpty();

            statuses.flush();
            assertThat(store.hostStatuses().get("h-1")).isEqualTo(new HostStatus("h-1", 2, "2026-12-07T10:00:01.5Z", "nft: failed"));
            assertThat(store.hostStatuses().get("h-2").appliedRevision()).isEqualTo(5);
            // A restarted controller shows what was flushed.
            assertThat(new HostStatuses(store).all()).isEqualTo(statuses.all());
        }
    }

    @Test
    void controllersOnOnePostgresShowTheNewerReportOfAHostWhoeverTookIt() {
        try (Store storeA = TestPostgres.store("hoststatus"); Store storeB = TestPostgres.reopen("hoststatus")) {
            HostStatuses a = new HostStatuses(storeA);
            HostStatuses b = new HostStatuses(storeB);
            b.report(new HostStatus("h-1", 1, "2026-12-07T10:00:00Z", null));
            a.report(new HostStatus("h-1", 3, "2026-12-07T10:00:05Z", null));
            a.report(new HostStatus("h-2", 4, "2026-12-07T10:00:05Z", null));
            assertThat(b.of("h-2")).as("not flushed by A yet").isNull();
            a.flush();
            // The agent moved from B to A: B's older report does not hide A's.
            assertThat(b.of("h-1").appliedRevision()).isEqualTo(3);
            assertThat(b.of("h-2").appliedRevision()).isEqualTo(4);
            b.report(new HostStatus("h-1", 6, "2026-12-07T10:00:09Z", null));
            assertThat(b.of("h-1").appliedRevision()).isEqualTo(6);
            b.flush();
            assertThat(a.of("h-1").appliedRevision()).isEqualTo(6);
        }
    }
}
