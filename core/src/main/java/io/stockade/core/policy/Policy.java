package io.stockade.core.policy;

import io.stockade.core.model.Direction;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs on which the seeds (Wakame-vdc, OpenStack, CloudStack, VPS panels) disagree. A
 * deployment picks a profile and may override any knob; evaluator, compiler and API read the
 * same record.
 *
 * @param isolation unconnected vnics see nothing of each other (not even ARP); vnics that
 *     share a group have full access to each other
 * @param ingressDefault what happens to ingress no rule allows
 * @param egressDefault what happens to egress no rule allows
 * @param noGroup what a vnic in no group may do
 * @param defaultGroup every project gets a group named {@code default}
 * @param newGroupEgressRules new groups start with allow-all egress rules for IPv4 and IPv6
 * @param maxGroupsPerVnic how many groups one vnic may have
 * @param smtpBlock egress to tcp port 25 is dropped unless the project has SMTP enabled
 * @param dhcpDnsAllowed DHCP and DNS with the network's own servers always pass
 * @param groupDeletion what deleting a group in use does
 * @param dropInvalid a stateful direction that filters drops what connection tracking finds
 *     invalid (a packet of no flow that opens none) before any rule can allow it, as Neutron's
 *     firewalls do; without it, rules judge such a packet as new (Wakame-vdc's
 *     {@code icmp:3,0,...} lets unsolicited unreachables in)
 */
public record Policy(
        String profile,
        boolean isolation,
        Default ingressDefault,
        Default egressDefault,
        NoGroup noGroup,
        boolean defaultGroup,
        boolean newGroupEgressRules,
        int maxGroupsPerVnic,
        boolean smtpBlock,
        boolean dhcpDnsAllowed,
        GroupDeletion groupDeletion,
        boolean dropInvalid) {

    /** The default of one direction. */
    public Default defaultFor(Direction d) {
        return d == Direction.EGRESS ? egressDefault : ingressDefault;
    }

    /** Whether a vnic in no group has this direction's traffic allowed. */
    public boolean noGroupAllows(Direction d) {
        return noGroup == NoGroup.ALLOW_ALL || (d == Direction.EGRESS && noGroup == NoGroup.DROP_INGRESS);
    }

    /** Whether traffic of this direction that no rule of these (one or more) groups allows is dropped. */
    public boolean dropsUnmatched(Direction d, List<SecurityGroup> groups) {
        return switch (defaultFor(d)) {
            case ALLOW -> false;
            case DROP -> true;
            case DROP_IF_RULES -> groups.stream().anyMatch(g -> g.hasRules(d));
        };
    }

    /**
     * Whether a vnic in these groups (none, one or more) has anything dropped in this direction:
     * the no-group policy for a vnic in no group, else {@link #dropsUnmatched}.
     */
    public boolean filters(Direction d, List<SecurityGroup> groups) {
        return groups.isEmpty() ? !noGroupAllows(d) : dropsUnmatched(d, groups);
    }

    /** What a direction does with traffic that no rule allows. */
    public enum Default {
        /** Dropped. */
        DROP,
        /** Allowed. */
        ALLOW,
        /** Allowed until one of the vnic's groups has a rule for that direction, then dropped. */
        DROP_IF_RULES
    }

    /** What a vnic in no group may do. */
    public enum NoGroup {
        DROP_INGRESS,
        DROP_ALL,
        ALLOW_ALL
    }

    /** Deleting a group that vnics use or rules reference. */
    public enum GroupDeletion {
        /** Refused (409), naming the vnics and referencing groups. */
        REFUSE,
        /** The group is detached from its vnics and the referencing rules are removed, in one revision. */
        DETACH,
        /**
         * Refused (409) while vnics use it; rules of other groups that reference it are removed with it,
         * in one revision (Neutron: its rules' {@code remote_group_id} cascades on delete).
         */
        CASCADE_RULES
    }

    public static final String WAKAME = "wakame";
    public static final String OPENSTACK = "openstack";
    public static final String CLOUDSTACK = "cloudstack";
    public static final String VPS_PANEL = "vps-panel";

    public Policy {
        if (maxGroupsPerVnic < 1 || maxGroupsPerVnic > 64) {
            throw new ValidationException("maxGroupsPerVnic", "must be 1..64, got " + maxGroupsPerVnic);
        }
    }

    public static Policy wakame() {
        return profile(WAKAME);
    }

    /** One of the four presets. */
    public static Policy profile(String name) {
        String n = name == null ? WAKAME : name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case WAKAME -> new Policy(WAKAME, true, Default.DROP, Default.ALLOW, NoGroup.DROP_INGRESS,
                    false, false, 16, false, true, GroupDeletion.REFUSE, false);
            case OPENSTACK -> new Policy(OPENSTACK, false, Default.DROP, Default.DROP, NoGroup.DROP_ALL,
                    true, true, 16, false, true, GroupDeletion.CASCADE_RULES, true);
            case CLOUDSTACK -> new Policy(CLOUDSTACK, false, Default.DROP, Default.DROP_IF_RULES, NoGroup.DROP_INGRESS,
                    true, false, 16, false, true, GroupDeletion.REFUSE, false);
            case VPS_PANEL -> new Policy(VPS_PANEL, false, Default.DROP_IF_RULES, Default.DROP_IF_RULES, NoGroup.ALLOW_ALL,
                    false, false, 10, true, true, GroupDeletion.DETACH, false);
            default -> throw new ValidationException("policy.profile",
                    "unknown profile '" + name + "' (expected wakame, openstack, cloudstack or vps-panel)");
        };
    }

    /** The knob names accepted by {@link #with(String, String)}, in the order of the record. */
    public static final java.util.List<String> KNOBS = java.util.List.of(
            "isolation", "ingressDefault", "egressDefault", "noGroup", "defaultGroup", "newGroupEgressRules",
            "maxGroupsPerVnic", "smtpBlock", "dhcpDnsAllowed", "groupDeletion", "dropInvalid");

    /** This policy with one knob overridden, from configuration text. */
    public Policy with(String knob, String value) {
        String field = "policy." + knob;
        return switch (knob) {
            case "isolation" -> new Policy(profile, bool(value, field), ingressDefault, egressDefault, noGroup, defaultGroup, newGroupEgressRules, maxGroupsPerVnic, smtpBlock, dhcpDnsAllowed, groupDeletion, dropInvalid);
            case "ingressDefault" -> new Policy(profile, isolation, enumValue(Default.class, value, field), egressDefault, noGroup, defaultGroup, newGroupEgressRules, maxGroupsPerVnic, smtpBlock, dhcpDnsAllowed, groupDeletion, dropInvalid);
            case "egressDefault" -> new Policy(profile, isolation, ingressDefault, enumValue(Default.class, value, field), noGroup, defaultGroup, newGroupEgressRules, maxGroupsPerVnic, smtpBlock, dhcpDnsAllowed, groupDeletion, dropInvalid);
            case "noGroup" -> new Policy(profile, isolation, ingressDefault, egressDefault, enumValue(NoGroup.class, value, field), defaultGroup, newGroupEgressRules, maxGroupsPerVnic, smtpBlock, dhcpDnsAllowed, groupDeletion, dropInvalid);
            case "defaultGroup" -> new Policy(profile, isolation, ingressDefault, egressDefault, noGroup, bool(value, field), newGroupEgressRules, maxGroupsPerVnic, smtpBlock, dhcpDnsAllowed, groupDeletion, dropInvalid);
            case "newGroupEgressRules" -> new Policy(profile, isolation, ingressDefault, egressDefault, noGroup, defaultGroup, bool(value, field), maxGroupsPerVnic, smtpBlock, dhcpDnsAllowed, groupDeletion, dropInvalid);
            case "maxGroupsPerVnic" -> new Policy(profile, isolation, ingressDefault, egressDefault, noGroup, defaultGroup, newGroupEgressRules, integer(value, field), smtpBlock, dhcpDnsAllowed, groupDeletion, dropInvalid);
            case "smtpBlock" -> new Policy(profile, isolation, ingressDefault, egressDefault, noGroup, defaultGroup, newGroupEgressRules, maxGroupsPerVnic, bool(value, field), dhcpDnsAllowed, groupDeletion, dropInvalid);
            case "dhcpDnsAllowed" -> new Policy(profile, isolation, ingressDefault, egressDefault, noGroup, defaultGroup, newGroupEgressRules, maxGroupsPerVnic, smtpBlock, bool(value, field), groupDeletion, dropInvalid);
            case "groupDeletion" -> new Policy(profile, isolation, ingressDefault, egressDefault, noGroup, defaultGroup, newGroupEgressRules, maxGroupsPerVnic, smtpBlock, dhcpDnsAllowed, enumValue(GroupDeletion.class, value, field), dropInvalid);
            case "dropInvalid" -> new Policy(profile, isolation, ingressDefault, egressDefault, noGroup, defaultGroup, newGroupEgressRules, maxGroupsPerVnic, smtpBlock, dhcpDnsAllowed, groupDeletion, bool(value, field));
            default -> throw new ValidationException(field, "unknown knob '" + knob + "' (expected one of " + KNOBS + ")");
        };
    }

    /** A profile with overrides applied in order. */
    public static Policy of(String profileName, Map<String, String> overrides) {
        Policy p = profile(profileName);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            p = p.with(e.getKey(), e.getValue());
        }
        return p;
    }

    /** The knobs as text, for display and for {@code GET /v1/policy}. */
    public Map<String, String> knobs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("profile", profile);
        m.put("isolation", Boolean.toString(isolation));
        m.put("ingressDefault", wire(ingressDefault));
        m.put("egressDefault", wire(egressDefault));
        m.put("noGroup", wire(noGroup));
        m.put("defaultGroup", Boolean.toString(defaultGroup));
        m.put("newGroupEgressRules", Boolean.toString(newGroupEgressRules));
        m.put("maxGroupsPerVnic", Integer.toString(maxGroupsPerVnic));
        m.put("smtpBlock", Boolean.toString(smtpBlock));
        m.put("dhcpDnsAllowed", Boolean.toString(dhcpDnsAllowed));
        m.put("groupDeletion", wire(groupDeletion));
        m.put("dropInvalid", Boolean.toString(dropInvalid));
        return m;
    }

    public static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static boolean bool(String value, String field) {
        if ("true".equalsIgnoreCase(value) || "yes".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value) || "no".equalsIgnoreCase(value)) {
            return false;
        }
        throw new ValidationException(field, "must be true or false, got '" + value + "'");
    }

    private static int integer(String value, String field) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ValidationException(field, "must be a whole number, got '" + value + "'");
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
        for (E e : type.getEnumConstants()) {
            if (wire(e).equalsIgnoreCase(value == null ? "" : value.strip())) {
                return e;
            }
        }
        java.util.List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(Policy::wire).toList();
        throw new ValidationException(field, "must be one of " + names + ", got '" + value + "'");
    }
}
