package io.stockade.compiler;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules of one direction of one security group as set elements: per IP version, a
 * concatenated interval set for port rules ({@code addr . proto . port}), one for ICMP
 * ({@code addr . type . code}) and one for whole protocols ({@code addr . proto}); per referenced
 * group or ip set the same three without the address, looked up after the shared address set
 * matched. The sets belong to the group, so every vnic of the group shares them: a vnic's chain
 * holds a fixed number of lookups per group whatever the number of rules, and a membership change
 * touches no rule set.
 */
final class RuleSets {
    private static final String[] FAMILY = {"ip", "ip6"};
    /** The scope of rules from any address (0.0.0.0/0, ::/0): their sets hold no address. */
    private static final String ANY = "any";

    /** The sets and the lookup lines of one direction, and the address sets the lines name. */
    record Compiled(List<String> lines, List<NftSet> sets, List<AddressSet> addressSets) {}

    /** A named address set a rule line refers to: a referenced group's members or an ip set's entries. */
    sealed interface AddressSet {
        String name();

        record Reference(String groupId, IpVersion version) implements AddressSet {
            public String name() {
                return NftNames.of("ref", groupId, version == IpVersion.V4 ? "v4" : "v6");
            }
        }

        record Entries(String ipSetId) implements AddressSet {
            public String name() {
                return NftNames.of("ips", ipSetId);
            }
        }
    }

    private final String prefix;
    private final Direction direction;
    private final Map<String, IpVersion> ipSetVersions;
    /** Boxes per key: "4" or "6" for CIDR rules, or "4:<address set name>" for named remotes; then kind p/i/a. */
    private final Map<String, List<Boxes.Box>> boxes = new TreeMap<>();
    private final Map<String, AddressSet> named = new TreeMap<>();
    private final Map<String, List<Boxes.Box>> disjoint = new java.util.HashMap<>();

    /** {@code ipSetVersions}: the version of every ip set the rules may use (a missing one matches nothing). */
    private RuleSets(String prefix, Direction direction, Map<String, IpVersion> ipSetVersions) {
        this.prefix = prefix;
        this.direction = direction;
        this.ipSetVersions = ipSetVersions;
    }

    /** The group's rules of one direction; set names start with {@code prefix}. */
    static Compiled of(String prefix, Direction direction, List<Rule> rules, Map<String, IpVersion> ipSetVersions) {
        RuleSets s = new RuleSets(prefix, direction, ipSetVersions);
        for (Rule r : rules) {
            if (r.direction() == direction) {
                s.add(r);
            }
        }
        return new Compiled(s.lines(), s.sets(), List.copyOf(s.named.values()));
    }

    private void add(Rule r) {
        String fam = r.ethertype() == IpVersion.V4 ? "4" : "6";
        Cidr cidr = null;
        String scope = fam;
        AddressSet set = switch (r.remote()) {
            case Remote.CidrRemote c -> {
                // From anywhere: no address to match, and the set may then be a hash (see sets()).
                if (c.cidr().isAny()) {
                    scope = fam + ":" + ANY;
                } else {
                    cidr = c.cidr();
                }
                yield null;
            }
            case Remote.GroupRemote g -> new AddressSet.Reference(g.groupId(), r.ethertype());
            case Remote.IpSetRemote s -> ipSetVersions.get(s.ipSetId()) == r.ethertype() ? new AddressSet.Entries(s.ipSetId()) : null;
        };
        if (r.remote() instanceof Remote.IpSetRemote && set == null) {
            return;
        }
        if (set != null) {
            named.put(set.name(), set);
            scope = fam + ":" + set.name();
        }
        switch (r.match()) {
            case Match.Ports p -> put(scope + "/p", new Boxes.Box(cidr, new long[] {p.protocol(), p.from()}, new long[] {p.protocol(), p.to()}));
            case Match.Icmp i -> put(scope + "/i", new Boxes.Box(cidr, new long[] {lo(i.type()), lo(i.code())}, new long[] {hi(i.type()), hi(i.code())}));
            case Match.Protocol p -> put(scope + "/a", new Boxes.Box(cidr, new long[] {p.number()}, new long[] {p.number()}));
            case Match.AnyProtocol a -> put(scope + "/a", new Boxes.Box(cidr, new long[] {0}, new long[] {255}));
        }
    }

    private void put(String key, Boxes.Box b) {
        boxes.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
    }

    private static long lo(int anyOr) {
        return anyOr < 0 ? 0 : anyOr;
    }

    private static long hi(int anyOr) {
        return anyOr < 0 ? 255 : anyOr;
    }

    /**
     * A set's name: the group's prefix, the version and kind, the named remote if any, and an
     * {@code x} for a set of exact elements (a hash in the kernel, not an interval set; a set that
     * changes flavour changes its name, so a delta adds the one and deletes the other).
     */
    private String setName(String key) {
        String[] scopeKind = key.split("/");
        String[] famNamed = scopeKind[0].split(":");
        String kind = famNamed[0] + scopeKind[1] + (exact(key) ? "x" : "");
        return famNamed.length == 1 ? NftNames.of(prefix, kind) : NftNames.of(prefix, kind, famNamed[1]);
    }

    /**
     * The lookup lines: one per non-empty set, lookups in hash sets first (they cost a fraction of
     * an interval lookup, and every line only allows, so their order does not change a verdict).
     */
    private List<String> lines() {
        List<String> hashes = new ArrayList<>();
        List<String> intervals = new ArrayList<>();
        String addr = direction == Direction.INGRESS ? "saddr" : "daddr";
        for (String key : boxes.keySet()) {
            String[] scopeKind = key.split("/");
            String[] famNamed = scopeKind[0].split(":");
            boolean v4 = famNamed[0].equals("4");
            String family = v4 ? FAMILY[0] : FAMILY[1];
            String l4 = switch (scopeKind[1]) {
                case "p" -> "meta l4proto . th dport";
                case "i" -> v4 ? "icmp type . icmp code" : "icmpv6 type . icmpv6 code";
                default -> "meta l4proto";
            };
            String lookup = l4 + " @" + setName(key) + " return";
            String line;
            if (famNamed.length == 1) {
                line = family + " " + addr + " . " + lookup;
            } else if (famNamed[1].equals(ANY)) {
                line = "meta nfproto " + (v4 ? "ipv4 " : "ipv6 ") + lookup;
            } else {
                line = family + " " + addr + " @" + famNamed[1] + " " + lookup;
            }
            (exact(key) ? hashes : intervals).add(line);
        }
        hashes.addAll(intervals);
        return hashes;
    }

    /** Whether every element of the key's set is one value in every field (no CIDR, no range). */
    private boolean exact(String key) {
        return disjoint(key).stream().allMatch(RuleSets::exact);
    }

    private List<Boxes.Box> disjoint(String key) {
        return disjoint.computeIfAbsent(key, k -> Boxes.disjoint(boxes.get(k)));
    }

    private static boolean exact(Boxes.Box b) {
        return (b.cidr() == null || b.cidr().isHost()) && java.util.Arrays.equals(b.lo(), b.hi());
    }

    private List<NftSet> sets() {
        List<NftSet> out = new ArrayList<>();
        for (Map.Entry<String, List<Boxes.Box>> e : boxes.entrySet()) {
            String[] scopeKind = e.getKey().split("/");
            String[] famNamed = scopeKind[0].split(":");
            boolean v4 = famNamed[0].equals("4");
            boolean withAddress = famNamed.length == 1;
            String type = switch (scopeKind[1]) {
                case "p" -> "inet_proto . inet_service";
                case "i" -> v4 ? "icmp_type . icmp_code" : "icmpv6_type . icmpv6_code";
                default -> "inet_proto";
            };
            if (withAddress) {
                type = (v4 ? "ipv4_addr" : "ipv6_addr") + " . " + type;
            }
            List<String> elements = new ArrayList<>();
            for (Boxes.Box b : disjoint(e.getKey())) {
                StringBuilder sb = new StringBuilder();
                if (b.cidr() != null) {
                    sb.append(address(b.cidr())).append(" . ");
                }
                for (int i = 0; i < b.lo().length; i++) {
                    if (i > 0) {
                        sb.append(" . ");
                    }
                    sb.append(b.lo()[i] == b.hi()[i] ? Long.toString(b.lo()[i]) : b.lo()[i] + "-" + b.hi()[i]);
                }
                elements.add(sb.toString());
            }
            out.add(new NftSet(setName(e.getKey()), type, !exact(e.getKey()), elements));
        }
        return out;
    }

    static String address(Cidr c) {
        return c.isHost() ? Ip.format(c.network()) : c.toString();
    }
}
