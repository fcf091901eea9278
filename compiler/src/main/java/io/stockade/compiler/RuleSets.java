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
 * The rules of one direction of one security group as set elements: per IP version, the port
 * rules ({@code addr . proto . port}), the ICMP rules ({@code addr . type . code}) and the whole
 * protocols ({@code addr . proto}); per referenced group or ip set and for rules from anywhere the
 * same three without the address (a named remote's line matches its shared address set first).
 * Each of those is a few sets (see {@link #parts}): hash sets of single values, one per prefix
 * length, and one interval set for ranges. The sets belong to the group, so every vnic of the
 * group shares them: a vnic's chain holds a bounded number of lookups per group whatever the
 * number of rules, and a membership change touches no rule set.
 */
final class RuleSets {
    private static final String[] FAMILY = {"ip", "ip6"};
    /** The scope of rules from any address (0.0.0.0/0, ::/0): their sets hold no address. */
    private static final String ANY = "any";

    /** The sets and the lookup lines of one direction, and the address sets the lines name. */
    record Compiled(List<NftRule> lines, List<NftSet> sets, List<AddressSet> addressSets) {}

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
    private final Map<String, List<Part>> parts = new java.util.HashMap<>();

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
                // From anywhere: no address to match, so the set may be a hash without a mask (see parts).
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
     * One set of a key. Elements that are one value in every field but the address go to hash
     * sets, one per prefix length, looked up with the address masked to that length (a tuple
     * space, as Open vSwitch's classifier has it): a hash lookup costs a fraction of an interval
     * set's, whose cost also grows with its size. What is left (port ranges, any ICMP type) forms
     * one interval set.
     */
    private record Part(String name, boolean interval, List<Boxes.Box> boxes) {
        /** The netmask this part's lookup applies to the packet's address; null when it holds no address, hosts, or ranges. */
        java.net.InetAddress mask() {
            Cidr c = boxes.get(0).cidr();
            return interval || c == null || c.isHost() ? null : c.netmask();
        }
    }

    /** A key of {@link #boxes} taken apart: the IP version, the named remote (null for CIDR rules) and the kind p, i or a. */
    private record Key(boolean v4, String named, String kind) {
        static Key of(String key) {
            String[] scopeKind = key.split("/");
            String[] famNamed = scopeKind[0].split(":");
            return new Key(famNamed[0].equals("4"), famNamed.length == 1 ? null : famNamed[1], scopeKind[1]);
        }
    }

    /** Hash sets per key at most: each is one more lookup for a packet that reaches its line. */
    static final int MAX_HASH_PARTS = 4;

    /**
     * The sets of a key, hash parts first. Names: the group's prefix, the version and kind, an
     * {@code x} for a hash set (plus {@code m<length>} for a masked one), then the named remote if
     * any. A set that changes flavour changes its name, so a delta adds the new set, points the
     * chain at it, then deletes the old one.
     */
    private List<Part> parts(String k) {
        return parts.computeIfAbsent(k, text -> {
            Key key = Key.of(text);
            String kind = (key.v4() ? "4" : "6") + key.kind();
            java.util.function.Function<String, String> name = x ->
                    key.named() == null ? NftNames.of(prefix, x) : NftNames.of(prefix, x, key.named());
            int full = key.v4() ? 32 : 128;
            // Exact boxes by prefix length, the most populous first (then the longest prefix).
            Map<Integer, List<Boxes.Box>> byLength = new TreeMap<>();
            List<Boxes.Box> rest = new ArrayList<>();
            for (Boxes.Box b : Boxes.disjoint(boxes.get(text))) {
                List<Boxes.Box> values = values(b);
                if (values.isEmpty()) {
                    rest.add(b);
                } else {
                    byLength.computeIfAbsent(b.cidr() == null ? full : b.cidr().prefix(), x -> new ArrayList<>()).addAll(values);
                }
            }
            List<Map.Entry<Integer, List<Boxes.Box>>> lengths = new ArrayList<>(byLength.entrySet());
            lengths.sort(java.util.Comparator.comparing((Map.Entry<Integer, List<Boxes.Box>> e) -> -e.getValue().size())
                    .thenComparing(e -> -e.getKey()));
            List<Part> out = new ArrayList<>();
            for (int i = 0; i < lengths.size(); i++) {
                int length = lengths.get(i).getKey();
                if (i < MAX_HASH_PARTS) {
                    out.add(new Part(name.apply(kind + "x" + (length == full ? "" : "_m" + length)), false, lengths.get(i).getValue()));
                } else {
                    rest.addAll(lengths.get(i).getValue());
                }
            }
            if (!rest.isEmpty()) {
                out.add(new Part(name.apply(kind), true, rest));
            }
            return out;
        });
    }

    /** Ranges of at most this many values (neighbouring single ports merged by Boxes) go to hash sets value by value. */
    static final int MAX_EXPANDED = 8;

    /** The box as boxes of one value in every field but the address, or none when it spans more than {@link #MAX_EXPANDED}. */
    private static List<Boxes.Box> values(Boxes.Box b) {
        long count = 1;
        for (int i = 0; i < b.lo().length; i++) {
            count *= b.hi()[i] - b.lo()[i] + 1;
        }
        if (count > MAX_EXPANDED) {
            return List.of();
        }
        List<Boxes.Box> out = new ArrayList<>();
        long[] at = b.lo().clone();
        while (true) {
            out.add(new Boxes.Box(b.cidr(), at.clone(), at.clone()));
            int i = at.length - 1;
            while (i >= 0 && at[i] == b.hi()[i]) {
                at[i] = b.lo()[i];
                i--;
            }
            if (i < 0) {
                return out;
            }
            at[i]++;
        }
    }

    /**
     * The lookup lines: one per set, lookups in hash sets first (every line only allows, so their
     * order does not change a verdict).
     */
    private List<NftRule> lines() {
        List<NftRule> hashes = new ArrayList<>();
        List<NftRule> intervals = new ArrayList<>();
        String addr = direction == Direction.INGRESS ? "saddr" : "daddr";
        for (String k : boxes.keySet()) {
            Key key = Key.of(k);
            boolean v4 = key.v4();
            String family = v4 ? FAMILY[0] : FAMILY[1];
            String l4 = switch (key.kind()) {
                case "p" -> "meta l4proto . th dport";
                case "i" -> v4 ? "icmp type . icmp code" : "icmpv6 type . icmpv6 code";
                default -> "meta l4proto";
            };
            for (Part part : parts(k)) {
                NftRule line;
                if (key.named() == null) {
                    String masked = part.mask() == null ? "" : " & " + Ip.format(part.mask());
                    line = NftRule.of(Verdict.RETURN, NftRule.in(family + " " + addr + masked + " . " + l4, part.name()));
                } else if (key.named().equals(ANY)) {
                    line = NftRule.of(Verdict.RETURN, NftRule.is("meta nfproto", v4 ? "ipv4" : "ipv6"), NftRule.in(l4, part.name()));
                } else {
                    line = NftRule.of(Verdict.RETURN, NftRule.in(family + " " + addr, key.named()), NftRule.in(l4, part.name()));
                }
                (part.interval() ? intervals : hashes).add(line);
            }
        }
        hashes.addAll(intervals);
        return hashes;
    }

    private List<NftSet> sets() {
        List<NftSet> out = new ArrayList<>();
        for (String k : boxes.keySet()) {
            Key key = Key.of(k);
            boolean v4 = key.v4();
            List<String> type = new ArrayList<>();
            if (key.named() == null) {
                type.add(v4 ? "ipv4_addr" : "ipv6_addr");
            }
            type.addAll(switch (key.kind()) {
                case "p" -> List.of("inet_proto", "inet_service");
                case "i" -> v4 ? List.of("icmp_type", "icmp_code") : List.of("icmpv6_type", "icmpv6_code");
                default -> List.of("inet_proto");
            });
            for (Part part : parts(k)) {
                List<NftElement> elements = new ArrayList<>();
                for (Boxes.Box b : part.boxes()) {
                    List<String> fields = new ArrayList<>(1 + b.lo().length);
                    if (b.cidr() != null) {
                        // A masked hash set holds the network address: the lookup masks the packet's.
                        fields.add(part.interval() ? address(b.cidr()) : Ip.format(b.cidr().network()));
                    }
                    for (int i = 0; i < b.lo().length; i++) {
                        fields.add(b.lo()[i] == b.hi()[i] ? Long.toString(b.lo()[i]) : b.lo()[i] + "-" + b.hi()[i]);
                    }
                    elements.add(new NftElement(fields, null));
                }
                out.add(new NftSet(part.name(), new NftSet.Type(type, null), part.interval(), elements));
            }
        }
        return out;
    }

    static String address(Cidr c) {
        return c.isHost() ? Ip.format(c.network()) : c.toString();
    }
}
