package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.compiler.Counters.Reason;
import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void eachDirectionCountsItsOwnDropReasonsOnce() {
        assertThat(Counters.reasons(Counters.EGRESS)).containsExactly(Reason.SPOOFING, Reason.INVALID, Reason.NO_RULE);
        assertThat(Counters.reasons(Counters.INGRESS)).as("isolation counted in both tables, listed once")
                .containsExactly(Reason.ISOLATION, Reason.INVALID, Reason.NO_RULE);
    }
}
