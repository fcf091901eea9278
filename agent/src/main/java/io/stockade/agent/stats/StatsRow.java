package io.stockade.agent.stats;

import io.stockade.compiler.Counters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a vnic's statistics: direction, verdict ({@code accept} or {@code drop}), drop
 * reason ({@code ""} for accepts) and the count. Drops of one reason counted in both tables add
 * up; accepted packets of a direction are those that passed its L2 checks less those the inet
 * table dropped after them.
 */
public record StatsRow(String vnic, String direction, String verdict, String reason, Count count) {

    /** The rows of the given vnics from a snapshot of the host's named counters (missing counters count zero). */
    public static List<StatsRow> of(List<String> vnicIds, Map<String, Count> counters) {
        List<StatsRow> rows = new ArrayList<>();
        for (String v : vnicIds) {
            for (String dir : List.of(Counters.EGRESS, Counters.INGRESS)) {
                Count pass = Count.ZERO;
                Count judgedLater = Count.ZERO;
                Map<Counters.Reason, Count> drops = new LinkedHashMap<>();
                for (Counters.Counter c : Counters.of(v)) {
                    if (!c.direction().equals(dir)) {
                        continue;
                    }
                    Count n = counters.getOrDefault(c.name(), Count.ZERO);
                    if (c.reason() == null) {
                        pass = n;
                    } else {
                        judgedLater = c.family().equals("inet") ? judgedLater.plus(n) : judgedLater;
                        drops.merge(c.reason(), n, Count::plus);
                    }
                }
                rows.add(new StatsRow(v, dir, "accept", "", pass.minus(judgedLater)));
                drops.forEach((reason, n) -> rows.add(new StatsRow(v, dir, "drop", reason.wire(), n)));
            }
        }
        return rows;
    }
}
