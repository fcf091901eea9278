package io.stockade.server.command;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Rule;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.IpVersion;

/**
 * A rule as a request gives it, read but not yet resolved: its remote group or ip set is a token
 * (id or name) to resolve in the world, and the ethertype may follow from that remote.
 */
public sealed interface RuleSpec {
    /** The request's description of the rule, or null. */
    String description();

    /**
     * A rule by its fields. {@code ethertype} null: the remote's family, else IPv4; {@code
     * protocol} an IP protocol number, -1 for any; {@code from}/{@code to} the port range, or for
     * icmp the type and code (null: any); {@code remote} null when the request gave none; {@code
     * asGiven} how a Neutron caller spelled the protocol and prefix (shown back as given), or null.
     */
    record Fields(Direction direction, IpVersion ethertype, int protocol, Integer from, Integer to, Remote remote, String description,
            Rule.AsGiven asGiven) implements RuleSpec {}

    /** A rule as one line of rule text (its group and ip-set names resolved as the group's project sees them). */
    record Line(String text, String description) implements RuleSpec {}

    /** Where a rule's traffic comes from (or goes to): an address range, or a group or ip set named by a token. */
    sealed interface Remote {
        record Range(Cidr cidr) implements Remote {}

        record Group(String token) implements Remote {}

        record IpSet(String token) implements Remote {}
    }
}
