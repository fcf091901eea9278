package io.stockade.core.model;

import io.stockade.core.net.IpVersion;
import java.util.Objects;

/**
 * One rule of a security group. Two rules are duplicates when they have the same
 * {@link #key()}: direction, ethertype, match and remote. {@code asGiven} (null for rules not
 * made through Neutron) keeps the protocol and remote prefix as the caller spelled them, which
 * Neutron shows on every read; it takes no part in the rule's meaning.
 */
public record Rule(String id, Direction direction, IpVersion ethertype, Match match, Remote remote, String description, AsGiven asGiven) {
    public Rule {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(ethertype, "ethertype");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(remote, "remote");
        description = Names.description(description, "description");
        if (remote instanceof Remote.CidrRemote c && c.cidr().version() != ethertype) {
            throw new ValidationException("ethertype", "ethertype " + ethertype.ethertype() + " does not match the remote " + c.cidr() + " (" + c.cidr().version().ethertype() + ")");
        }
    }

    /** A rule without an as-given spelling. */
    public Rule(String id, Direction direction, IpVersion ethertype, Match match, Remote remote, String description) {
        this(id, direction, ethertype, match, remote, description, null);
    }

    public Rule withId(String newId) {
        return new Rule(newId, direction, ethertype, match, remote, description, asGiven);
    }

    public Rule withAsGiven(AsGiven spelling) {
        return new Rule(id, direction, ethertype, match, remote, description, spelling);
    }

    /**
     * A Neutron rule's protocol and {@code remote_ip_prefix} as given: the protocol in lower case
     * or the number's text ({@code "58"}, {@code "icmpv6"}), null when none was given; the prefix
     * with its host bits ({@code "192.0.2.7/24"}), null when omitted.
     */
    public record AsGiven(String protocol, String remoteIpPrefix) {}

    public Key key() {
        return new Key(direction, ethertype, match, remote);
    }

    /** What makes a rule a duplicate of another. */
    public record Key(Direction direction, IpVersion ethertype, Match match, Remote remote) {}
}
