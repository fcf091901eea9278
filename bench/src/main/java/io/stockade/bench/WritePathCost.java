package io.stockade.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockade.core.model.SliceDiff;
import io.stockade.core.model.SliceIndex;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.policy.Policy;
import io.stockade.store.Change;
import io.stockade.wire.WatchAnswers;
import io.stockade.wire.WatchHub;
import io.stockade.wire.WorldJson;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The CPU of three parts of one membership change in {@link ScaleBenchmark}'s world of V vnics,
 * on one thread, without the store or threads: the world after the change ({@code World.apply}),
 * the hosts' slice diffs ({@code SliceIndex.advance}, every host watched) and their watch answers
 * ({@link WatchAnswers}, each host's as text). Each part is timed in this thread's CPU time, and
 * the best of 24 rounds of 500 changes is printed (after 6 rounds of warm-up): a figure that a
 * machine shared with other work disturbs far less than {@link ScaleBenchmark}'s rates.
 * Usage: {@code java -Xmx4g -cp bench/target/benchmarks.jar io.stockade.bench.WritePathCost VNICS}.
 */
public final class WritePathCost {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private WritePathCost() {}

    public static void main(String[] args) throws Exception {
        int vnics = Integer.parseInt(args[0]);
        ObjectMapper mapper = new ObjectMapper();
        WorldJson json = new WorldJson(mapper);
        World.Builder b = World.builder().policy(Policy.wakame());
        for (Change c : ScaleBenchmark.world(vnics)) {
            JsonNode n = mapper.readTree(c.body());
            switch (c.kind()) {
                case "project" -> b.project(json.readProject(n));
                case "network" -> b.network(json.readNetwork(n));
                case "host" -> b.host(json.readHost(n));
                case "group" -> b.group(json.readGroup(n));
                case "instance" -> b.instance(json.readInstance(n));
                case "vnic" -> b.vnic(json.readVnic(n));
                default -> throw new IllegalStateException("not in the benchmark's world: " + c.kind());
            }
        }
        World w = b.build();
        SliceIndex index = new SliceIndex(w);
        WatchAnswers answers = new WatchAnswers(mapper, json);
        int groups = Math.min(ScaleBenchmark.GROUPS, vnics / 10);
        Random r = new Random(1);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        long hosts = 0;
        int changes = 500;
        for (int round = 0; round < 30; round++) {
            long[] cpu = new long[3];
            for (int i = 0; i < changes; i++) {
                Vnic v = w.vnics().get("vif-" + r.nextInt(vnics));
                WorldChange change = WorldChange.builder().vnic(v.withGroups(List.of("sg-" + r.nextInt(groups)))).build();
                long t0 = THREADS.getCurrentThreadCpuTime();
                World next = w.apply(change).atRevision(w.revision() + 1);
                long t1 = THREADS.getCurrentThreadCpuTime();
                Map<String, SliceDiff> diffs = index.advance(w, next, change, h -> true);
                long t2 = THREADS.getCurrentThreadCpuTime();
                for (Map.Entry<String, SliceDiff> e : diffs.entrySet()) {
                    answers.text(new WatchHub.Update(e.getKey(), next.revision(), null, e.getValue()));
                }
                long t3 = THREADS.getCurrentThreadCpuTime();
                cpu[0] += t1 - t0;
                cpu[1] += t2 - t1;
                cpu[2] += t3 - t2;
                hosts += diffs.size();
                w = next;
            }
            if (round >= 6) {
                for (int k = 0; k < 3; k++) {
                    best[k] = Math.min(best[k], cpu[k] / 1e3 / changes);
                }
            }
        }
        System.out.printf("| %,d | %.1f | %.1f µs | %.1f µs | %.1f µs |%n", vnics, hosts / (30.0 * changes), best[0], best[1], best[2]);
    }
}
