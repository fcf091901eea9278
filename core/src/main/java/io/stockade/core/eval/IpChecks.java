package io.stockade.core.eval;

import io.stockade.core.model.Direction;
import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Match;
import io.stockade.core.model.Network;
import io.stockade.core.model.Project;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.policy.Policy;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** IP checks after anti-spoofing and isolation: flow state, SMTP, same group, invalid packets, egress and ingress rules. */
final class IpChecks {
    private static final InetAddress DHCPV6_SERVERS = Ip.parse("ff02::1:2", "dhcpv6");

    private final World world;
    private final Policy policy;
    private final Evaluator.Trace trace;

    IpChecks(World world, Evaluator.Trace trace) {
        this.world = world;
        this.policy = world.policy();
        this.trace = trace;
    }

    Verdict check(Packet p, Optional<Vnic> src, Optional<Vnic> dst) {
        // The source's egress is judged on its own host: only when the frame comes from its tap.
        Vnic egressVnic = p.from() instanceof Endpoint.OfVnic ? filtered(src) : null;
        Vnic ingressVnic = filtered(dst);
        if (egressVnic == null && ingressVnic == null) {
            return trace.allow(Reason.UNFILTERED, "no filtered vnic on this path (passthrough network or port security off)");
        }
        if (p.state() == FlowState.NEW || p.state() == FlowState.INVALID) {
            return decideNew(p, src, dst, egressVnic, ingressVnic);
        }
        boolean egressStateless = egressVnic != null && !Evaluator.stateful(world, egressVnic);
        boolean ingressStateless = ingressVnic != null && !Evaluator.stateful(world, ingressVnic);
        boolean someStateful = (egressVnic != null && !egressStateless) || (ingressVnic != null && !ingressStateless);
        if (someStateful) {
            Packet opening = p.state() == FlowState.REPLY ? p.reversed() : p.withState(FlowState.NEW);
            Verdict o = Evaluator.evaluate(world, opening);
            if (!o.allowed()) {
                trace.note("connection tracking: the flow's opening packet would be dropped (" + o.reason().name().toLowerCase()
                        + "), so there is no such flow: judged as a new packet");
                return decideNew(p.withState(FlowState.NEW), src, dst, egressVnic, ingressVnic);
            }
            trace.note("connection tracking: " + (p.state() == FlowState.REPLY ? "reply of" : "continues") + " an allowed flow (stateful groups)");
        }
        if (!egressStateless && !ingressStateless) {
            return trace.allow(Reason.ESTABLISHED, "established flow passes");
        }
        trace.note("stateless groups: the stateless side judges this packet as new");
        return decideNew(p, src, dst, egressStateless ? egressVnic : null, ingressStateless ? ingressVnic : null);
    }

    private Vnic filtered(Optional<Vnic> v) {
        return v.filter(x -> Evaluator.mode(world, x) != FirewallMode.PASSTHROUGH).orElse(null);
    }

    private Verdict decideNew(Packet p, Optional<Vnic> src, Optional<Vnic> dst, Vnic egressVnic, Vnic ingressVnic) {
        if (egressVnic != null && Evaluator.mode(world, egressVnic) == FirewallMode.ISOLATION_ONLY) {
            trace.note("egress: network of " + egressVnic.id() + " is isolation-only: no rules");
            egressVnic = null;
        }
        if (ingressVnic != null && Evaluator.mode(world, ingressVnic) == FirewallMode.ISOLATION_ONLY) {
            trace.note("ingress: network of " + ingressVnic.id() + " is isolation-only: no rules");
            ingressVnic = null;
        }
        if (egressVnic != null && policy.smtpBlock() && p.protocol() == Match.TCP && p.dstPort() == 25) {
            boolean allowed = Optional.ofNullable(world.projects().get(egressVnic.projectId())).map(Project::smtpAllowed).orElse(false);
            if (!allowed) {
                return trace.drop(Reason.SMTP_BLOCKED, "SMTP: tcp 25 egress is blocked (knob smtpBlock=true; project " + egressVnic.projectId() + " has SMTP disabled)");
            }
            trace.note("SMTP: allowed for project " + egressVnic.projectId());
        }
        if (policy.isolation() && src.isPresent() && dst.isPresent()) {
            List<String> shared = world.sharedGroups(src.get(), dst.get());
            if (!shared.isEmpty()) {
                return trace.decide(true, Reason.SAME_GROUP, shared.get(0), null,
                        "same group " + shared.get(0) + ": full access (knob isolation=true)");
            }
        }
        Verdict egress = null;
        if (egressVnic != null) {
            egress = egress(egressVnic, p);
            if (!egress.allowed()) {
                return egress;
            }
        }
        if (ingressVnic != null) {
            return ingress(ingressVnic, p);
        }
        return egress != null ? egress : trace.allow(Reason.DEFAULT_ALLOW, "no rules apply on this path");
    }

    /**
     * With the knob dropInvalid, a stateful direction that filters (drops what no rule allows)
     * drops an invalid packet before anything else it checks; a stateless one judges it as any
     * packet. Invalid is what connection tracking calls so: a packet of no flow that opens none,
     * such as a new ICMP message that is no request (an error of no tracked flow, an echo reply of
     * no request). Without the knob, rules judge it as a new packet.
     */
    private Verdict invalid(Vnic v, Packet p, Direction d) {
        boolean invalid = p.state() == FlowState.INVALID || (p.state() == FlowState.NEW && Protocols.opensNoFlow(p));
        if (!invalid || !policy.dropInvalid() || !Evaluator.stateful(world, v)) {
            return null;
        }
        return policy.filters(d, world.groupsOf(v)) ? trace.drop(Reason.INVALID, d.wire() + ": connection tracking finds the packet invalid: it belongs to no flow and opens none (knob dropInvalid=true)") : null;
    }

    private Verdict egress(Vnic v, Packet p) {
        Verdict invalid = invalid(v, p, Direction.EGRESS);
        if (invalid != null) {
            return invalid;
        }
        if (policy.dhcpDnsAllowed() && infraEgress(v, p)) {
            return trace.allow(Reason.DEFAULT_ALLOW, "egress: DHCP/DNS to the network's own servers (knob dhcpDnsAllowed=true)");
        }
        return direction(v, p, Direction.EGRESS, p.dstIp(), policy.egressDefault());
    }

    private Verdict ingress(Vnic v, Packet p) {
        Verdict invalid = invalid(v, p, Direction.INGRESS);
        if (invalid != null) {
            return invalid;
        }
        if (policy.dhcpDnsAllowed() && infraIngress(v, p)) {
            return trace.allow(Reason.DEFAULT_ALLOW, "ingress: DHCP/DNS reply from the network's own servers (knob dhcpDnsAllowed=true)");
        }
        return direction(v, p, Direction.INGRESS, p.srcIp(), policy.ingressDefault());
    }

    private Verdict direction(Vnic v, Packet p, Direction d, InetAddress remote, Policy.Default dflt) {
        String dir = d.wire();
        List<SecurityGroup> groups = world.groupsOf(v);
        if (groups.isEmpty()) {
            boolean allowed = policy.noGroupAllows(d);
            String line = dir + ": vnic " + v.id() + " is in no group (knob noGroup=" + Policy.wire(policy.noGroup()) + ")";
            return allowed ? trace.allow(Reason.DEFAULT_ALLOW, line) : trace.drop(Reason.NO_GROUP, line);
        }
        for (SecurityGroup g : groups) {
            for (Rule r : g.rules()) {
                if (r.direction() == d && matches(r, p, remote)) {
                    return trace.decide(true, Reason.RULE, g.id(), r.id(), dir + ": allowed by rule " + r.id() + " of group " + g.id() + describe(r));
                }
            }
        }
        String knob = "knob " + dir + "Default=" + Policy.wire(dflt);
        return switch (dflt) {
            case ALLOW -> trace.allow(Reason.DEFAULT_ALLOW, dir + ": no rule needed (" + knob + ")");
            case DROP -> trace.drop(Reason.NO_RULE, dir + ": no rule of " + ids(groups) + " allows it (" + knob + ")");
            case DROP_IF_RULES -> groups.stream().anyMatch(g -> g.hasRules(d))
                    ? trace.drop(Reason.NO_RULE, dir + ": no rule of " + ids(groups) + " allows it, and they have " + dir + " rules (" + knob + ")")
                    : trace.allow(Reason.DEFAULT_ALLOW, dir + ": the vnic's groups have no " + dir + " rules (" + knob + ")");
        };
    }

    boolean matches(Rule r, Packet p, InetAddress remote) {
        IpVersion version = Ip.version(p.srcIp());
        if (r.ethertype() != version) {
            return false;
        }
        boolean l4 = switch (r.match()) {
            case Match.AnyProtocol a -> true;
            case Match.Ports ports -> p.protocol() == ports.protocol() && ports.contains(p.dstPort());
            case Match.Icmp icmp -> p.protocol() == icmp.protocolNumber(version) && icmp.matches(p.icmpType(), p.icmpCode());
            case Match.Protocol proto -> p.protocol() == proto.number();
        };
        if (!l4) {
            return false;
        }
        return switch (r.remote()) {
            case Remote.CidrRemote c -> c.cidr().contains(remote);
            case Remote.GroupRemote g -> world.memberAddresses(g.groupId(), version).contains(remote);
            case Remote.IpSetRemote s -> Optional.ofNullable(world.ipSets().get(s.ipSetId())).map(set -> set.contains(remote)).orElse(false);
        };
    }

    private boolean infraEgress(Vnic v, Packet p) {
        Optional<Network> net = world.network(v.networkId());
        if (net.isEmpty()) {
            return false;
        }
        Network n = net.get();
        if (p.protocol() == Match.UDP && p.dstPort() == 67) {
            return n.isDhcpServer(p.dstIp()) || Ip.V4_BROADCAST.equals(p.dstIp());
        }
        if (p.protocol() == Match.UDP && p.dstPort() == 547) {
            return n.isDhcpServer(p.dstIp()) || DHCPV6_SERVERS.equals(p.dstIp());
        }
        return Protocols.isDns(p.protocol(), p.dstPort()) && n.isDnsServer(p.dstIp());
    }

    private boolean infraIngress(Vnic v, Packet p) {
        Optional<Network> net = world.network(v.networkId());
        if (net.isEmpty()) {
            return false;
        }
        Network n = net.get();
        if (Protocols.isDhcpServerReply(p)) {
            return n.isDhcpServer(p.srcIp());
        }
        return Protocols.isDns(p.protocol(), p.srcPort()) && n.isDnsServer(p.srcIp());
    }

    private static String ids(List<SecurityGroup> groups) {
        return String.join(", ", groups.stream().map(SecurityGroup::id).toList());
    }

    private static String describe(Rule r) {
        return r.description().isEmpty() ? "" : " (" + r.description() + ")";
    }
}
