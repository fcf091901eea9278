package io.stockade.core.eval;

import java.util.List;

/**
 * The evaluator's answer: allowed or not, why, which group and rule decided (null when none),
 * and the trace of every check on the way, each naming the profile knob, group or rule it read.
 */
public record Verdict(boolean allowed, Reason reason, String groupId, String ruleId, List<String> trace) {
    public Verdict {
        trace = List.copyOf(trace);
    }
}
