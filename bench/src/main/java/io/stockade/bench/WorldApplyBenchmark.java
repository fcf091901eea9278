package io.stockade.bench;

import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Instance;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.model.WorldChange;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.MacAddress;
import io.stockade.core.policy.Policy;
import java.util.List;
import java.util.Random;

/**
 * What one membership change costs the controller's world ({@link World#apply}): V vnics over
 * 1,000 hosts, 100 networks and V/10 groups (at most 10,000), as in {@link ScaleBenchmark};
 * 20,000 random membership changes applied one after another, five rounds, each round's time
 * per change printed (the first rounds warm the JIT up).
 * Usage: {@code java -Xmx4g -cp bench/target/benchmarks.jar io.stockade.bench.WorldApplyBenchmark VNICS}.
 */
public final class WorldApplyBenchmark {
    private WorldApplyBenchmark() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int groups = Math.min(ScaleBenchmark.GROUPS, n / 10);
        World.Builder b = World.builder().policy(Policy.wakame()).project(new Project("p-bench", "bench", false));
        for (int h = 0; h < ScaleBenchmark.HOSTS; h++) {
            b.host(new Host("h-" + h, "hv" + h, "br0", List.of()));
        }
        for (int net = 0; net < ScaleBenchmark.NETWORKS; net++) {
            b.network(new Network("net-" + net, "net" + net, List.of(Cidr.parse("10." + net + ".0.0/16", "subnets")), List.of(), List.of(),
                    List.of(), List.of(), FirewallMode.SECURITY_GROUPS));
        }
        for (int g = 0; g < groups; g++) {
            b.group(new SecurityGroup("sg-" + g, "p-bench", "g" + g, "", true, false, List.of()));
        }
        for (int i = 0; i < n; i++) {
            int host = i % ScaleBenchmark.HOSTS;
            b.instance(new Instance("i-" + i, "p-bench", "vm" + i));
            b.vnic(new Vnic("vif-" + i, "p-bench", "", "i-" + i, "h-" + host, "tap" + i,
                    MacAddress.parse(String.format("52:54:%02x:%02x:%02x:%02x", (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255), "mac"),
                    List.of(), "net-" + host % ScaleBenchmark.NETWORKS, List.of("sg-" + (i / 10) % groups), true));
        }
        World w = b.build();
        Random r = new Random(1);
        int changes = 20_000;
        for (int round = 1; round <= 5; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                Vnic v = w.vnics().get("vif-" + r.nextInt(n));
                w = w.apply(WorldChange.builder().vnic(v.withGroups(List.of("sg-" + r.nextInt(groups)))).build());
            }
            System.out.printf("%,d vnics, round %d: %.1f µs per membership change%n", n, round, (System.nanoTime() - t) / 1e3 / changes);
        }
    }
}
