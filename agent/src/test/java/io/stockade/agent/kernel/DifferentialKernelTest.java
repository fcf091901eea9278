package io.stockade.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.FlowState;
import io.stockade.core.eval.Packet;
import io.stockade.core.eval.Verdict;
import io.stockade.core.model.Match;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import io.stockade.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * For random worlds (groups, references, both families, all four profiles) and random packets,
 * among them packets connection tracking finds invalid (TCP without flags, ICMP errors of no
 * flow; and the invalid twin of every allowed new packet), the kernel running the compiled
 * ruleset delivers exactly what the evaluator allows. Worlds follow each other through deltas,
 * so the deltas are proven too; replies and continuations of flows are sent after their opening
 * packet, which must itself be judged as the evaluator judges it.
 */
@RequiresRoot
class DifferentialKernelTest extends KernelFixture {
    private static final long SEED = Long.getLong("stockade.seed", System.nanoTime());
    @Test
    void theKernelDecidesAsTheEvaluator() {
        Random r = new Random(SEED);
        List<String> mismatches = new ArrayList<>();
        World previous = null;
        int checked = 0;
        for (int world = 0; world < 12; world++) {
            World w = RandomWorlds.world(r, RandomWorlds.PROFILES.get(world % RandomWorlds.PROFILES.size()));
            if (previous == null) {
                dataplane.applyFull(w);
            } else {
                dataplane.applyChange(previous, w);
            }
            previous = w;
            net.flushConntrack();
            for (int i = 0; i < 14; i++) {
                Packet p = RandomWorlds.packet(w, r);
                if (p.state() == FlowState.ESTABLISHED || p.state() == FlowState.REPLY) {
                    // Open the flow first (the opening may itself be dropped: then no flow exists).
                    Packet opening = p.state() == FlowState.REPLY ? p.reversed() : p.withState(FlowState.NEW);
                    if (p.state() == FlowState.REPLY && p.isIcmp()) {
                        // An echo reply is the destination kernel's answer to a delivered request.
                        Verdict request = Evaluator.evaluate(w, opening);
                        boolean requestDelivered = net.deliver(w, opening, request.allowed());
                        if (requestDelivered != request.allowed()) {
                            record(mismatches, w, opening, request, requestDelivered, world);
                        }
                        if (!requestDelivered) {
                            continue;
                        }
                        boolean replied = net.deliverReplyOfLastPing(w, p);
                        record(mismatches, w, p, Evaluator.evaluate(w, p), replied, world);
                        checked++;
                        continue;
                    }
                    if (p.protocol() == Match.TCP) {
                        continue;
                    }
                    // The reply must not overtake its opening: wait until an allowed opening has arrived.
                    // An opening the kernel judged otherwise is the mismatch, not the reply that follows it.
                    Verdict open = Evaluator.evaluate(w, opening);
                    boolean opened = net.deliver(w, opening, open.allowed());
                    if (opened != open.allowed()) {
                        record(mismatches, w, opening, open, opened, world);
                        continue;
                    }
                }
                Verdict v = Evaluator.evaluate(w, p);
                record(mismatches, w, p, v, net.deliver(w, p, v.allowed()), world);
                checked++;
                if (v.allowed() && p.state() == FlowState.NEW && p.protocol() != Match.UDP) {
                    // Its invalid twin, where the verdict turns on the profile and the vnics' statefulness.
                    Packet twin = RandomWorlds.invalid(p);
                    Verdict t = Evaluator.evaluate(w, twin);
                    record(mismatches, w, twin, t, net.deliver(w, twin, t.allowed()), world);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(mismatches).as("seed %d: kernel and evaluator disagree", SEED).isEmpty();
    }

    private static void record(List<String> mismatches, World w, Packet p, Verdict v, boolean delivered, int world) {
        if (v.allowed() != delivered) {
            mismatches.add("world " + world + " (" + w.policy().profile() + "): evaluator " + (v.allowed() ? "allows" : "drops") + ", kernel "
                    + (delivered ? "delivered" : "dropped") + ": " + p + "\n  groups " + w.groups().values() + "\n  vnics "
                    + w.vnics().values().stream().map(x -> x.id() + x.securityGroupIds()).toList() + "\n  trace " + v.trace());
        }
    }
}
