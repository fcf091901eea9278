package io.stockade.core.ruletext;

import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.ValidationException;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wakame-vdc's rule text: one rule a line, {@code PROTO:FROM,TO,SOURCE}, whitespace inside a
 * rule ignored, {@code #} starting a comment (a comment after a rule is its description).
 * Extensions that change no line Wakame accepts: an {@code egress:} prefix, IPv6 sources
 * ({@code ip6:2001:db8::/32}), family-qualified references ({@code ip6:sg-x}), ip-set sources
 * ({@code ips-x}), any protocol ({@code any:-1,-1,…}, {@code gre:-1,-1,…}, {@code 47:-1,-1,…}), and the network
 * 0.0.0.0/N itself as {@code ip4:0/N} (Wakame-vdc reads every {@code ip4:0.0.0.0/N} as every address).
 */
public final class RuleText {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(Match.TCP, "tcp"), Map.entry(Match.UDP, "udp"), Map.entry(Match.SCTP, "sctp"), Map.entry(Match.DCCP, "dccp"),
            Map.entry(Match.UDPLITE, "udplite"), Map.entry(47, "gre"), Map.entry(50, "esp"), Map.entry(51, "ah"), Map.entry(4, "ipip"),
            Map.entry(112, "vrrp"), Map.entry(2, "igmp"), Map.entry(89, "ospf"), Map.entry(113, "pgm"), Map.entry(98, "encap"));

    private RuleText() {}

    /** Parses with group and ip-set tokens kept as ids. */
    public static List<Rule> parse(String text) {
        return parse(text, RuleTextResolver.IDENTITY);
    }

    /** Parses every line; throws {@link RuleTextException} with all errors when any line is wrong. */
    public static List<Rule> parse(String text, RuleTextResolver resolver) {
        return read(text, resolver, Dialect.STOCKADE).rules();
    }

    /** The rules of a text, and a warning for every line whose canonical form means what Wakame-vdc read, not what it shows. */
    public record Read(List<Rule> rules, List<RuleTextWarning> warnings) {
        public Read {
            rules = List.copyOf(rules);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Reads every line in a dialect; throws {@link RuleTextException} with all errors when any line is
     * wrong, else returns the rules with the warnings of the lines whose meaning differs from their face.
     */
    public static Read read(String text, RuleTextResolver resolver, Dialect dialect) {
        List<Rule> rules = new ArrayList<>();
        List<RuleTextError> errors = new ArrayList<>();
        List<RuleTextWarning> warnings = new ArrayList<>();
        Map<Rule.Key, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            try {
                LineParser parser = new LineParser(lines[i], resolver, dialect);
                Rule r = parser.parse();
                if (r == null) {
                    continue;
                }
                Integer first = seen.putIfAbsent(r.key(), lineNo);
                if (first != null) {
                    errors.add(new RuleTextError(lineNo, firstNonBlank(lines[i]), "duplicate rule: the same as line " + first));
                    continue;
                }
                rules.add(r);
                parser.warnings.forEach(w -> warnings.add(new RuleTextWarning(lineNo, w.column(), w.message())));
            } catch (LineParser.Failure f) {
                errors.add(new RuleTextError(lineNo, f.column, f.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleTextException(errors);
        }
        return new Read(rules, warnings);
    }

    /** The canonical text of the rules, one a line, in the given order. */
    public static String print(List<Rule> rules) {
        return print(rules, RuleTextResolver.IDENTITY);
    }

    /**
     * The rules one a line, in the given order, with groups and ip sets written as {@code names}
     * writes them ({@link RuleTextResolver#groupToken}): parsed with the same resolver, the text
     * means the same rules.
     */
    public static String print(List<Rule> rules, RuleTextResolver names) {
        StringBuilder sb = new StringBuilder();
        for (Rule r : rules) {
            sb.append(print(r, names)).append('\n');
        }
        return sb.toString();
    }

    /** The canonical line of one rule. */
    public static String print(Rule r) {
        return print(r, RuleTextResolver.IDENTITY);
    }

    private static String print(Rule r, RuleTextResolver names) {
        StringBuilder sb = new StringBuilder();
        if (r.direction() == Direction.EGRESS) {
            sb.append("egress:");
        }
        switch (r.match()) {
            case Match.AnyProtocol a -> sb.append("any:-1,-1,");
            case Match.Ports p -> sb.append(NAMES.get(p.protocol())).append(':').append(p.from()).append(',').append(p.to()).append(',');
            case Match.Icmp i -> sb.append(r.ethertype() == IpVersion.V4 ? "icmp" : "icmpv6").append(':').append(i.type()).append(',').append(i.code()).append(',');
            case Match.Protocol p -> sb.append(NAMES.getOrDefault(p.number(), Integer.toString(p.number()))).append(":-1,-1,");
        }
        String family = r.ethertype() == IpVersion.V4 ? "ip4:" : "ip6:";
        switch (r.remote()) {
            case Remote.CidrRemote c -> sb.append(family).append(source(c.cidr()));
            case Remote.GroupRemote g -> sb.append(r.ethertype() == IpVersion.V4 ? "" : family).append(names.groupToken(g.groupId()));
            case Remote.IpSetRemote s -> sb.append(family).append(names.ipSetToken(s.ipSetId()));
        }
        if (!r.description().isBlank()) {
            sb.append(" # ").append(r.description().strip().replaceAll("\\s*[\r\n]+\\s*", " "));
        }
        return sb.toString();
    }

    private static String source(Cidr c) {
        if (c.version() == IpVersion.V4 && c.isAny()) {
            return "0.0.0.0";
        }
        if (Ip.V4_ANY.equals(c.network())) {
            return "0/" + c.prefix();
        }
        if (c.isHost() && !Ip.V4_ANY.equals(c.network()) && !Ip.V6_ANY.equals(c.network())) {
            return Ip.format(c.network());
        }
        return c.toString();
    }

    static String protocolWord(int number) {
        return NAMES.getOrDefault(number, Integer.toString(number));
    }

    private static int firstNonBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (!Character.isWhitespace(line.charAt(i))) {
                return i + 1;
            }
        }
        return 1;
    }

    /** One line: the rule part with whitespace removed, remembering each character's column. */
    private static final class LineParser {
        static final class Failure extends Exception {
            final int column;

            Failure(int column, String message) {
                super(message);
                this.column = column;
            }
        }

        /** A warning on this line, before the line number is known. */
        record Note(int column, String message) {}

        private final String compact;
        private final int[] columns;
        private final int endColumn;
        private final String description;
        private final RuleTextResolver resolver;
        private final Dialect dialect;
        private final List<Note> warnings = new ArrayList<>();

        LineParser(String line, RuleTextResolver resolver, Dialect dialect) {
            this.resolver = resolver;
            this.dialect = dialect;
            int hash = line.indexOf('#');
            String rule = hash < 0 ? line : line.substring(0, hash);
            this.description = hash < 0 ? "" : line.substring(hash + 1).strip();
            StringBuilder sb = new StringBuilder();
            int[] cols = new int[rule.length()];
            for (int i = 0; i < rule.length(); i++) {
                char ch = rule.charAt(i);
                if (!Character.isWhitespace(ch)) {
                    cols[sb.length()] = i + 1;
                    sb.append(ch);
                }
            }
            this.compact = sb.toString();
            this.columns = cols;
            this.endColumn = rule.stripTrailing().length() + 1;
        }

        private int col(int index) {
            return index < compact.length() ? columns[index] : endColumn;
        }

        Rule parse() throws Failure {
            if (compact.isEmpty()) {
                return null;
            }
            int pos = 0;
            Direction direction = Direction.INGRESS;
            String lower = compact.toLowerCase(Locale.ROOT);
            if (lower.startsWith("egress:")) {
                direction = Direction.EGRESS;
                pos = 7;
            } else if (lower.startsWith("ingress:")) {
                pos = 8;
            }
            if (pos > 0 && dialect == Dialect.WAKAME) {
                throw new Failure(col(0), "Wakame-vdc has no direction prefix ('" + compact.substring(0, pos) + "' is a Stockade extension)");
            }
            int colon = compact.indexOf(':', pos);
            if (colon < 0) {
                throw new Failure(col(pos), "expected PROTOCOL:FROM,TO,SOURCE such as tcp:22,22,ip4:0.0.0.0");
            }
            String protoWord = compact.substring(pos, colon).toLowerCase(Locale.ROOT);
            int protoAt = pos;
            String[] parts = compact.substring(colon + 1).split(",", -1);
            int fromAt = colon + 1;
            if (parts.length < 3) {
                throw new Failure(col(compact.length()), "expected " + (parts.length == 1 ? "',' and the TO value" : "',' and a SOURCE")
                        + " (PROTOCOL:FROM,TO,SOURCE)");
            }
            int toAt = fromAt + parts[0].length() + 1;
            int sourceAt = toAt + parts[1].length() + 1;
            if (parts.length > 3) {
                throw new Failure(col(sourceAt + parts[2].length()), "unexpected ',' after the source");
            }
            int protocol = protocol(protoWord, protoAt);
            int from = number(parts[0], fromAt, "FROM");
            int to = number(parts[1], toAt, "TO");
            Source source = source(parts[2], sourceAt);
            IpVersion version = source.version;
            Match match = match(protoWord, protocol, version, from, to, protoAt, fromAt, toAt);
            try {
                return new Rule(null, direction, version, match, source.remote, description);
            } catch (ValidationException e) {
                throw new Failure(col(sourceAt), e.getMessage());
            }
        }

        private int protocol(String word, int at) throws Failure {
            if (dialect == Dialect.WAKAME && !List.of("tcp", "udp", "icmp").contains(word)) {
                throw new Failure(col(at), "unsupported protocol '" + word + "' (Wakame-vdc knows tcp, udp and icmp)");
            }
            switch (word) {
                case "icmp", "icmpv6", "icmp6", "ipv6-icmp" -> {
                    return word.equals("icmp") ? Match.ICMP : Match.ICMPV6;
                }
                default -> {
                    try {
                        return Match.parseProtocol(word.isEmpty() ? "?" : word, "protocol");
                    } catch (ValidationException e) {
                        throw new Failure(col(at), "unsupported protocol '" + word
                                + "' (expected tcp, udp, icmp, icmpv6, sctp, dccp, udplite, gre, esp, ah, any, or a number 0..255)");
                    }
                }
            }
        }

        private int number(String s, int at, String what) throws Failure {
            if (!s.matches("-?[0-9]{1,6}")) {
                throw new Failure(col(at), "expected a number for " + what + ", got '" + s + "'");
            }
            return Integer.parseInt(s);
        }

        private Match match(String word, int protocol, IpVersion version, int from, int to, int protoAt, int fromAt, int toAt) throws Failure {
            if (protocol == Match.ICMPV6 && version == IpVersion.V4) {
                throw new Failure(col(protoAt), word + " needs an IPv6 source (ip6:…)");
            }
            if (protocol == Match.ICMP || protocol == Match.ICMPV6) {
                if (from < -1 || from > 255) {
                    throw new Failure(col(fromAt), "icmp type must be -1 (any) or 0..255, got " + from);
                }
                if (to < -1 || to > 255) {
                    throw new Failure(col(toAt), "icmp code must be -1 (any) or 0..255, got " + to);
                }
                if (from == -1 && to != -1) {
                    throw new Failure(col(toAt), "icmp code " + to + " needs an icmp type; write -1 for any code or give a type");
                }
                if (dialect == Dialect.WAKAME && !WAKAME_ICMP_TYPES.contains(from)) {
                    throw new Failure(col(fromAt), "unsupported ICMP type " + from + " (Wakame-vdc accepts -1, 0, 3, 5, 8 and 11..18)");
                }
                if (dialect == Dialect.WAKAME && to > 15) {
                    throw new Failure(col(toAt), "unsupported ICMP code " + to + " (Wakame-vdc accepts -1 and 0..15)");
                }
                return new Match.Icmp(from, to);
            }
            if (protocol == -1 || !hasPorts(protocol)) {
                if (from != -1 || to != -1) {
                    throw new Failure(col(fromAt), "protocol " + word + " has no ports; write -1,-1");
                }
                return protocol == -1 ? new Match.AnyProtocol() : new Match.Protocol(protocol);
            }
            if (from < 1 || from > 65535) {
                throw new Failure(col(fromAt), "out of range port number " + from + " (ports are 1..65535)");
            }
            if (to < 1 || to > 65535) {
                throw new Failure(col(toAt), "out of range port number " + to + " (ports are 1..65535)");
            }
            if (from > to) {
                throw new Failure(col(fromAt), "invalid port range " + from + "," + to + " (FROM must not be greater than TO)");
            }
            return new Match.Ports(protocol, from, to);
        }

        private static final java.util.Set<Integer> WAKAME_ICMP_TYPES = java.util.Set.of(-1, 0, 3, 5, 8, 11, 12, 13, 14, 15, 16, 17, 18);

        private static boolean hasPorts(int p) {
            return p == Match.TCP || p == Match.UDP || p == Match.SCTP || p == Match.DCCP || p == Match.UDPLITE;
        }

        private record Source(IpVersion version, Remote remote) {}

        private Source source(String s, int at) throws Failure {
            String lower = s.toLowerCase(Locale.ROOT);
            IpVersion family = null;
            String rest = s;
            int restAt = at;
            if (lower.startsWith("ip4:") || lower.startsWith("ip6:")) {
                family = lower.startsWith("ip4:") ? IpVersion.V4 : IpVersion.V6;
                rest = s.substring(4);
                restAt = at + 4;
            }
            final String token = rest;
            final int tokenAt = restAt;
            if (dialect == Dialect.WAKAME && (family == IpVersion.V6 || rest.startsWith("ips-") || (family != null && rest.startsWith("sg-")))) {
                throw new Failure(col(at), "Wakame-vdc " + (family == IpVersion.V6 ? "ignored ip6 sources" : "has no source '" + s + "'")
                        + " (expected ip4:ADDRESS[/N] or sg-GROUP)");
            }
            if (rest.startsWith("sg-")) {
                String id = resolver.groupId(rest).orElseThrow(() -> new Failure(col(tokenAt), "no security group '" + token + "'"));
                return new Source(family == null ? IpVersion.V4 : family, new Remote.GroupRemote(id));
            }
            if (rest.startsWith("ips-")) {
                RuleTextResolver.IpSetRef ref = resolver.ipSet(rest).orElseThrow(() -> new Failure(col(tokenAt), "no ip set '" + token + "'"));
                IpVersion v = family != null ? family : ref.version() != null ? ref.version() : IpVersion.V4;
                if (ref.version() != null && ref.version() != v) {
                    throw new Failure(col(at), "ip set " + rest + " is " + ref.version().ethertype() + ", not " + v.ethertype());
                }
                return new Source(v, new Remote.IpSetRemote(ref.id()));
            }
            if (family == null) {
                throw new Failure(col(at), "unexpected source '" + s + "' (expected ip4:ADDRESS[/N], ip6:ADDRESS[/N], sg-GROUP or ips-IPSET)");
            }
            if (rest.isEmpty()) {
                throw new Failure(col(restAt), "expected an " + family.ethertype() + " address after '" + s + "'");
            }
            Cidr cidr;
            try {
                cidr = cidr(rest, family, restAt);
            } catch (ValidationException e) {
                throw new Failure(col(restAt), e.getMessage());
            }
            if (cidr.version() != family) {
                throw new Failure(col(restAt), "'" + rest + "' is an " + cidr.version().ethertype() + " address; write ip"
                        + (cidr.version() == IpVersion.V4 ? "4" : "6") + ":" + rest);
            }
            return new Source(family, new Remote.CidrRemote(cidr));
        }

        /**
         * An IPv4 source as Wakame-vdc read it: an all-zero address is every address whatever its
         * prefix, a /0 of any other address is that single host, and host bits are masked (as its
         * iptables did). Each differs from what the line shows, so each leaves a warning. IPv6 sources
         * (Stockade's own) are strict.
         */
        private Cidr cidr(String rest, IpVersion family, int at) {
            if (family == IpVersion.V6) {
                return rest.equals("::") ? Cidr.ANY6 : Cidr.parse(rest, "source");
            }
            int slash = rest.indexOf('/');
            if (slash == 1 && rest.charAt(0) == '0' && dialect == Dialect.STOCKADE) {
                Cidr zero = Cidr.parse("0.0.0.0" + rest.substring(1), "source");
                if (!zero.isAny()) {
                    return zero;
                }
            }
            java.net.InetAddress address = Ip.parse(slash < 0 ? rest : rest.substring(0, slash), "source");
            Cidr.Parsed p = Cidr.parseLoose(rest, "source");
            if (address.equals(Ip.V4_ANY)) {
                if (!p.cidr().isAny() && slash >= 0) {
                    warnings.add(new Note(col(at), "ip4:" + rest + " means every address (Wakame-vdc reads the address 0.0.0.0 as "
                            + "0.0.0.0/0 whatever the prefix); written ip4:0.0.0.0"));
                }
                return Cidr.ANY4;
            }
            if (p.cidr().isAny()) {
                Cidr host = Cidr.host(address);
                warnings.add(new Note(col(at), "ip4:" + rest + " means the single host " + Ip.format(address)
                        + " (Wakame-vdc reads a /0 of an address other than 0.0.0.0 as that address); written ip4:" + Ip.format(address)));
                return host;
            }
            if (!p.exact()) {
                warnings.add(new Note(col(at), "ip4:" + rest + " has host bits set and means " + p.cidr() + " (as Wakame-vdc "
                        + "masked it); written ip4:" + p.cidr()));
            }
            return p.cidr();
        }
    }
}
