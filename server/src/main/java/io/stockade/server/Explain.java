package io.stockade.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockade.core.eval.Endpoint;
import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.FlowState;
import io.stockade.core.eval.FrameKind;
import io.stockade.core.eval.Packet;
import io.stockade.core.eval.Verdict;
import io.stockade.core.model.Match;
import io.stockade.core.model.ValidationException;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import java.util.Map;

/**
 * {@code GET /v1/explain}: the evaluator's verdict and trace for one packet from a vnic, a group
 * (its first member) or an address, to a vnic, by protocol and port or icmp type/code.
 */
public final class Explain {
    private static final MacAddress OUTSIDE = new MacAddress(0x02_00_00_00_00_01L);

    private Explain() {}

    public static ObjectNode explain(Controller ctl, Caller c, Map<String, String> q) {
        try {
            return verdict(ctl, c, q);
        } catch (ValidationException e) {
            throw ApiException.invalid(e.field(), e.getMessage());
        }
    }

    private static ObjectNode verdict(Controller ctl, Caller c, Map<String, String> q) {
        World w = ctl.world();
        String fromToken = required(q, "from");
        Vnic to = destination(w, c, required(q, "to"));
        IpVersion v = "6".equals(q.get("ipVersion")) ? IpVersion.V6 : IpVersion.V4;
        Vnic from = null;
        InetAddress fromIp;
        if (fromToken.startsWith("vif-") || w.vnics().values().stream().anyMatch(x -> x.name().equals(fromToken))) {
            from = Resolve.vnic(w, c, fromToken);
        } else if (fromToken.startsWith("sg-") || w.groups().values().stream().anyMatch(g -> g.name().equals(fromToken))) {
            SecurityGroup g = Resolve.group(w, c, fromToken);
            from = w.members(g.id()).stream().filter(x -> !x.addresses(v).isEmpty()).findFirst()
                    .orElseThrow(() -> ApiException.invalid("from", "group " + g.id() + " has no member with an " + v.ethertype() + " address"));
        }
        InetAddress toIp = to.addresses(v).stream().findFirst()
                .orElseThrow(() -> ApiException.invalid("to", "vnic " + to.id() + " has no " + v.ethertype() + " address"));
        if (from != null) {
            Vnic f = from;
            fromIp = f.addresses(v).stream().findFirst()
                    .orElseThrow(() -> ApiException.invalid("from", "vnic " + f.id() + " has no " + v.ethertype() + " address"));
        } else {
            fromIp = address(fromToken, "from", "no vnic, group or IP address");
            if (Ip.version(fromIp) != v) {
                toIp = to.addresses(Ip.version(fromIp)).stream().findFirst()
                        .orElseThrow(() -> ApiException.invalid("to", "vnic " + to.id() + " has no address of the source's family"));
            }
        }
        String proto = q.getOrDefault("proto", "tcp");
        int protocol = Match.parseProtocol(proto, "proto");
        if (protocol == -1) {
            throw ApiException.invalid("proto", "give one protocol (tcp, udp, icmp, …) to explain a packet");
        }
        boolean icmp = protocol == Match.ICMP || protocol == Match.ICMPV6;
        if (icmp) {
            protocol = Ip.version(fromIp) == IpVersion.V4 ? Match.ICMP : Match.ICMPV6;
        }
        int port = integer(q, "port", 0);
        FlowState state = state(q.getOrDefault("state", "new"));
        Packet p = new Packet(from == null ? Endpoint.outside() : Endpoint.vnic(from.id()), Endpoint.vnic(to.id()),
                Ip.version(fromIp) == IpVersion.V4 ? FrameKind.IPV4 : FrameKind.IPV6, from == null ? OUTSIDE : from.mac(), to.mac(),
                fromIp, toIp, protocol, icmp ? -1 : integer(q, "sport", 40000), icmp ? -1 : port,
                icmp ? integer(q, "icmpType", protocol == Match.ICMP ? 8 : 128) : -1, icmp ? integer(q, "icmpCode", 0) : -1, state);
        Verdict verdict = Evaluator.evaluate(w, p);
        return answer(ctl.mapper(), verdict, w.revision(), new Shown(from == null ? Ip.format(fromIp) : from.id(), to.id(), Ip.format(fromIp),
                Ip.format(toIp), proto, port, state));
    }

    /** The packet as the answer shows it: the source and destination asked for, their addresses, protocol as given, port and state. */
    record Shown(String from, String to, String src, String dst, String protocol, int port, FlowState state) {}

    /** The answer: the verdict, why, the group and rule that decided (null when none), the packet and the trace. */
    static ObjectNode answer(ObjectMapper mapper, Verdict verdict, long revision, Shown packet) {
        ObjectNode o = mapper.createObjectNode();
        o.put("verdict", verdict.allowed() ? "allow" : "drop").put("reason", verdict.reason().name().toLowerCase().replace('_', '-'))
                .put("group", verdict.groupId()).put("rule", verdict.ruleId()).put("revision", revision);
        o.putObject("packet").put("from", packet.from()).put("to", packet.to()).put("src", packet.src()).put("dst", packet.dst())
                .put("protocol", packet.protocol()).put("port", packet.port()).put("state", packet.state().name().toLowerCase());
        verdict.trace().forEach(o.putArray("trace")::add);
        return o;
    }

    /** The vnic a packet goes to, by id, name or one of its addresses. */
    private static Vnic destination(World w, Caller c, String token) {
        if (!token.matches("[0-9.]+|.*:.*")) {
            return Resolve.vnic(w, c, token);
        }
        InetAddress ip = address(token, "to", "no vnic or IP address");
        return w.vnics().values().stream().filter(x -> c.sees(x.projectId(), false)).filter(x -> x.addresses().contains(ip)).findFirst()
                .orElseThrow(() -> ApiException.invalid("to", "no vnic has the address " + Ip.format(ip)));
    }

    private static InetAddress address(String token, String field, String what) {
        try {
            return Ip.parse(token, field);
        } catch (ValidationException e) {
            throw ApiException.invalid(field, what + " '" + token + "'");
        }
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            throw ApiException.badRequest(name, "is required");
        }
        return v;
    }

    private static int integer(Map<String, String> q, String name, int dflt) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "must be a whole number, got '" + v + "'");
        }
    }

    /** The flow state a packet is explained in: new, established, reply or invalid. */
    private static FlowState state(String s) {
        for (FlowState f : FlowState.values()) {
            if (f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw ApiException.invalid("state", "must be one of new, established, reply, invalid; got '" + s + "'");
    }
}
