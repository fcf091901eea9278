package io.stockade.core.model;

import io.stockade.core.net.IpVersion;
import java.util.Objects;

/**
 * One rule of a security group. Two rules are duplicates when they have the same
 * {@link #key()}: direction, ethertype, match and remote.
 */
public record Rule(String id, Direction direction, IpVersion ethertype, Match match, Remote remote, String description) {
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

    public Rule withId(String newId) {
        return new Rule(newId, direction, ethertype, match, remote, description);
    }

    public Key key() {
        return new Key(direction, ethertype, match, remote);
    }

    /** What makes a rule a duplicate of another. */
    public record Key(Direction direction, IpVersion ethertype, Match match, Remote remote) {}
}
