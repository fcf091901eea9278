package io.stockade.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;
import io.stockade.server.command.GroupCommand.AddRules;
import io.stockade.server.command.GroupCommand.CreateGroup;
import io.stockade.server.command.GroupCommand.InitialRules;
import io.stockade.server.command.GroupCommand.NewRule;
import io.stockade.server.command.GroupCommand.UpdateGroup;
import io.stockade.server.command.Patch;
import io.stockade.server.command.RuleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code /v1} requests on security groups and rules read as commands: fields of the wrong type
 * or unknown are 400s naming the field, values the model cannot take are 422s; what needs the
 * world is left to {@link GroupOps}.
 */
final class GroupRequests {
    static final Set<String> GROUP_FIELDS = Set.of("id", "name", "description", "project", "stateful", "global", "rules", "rulesText",
            "logDrops");
    static final Set<String> RULE_FIELDS = Set.of("direction", "ethertype", "protocol", "portRangeMin", "portRangeMax", "icmpType",
            "icmpCode", "remoteIpPrefix", "remoteGroup", "remoteIpSet", "description", "text");

    private GroupRequests() {}

    /** A new group; each of its {@code rules} may have the fields {@code ruleFields}. */
    static CreateGroup create(Body b, Set<String> ruleFields) {
        String name = b.string("name", true);
        String project = b.string("project", false);
        boolean global = Boolean.TRUE.equals(b.bool("global"));
        return new CreateGroup(b.string("id", false), name, b.string("description", false), project, !Boolean.FALSE.equals(b.bool("stateful")),
                global, Boolean.TRUE.equals(b.bool("logDrops")), rules(b, ruleFields));
    }

    private static InitialRules rules(Body b, Set<String> ruleFields) {
        if (b.has("rules") && b.has("rulesText")) {
            throw ApiException.invalid("rulesText", "give the rules as rules or as rulesText, not both");
        } else if (b.has("rulesText")) {
            return new InitialRules.Text(b.string("rulesText", false));
        } else if (b.has("rules")) {
            List<RuleSpec> rules = new ArrayList<>();
            List<JsonNode> given = b.objects("rules");
            for (int i = 0; i < given.size(); i++) {
                rules.add(rule(Body.of(given.get(i), "rules[" + i + "].", ruleFields)));
            }
            return new InitialRules.Given(rules);
        }
        return new InitialRules.ProfileDefault();
    }

    static UpdateGroup update(String group, Body b) {
        return new UpdateGroup(group, b.has("name") ? Patch.to(b.string("name", true)) : Patch.keep(),
                b.has("description") ? Patch.to(b.string("description", false)) : Patch.keep(), Patch.unlessNull(b.bool("stateful")),
                Patch.unlessNull(b.bool("logDrops")));
    }

    /** One rule added to a group (a token), from the body of {@code POST /v1/security-groups/{id}/rules}. */
    static AddRules addRule(String group, Body b) {
        return new AddRules(List.of(new NewRule(group, rule(b), null)));
    }

    /** One rule from JSON fields (or a {@code text} line of rule text). */
    static RuleSpec rule(Body b) {
        if (b.node().isEmpty()) {
            throw ApiException.invalid("rule", "an empty rule would allow everything: give its fields or its text");
        }
        if (b.has("text")) {
            return new RuleSpec.Line(b.string("text", true), b.has("description") ? b.string("description", false) : null);
        }
        Direction d = b.has("direction") ? Direction.parse(b.string("direction", false), "direction") : Direction.INGRESS;
        int remotes = (b.has("remoteIpPrefix") ? 1 : 0) + (b.has("remoteGroup") ? 1 : 0) + (b.has("remoteIpSet") ? 1 : 0);
        if (remotes > 1) {
            throw ApiException.invalid("remoteIpPrefix", "a rule has exactly one remote: give one of remoteIpPrefix, remoteGroup, remoteIpSet");
        }
        RuleSpec.Remote remote = b.has("remoteGroup") ? new RuleSpec.Remote.Group(b.string("remoteGroup", true))
                : b.has("remoteIpSet") ? new RuleSpec.Remote.IpSet(b.string("remoteIpSet", true))
                : b.has("remoteIpPrefix") ? new RuleSpec.Remote.Range(Cidr.parse(b.string("remoteIpPrefix", true), "remoteIpPrefix"))
                : null;
        IpVersion v = b.has("ethertype") ? IpVersion.ofEthertype(b.string("ethertype", false), "ethertype") : null;
        int protocol = protocol(b);
        Integer min = b.integer("portRangeMin");
        Integer max = b.integer("portRangeMax");
        if (protocol == Match.ICMP || protocol == Match.ICMPV6) {
            if (min != null || max != null) {
                throw ApiException.invalid("portRangeMin", "icmp rules take icmpType and icmpCode, not ports");
            }
            min = b.integer("icmpType");
            max = b.integer("icmpCode");
        } else if (b.has("icmpType") || b.has("icmpCode")) {
            throw ApiException.invalid("icmpType", "icmpType and icmpCode need protocol icmp or icmpv6");
        }
        return new RuleSpec.Fields(d, v, protocol, min, max, remote, b.string("description", false), null);
    }

    private static int protocol(Body b) {
        JsonNode p = b.node().get("protocol");
        if (p == null || p.isNull()) {
            return -1;
        }
        if (p.isIntegralNumber()) {
            return Match.parseProtocol(Integer.toString(p.asInt()), "protocol");
        }
        return Match.parseProtocol(b.string("protocol", false), "protocol");
    }
}
