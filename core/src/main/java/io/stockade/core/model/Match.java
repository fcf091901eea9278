package io.stockade.core.model;

import io.stockade.core.net.IpVersion;
import java.util.Locale;

/**
 * What a rule matches above IP: any protocol, a port range of a transport protocol, an
 * ICMP type/code (ICMPv6 for IPv6 rules), or any other IP protocol by number.
 */
public sealed interface Match permits Match.AnyProtocol, Match.Ports, Match.Icmp, Match.Protocol {
    int TCP = 6;
    int UDP = 17;
    int ICMP = 1;
    int ICMPV6 = 58;
    int DCCP = 33;
    int SCTP = 132;
    int UDPLITE = 136;

    /** The IP protocol number this match needs for the given family, or -1 for any. */
    int protocolNumber(IpVersion version);

    /** Every protocol, every port. */
    record AnyProtocol() implements Match {
        @Override
        public int protocolNumber(IpVersion version) {
            return -1;
        }
    }

    /** A destination port range of tcp, udp, sctp, dccp or udplite; 1-65535 means every port. */
    record Ports(int protocol, int from, int to) implements Match {
        public Ports {
            if (!hasPorts(protocol)) {
                throw new ValidationException("protocol", "protocol " + protocol + " has no ports");
            }
            checkPort(from, "portRangeMin");
            checkPort(to, "portRangeMax");
            if (from > to) {
                throw new ValidationException("portRangeMin", "invalid port range: " + from + " is greater than " + to);
            }
        }

        public static Ports all(int protocol) {
            return new Ports(protocol, 1, 65535);
        }

        public boolean allPorts() {
            return from == 1 && to == 65535;
        }

        public boolean contains(int port) {
            return port >= from && port <= to;
        }

        @Override
        public int protocolNumber(IpVersion version) {
            return protocol;
        }

        private static void checkPort(int port, String field) {
            if (port < 1 || port > 65535) {
                throw new ValidationException(field, "out of range port number " + port + " (ports are 1..65535)");
            }
        }
    }

    /** An ICMP (IPv4) or ICMPv6 (IPv6) type and code; -1 means any. A code needs a type. */
    record Icmp(int type, int code) implements Match {
        public static final Icmp ANY = new Icmp(-1, -1);

        public Icmp {
            if (type < -1 || type > 255) {
                throw new ValidationException("icmpType", "icmp type must be -1 (any) or 0..255, got " + type);
            }
            if (code < -1 || code > 255) {
                throw new ValidationException("icmpCode", "icmp code must be -1 (any) or 0..255, got " + code);
            }
            if (type == -1 && code != -1) {
                throw new ValidationException("icmpCode", "icmp code " + code + " needs an icmp type; use -1 for any code or give a type");
            }
        }

        public boolean matches(int packetType, int packetCode) {
            return (type == -1 || type == packetType) && (code == -1 || code == packetCode);
        }

        @Override
        public int protocolNumber(IpVersion version) {
            return version == IpVersion.V4 ? ICMP : ICMPV6;
        }
    }

    /** Any other IP protocol, by number, all of its traffic. */
    record Protocol(int number) implements Match {
        public Protocol {
            if (number < 0 || number > 255) {
                throw new ValidationException("protocol", "protocol number must be 0..255, got " + number);
            }
            if (hasPorts(number) || number == ICMP || number == ICMPV6) {
                throw new ValidationException("protocol", "protocol " + number + " is " + protocolName(number) + "; use its port or icmp form");
            }
        }

        @Override
        public int protocolNumber(IpVersion version) {
            return number;
        }
    }

    static boolean hasPorts(int protocol) {
        return protocol == TCP || protocol == UDP || protocol == SCTP || protocol == DCCP || protocol == UDPLITE;
    }

    /** The usual name of a protocol number, or the number as text. */
    static String protocolName(int number) {
        return switch (number) {
            case TCP -> "tcp";
            case UDP -> "udp";
            case ICMP -> "icmp";
            case ICMPV6 -> "icmpv6";
            case SCTP -> "sctp";
            case DCCP -> "dccp";
            case UDPLITE -> "udplite";
            default -> Integer.toString(number);
        };
    }

    /**
     * A protocol given as a name or a number; {@code -1} for any. Accepts the names Neutron and
     * the openstack client use ({@code ipv6-icmp}, {@code icmp6}, {@code any}).
     */
    static int parseProtocol(String text, String field) {
        if (text == null || text.isBlank()) {
            return -1;
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "any", "all" -> -1;
            case "tcp" -> TCP;
            case "udp" -> UDP;
            case "icmp" -> ICMP;
            case "icmpv6", "ipv6-icmp", "icmp6" -> ICMPV6;
            case "sctp" -> SCTP;
            case "dccp" -> DCCP;
            case "udplite" -> UDPLITE;
            case "gre" -> 47;
            case "esp" -> 50;
            case "ah" -> 51;
            case "ipip" -> 4;
            case "vrrp" -> 112;
            case "igmp" -> 2;
            case "ospf" -> 89;
            case "pgm" -> 113;
            case "encap" -> 98;
            default -> {
                if (!s.chars().allMatch(Character::isDigit) || s.length() > 3) {
                    throw new ValidationException(field, "unsupported protocol '" + text + "' (expected tcp, udp, icmp, icmpv6, sctp, dccp, udplite, gre, esp, ah, any, or a number 0..255)");
                }
                int n = Integer.parseInt(s);
                if (n > 255) {
                    throw new ValidationException(field, "protocol number must be 0..255, got " + n);
                }
                yield n;
            }
        };
    }

    /**
     * Builds the match for a protocol with optional port range / icmp type and code, as the
     * APIs receive them ({@code null} = not given).
     */
    static Match of(int protocol, IpVersion version, Integer min, Integer max) {
        if (protocol == -1) {
            if (min != null || max != null) {
                throw new ValidationException("portRangeMin", "a port range or icmp type needs a protocol");
            }
            return new AnyProtocol();
        }
        if (protocol == ICMP || protocol == ICMPV6) {
            if (protocol == ICMP && version == IpVersion.V6) {
                protocol = ICMPV6;
            }
            if (protocol == ICMPV6 && version == IpVersion.V4) {
                throw new ValidationException("protocol", "icmpv6 needs ethertype IPv6");
            }
            return new Icmp(min == null ? -1 : min, max == null ? -1 : max);
        }
        if (hasPorts(protocol)) {
            if (min == null && max == null) {
                return Ports.all(protocol);
            }
            if (min == null || max == null) {
                throw new ValidationException(min == null ? "portRangeMin" : "portRangeMax", "a port range needs both ends (give the same port twice for one port)");
            }
            return new Ports(protocol, min, max);
        }
        if (min != null || max != null) {
            throw new ValidationException("portRangeMin", "protocol " + protocolName(protocol) + " has no ports");
        }
        return new Protocol(protocol);
    }
}
