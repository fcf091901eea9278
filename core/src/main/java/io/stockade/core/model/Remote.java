package io.stockade.core.model;

import io.stockade.core.net.Cidr;

/** The other end a rule admits: addresses in a CIDR, the members of a group, or an ip set. */
public sealed interface Remote permits Remote.CidrRemote, Remote.GroupRemote, Remote.IpSetRemote {

    record CidrRemote(Cidr cidr) implements Remote {}

    /** Every current address of every vnic in the group (a reference rule). */
    record GroupRemote(String groupId) implements Remote {}

    record IpSetRemote(String ipSetId) implements Remote {}
}
