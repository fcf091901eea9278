package io.stockade.server.command;

import java.util.List;

/** Writes to security groups and their rules. Groups are named by a token: an id, a unique name or a Neutron UUID. */
public sealed interface GroupCommand extends Command {
    /**
     * A new group: {@code id} the one asked for (null: a fresh one), {@code project} a token
     * (null: the caller's own), and its first rules.
     */
    record CreateGroup(String id, String name, String description, String project, boolean stateful, boolean global, boolean logDrops,
            InitialRules rules) implements GroupCommand {}

    /** Several groups in one revision, all or none, each judged with the ones before it made (Neutron's bulk create). */
    record CreateGroups(List<CreateGroup> groups) implements GroupCommand {
        public CreateGroups {
            groups = List.copyOf(groups);
        }
    }

    /** Changes of a group's own fields. */
    record UpdateGroup(String group, Patch<String> name, Patch<String> description, Patch<Boolean> stateful, Patch<Boolean> logDrops)
            implements GroupCommand {}

    /** Deletes a group (in use: refused, detached or its referencing rules removed, per profile). */
    record DeleteGroup(String group) implements GroupCommand {}

    /** Adds rules (to one group or several) in one revision, all or none, each judged with the ones before it added. */
    record AddRules(List<NewRule> rules) implements GroupCommand {
        public AddRules {
            rules = List.copyOf(rules);
        }
    }

    /**
     * One rule to add to a group. {@code project}: the project the request says the rule is of
     * (Neutron's {@code project_id}), which must be the group's; null when it says none.
     */
    record NewRule(String group, RuleSpec rule, String project) {}

    /** Removes one rule of a group, by the rule's id. */
    record DeleteRule(String group, String ruleId) implements GroupCommand {}

    /** Replaces all rules of a group with rule text, atomically. */
    record ReplaceRules(String group, String text) implements GroupCommand {}

    /** The rules a new group starts with. */
    sealed interface InitialRules {
        /** None given: the profile's start (Neutron's allow-all egress, or nothing). */
        record ProfileDefault() implements InitialRules {}

        /** Rules given one by one. */
        record Given(List<RuleSpec> rules) implements InitialRules {
            public Given {
                rules = List.copyOf(rules);
            }
        }

        /** Rules given as rule text. */
        record Text(String text) implements InitialRules {}
    }
}
