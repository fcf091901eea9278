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
 * ({@code ips-x}), and any protocol ({@code any:-1,-1,…}, {@code gre:-1,-1,…}, {@code 47:-1,-1,…}).
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
        List<Rule> rules = new ArrayList<>();
        List<RuleTextError> errors = new ArrayList<>();
        Map<Rule.Key, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            try {
                Rule r = new LineParser(lines[i], resolver).parse();
                if (r == null) {
                    continue;
                }
                Integer first = seen.putIfAbsent(r.key(), lineNo);
                if (first != null) {
                    errors.add(new RuleTextError(lineNo, firstNonBlank(lines[i]), "duplicate rule: the same as line " + first));
                    continue;
                }
                rules.add(r);
            } catch (LineParser.Failure f) {
                errors.add(new RuleTextError(lineNo, f.column, f.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleTextException(errors);
        }
        return rules;
    }

    /** The canonical text of the rules, one a line, in the given order. */
    public static String print(List<Rule> rules) {
        StringBuilder sb = new StringBuilder();
        for (Rule r : rules) {
            sb.append(print(r)).append('\n');
        }
        return sb.toString();
    }

    /** The canonical line of one rule. */
    public static String print(Rule r) {
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
            case Remote.GroupRemote g -> sb.append(r.ethertype() == IpVersion.V4 ? "" : family).append(g.groupId());
            case Remote.IpSetRemote s -> sb.append(family).append(s.ipSetId());
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

        private final String compact;
        private final int[] columns;
        private final int endColumn;
        private final String description;
        private final RuleTextResolver resolver;

        LineParser(String line, RuleTextResolver resolver) {
            this.resolver = resolver;
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
                if (family == IpVersion.V4 && rest.equals("0.0.0.0")) {
                    cidr = Cidr.ANY4;
                } else if (family == IpVersion.V6 && rest.equals("::")) {
                    cidr = Cidr.ANY6;
                } else {
                    cidr = Cidr.parse(rest, "source");
                }
            } catch (ValidationException e) {
                throw new Failure(col(restAt), e.getMessage());
            }
            if (cidr.version() != family) {
                throw new Failure(col(restAt), "'" + rest + "' is an " + cidr.version().ethertype() + " address; write ip"
                        + (cidr.version() == IpVersion.V4 ? "4" : "6") + ":" + rest);
            }
            return new Source(family, new Remote.CidrRemote(cidr));
        }
    }
}
