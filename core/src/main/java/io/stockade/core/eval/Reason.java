package io.stockade.core.eval;

/** Why a packet was dropped or allowed; drop reasons are also the counters' labels. */
public enum Reason {
    /** Allowed by a rule of a group. */
    RULE,
    /** Allowed: both vnics share a group (isolating profiles). */
    SAME_GROUP,
    /** Allowed: reply or continuation of an allowed flow. */
    ESTABLISHED,
    /** Allowed: the direction's default, the no-group policy, or infrastructure (DHCP, DNS, ARP, ND). */
    DEFAULT_ALLOW,
    /** Allowed: the network is not filtered, or the vnic has port security off. */
    UNFILTERED,
    /** Dropped: the vnics are not connected (isolation). */
    ISOLATION,
    /** Dropped: no rule allows it. */
    NO_RULE,
    /** Dropped: source MAC or address not the vnic's own, or a DHCP server / router advertisement from a vnic. */
    ANTI_SPOOFING,
    /** Dropped: the port is neither a programmed vnic nor an uplink. */
    UNKNOWN_PORT,
    /** Dropped: the vnic is in no group and the profile drops that direction. */
    NO_GROUP,
    /** Dropped: SMTP (tcp 25) egress blocked by the profile. */
    SMTP_BLOCKED,
    /** Dropped: connection tracking found the packet invalid, and a stateful direction that filters met it. */
    INVALID;

    public boolean allows() {
        return ordinal() <= UNFILTERED.ordinal();
    }
}
