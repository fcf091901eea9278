package io.stockade.core.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A security group: a set of rules (order has no meaning) that vnics attach. A global group is
 * owned by an admin and may be attached by every project. {@code logDrops} asks the hosts of its
 * members to log the packets their firewalls drop.
 */
public record SecurityGroup(
        String id, String projectId, String name, String description, boolean stateful, boolean global, List<Rule> rules, boolean logDrops) {

    public SecurityGroup {
        Ids.require(Ids.GROUP, id, "id");
        Ids.require(Ids.PROJECT, projectId, "project");
        Names.requireName(name, "name");
        description = Names.description(description, "description");
        rules = List.copyOf(rules);
        requireNoDuplicates(rules);
    }

    /** A group that does not log its members' drops. */
    public SecurityGroup(String id, String projectId, String name, String description, boolean stateful, boolean global, List<Rule> rules) {
        this(id, projectId, name, description, stateful, global, rules, false);
    }

    /** Rejects a rule list in which two rules have the same meaning, naming the second. */
    public static void requireNoDuplicates(List<Rule> rules) {
        Map<Rule.Key, Integer> seen = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            Integer first = seen.putIfAbsent(rules.get(i).key(), i);
            if (first != null) {
                throw new ValidationException("rules[" + i + "]", "duplicate rule: the same as rules[" + first + "]");
            }
        }
    }

    public SecurityGroup withRules(List<Rule> newRules) {
        return new SecurityGroup(id, projectId, name, description, stateful, global, newRules, logDrops);
    }

    public SecurityGroup withLogDrops(boolean on) {
        return new SecurityGroup(id, projectId, name, description, stateful, global, rules, on);
    }

    public boolean hasRules(Direction direction) {
        return rules.stream().anyMatch(r -> r.direction() == direction);
    }
}
