package io.stockade.agent.drops;

import io.stockade.compiler.Counters;
import io.stockade.core.eval.Endpoint;
import io.stockade.core.eval.Evaluator;
import io.stockade.core.eval.FlowState;
import io.stockade.core.eval.FrameKind;
import io.stockade.core.eval.Packet;
import io.stockade.core.model.Direction;
import io.stockade.core.model.Match;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The group and rule that would have let a dropped packet through: for a packet no rule allowed,
 * a rule for the vnic's first group opening exactly that protocol and port to the other end (a
 * reference to the other vnic's group when the other end is a vnic, else its address); for an
 * isolation drop, the reference rule that connects the two vnics. The suggestion is checked with
 * the reference evaluator on the slice plus that rule, and given only if it allows the packet.
 * Spoofed packets need no rule (no rule can allow them).
 */
final class DropAdvisor {
    private static final MacAddress UNKNOWN_MAC = new MacAddress(0x02_00_00_00_00_00L);

    /** A group id and a rule in canonical rule text. */
    record Needed(String group, String rule) {}

    private DropAdvisor() {}

    static Needed needed(World w, String vnicId, String direction, Counters.Reason reason, NflogPacket p, DropDecoder.Tuple x) {
        Vnic v = w.vnics().get(vnicId);
        if (v == null || x.protocol() == 0 || (reason != Counters.Reason.NO_RULE && reason != Counters.Reason.ISOLATION)) {
            return null;
        }
        List<SecurityGroup> groups = w.groupsOf(v);
        if (groups.isEmpty()) {
            return null;
        }
        boolean ingress = direction.equals(Counters.INGRESS);
        InetAddress remoteIp = ingress ? x.src() : x.dst();
        MacAddress remoteMac = ingress ? p.srcMac() : p.dstMac();
        Optional<Vnic> other = Optional.ofNullable(remoteMac).flatMap(w::vnicByMac).filter(o -> !o.id().equals(v.id()));
        Optional<SecurityGroup> otherGroup = other.flatMap(o -> w.groupsOf(o).stream().findFirst());
        if (reason == Counters.Reason.ISOLATION && otherGroup.isEmpty()) {
            return null;
        }
        IpVersion version = Ip.version(remoteIp);
        Remote remote = otherGroup.<Remote>map(g -> new Remote.GroupRemote(g.id())).orElseGet(() -> new Remote.CidrRemote(Cidr.host(remoteIp)));
        Rule rule = new Rule(null, ingress ? Direction.INGRESS : Direction.EGRESS, version, match(x), remote, "");
        SecurityGroup target = groups.get(0);
        List<Rule> rules = new ArrayList<>(target.rules());
        if (rules.stream().anyMatch(r -> r.key().equals(rule.key()))) {
            return null;
        }
        rules.add(rule);
        World with = w.toBuilder().group(target.withRules(rules)).build();
        if (!Evaluator.evaluate(with, packet(v, other, ingress, p, x)).allowed()) {
            return null;
        }
        return new Needed(target.id(), io.stockade.core.ruletext.RuleText.print(rule));
    }

    private static Match match(DropDecoder.Tuple x) {
        if (x.icmp()) {
            return new Match.Icmp(x.srcPort(), x.dstPort());
        }
        if (x.protocol() == Match.TCP || x.protocol() == Match.UDP) {
            return new Match.Ports(x.protocol(), x.dstPort(), x.dstPort());
        }
        return new Match.Protocol(x.protocol());
    }

    /** The dropped packet as the evaluator sees it: a local vnic's port, or the uplink for anything else. */
    private static Packet packet(Vnic v, Optional<Vnic> other, boolean ingress, NflogPacket p, DropDecoder.Tuple x) {
        Endpoint self = Endpoint.vnic(v.id());
        Endpoint remote = other.filter(o -> o.hostId() != null && o.hostId().equals(v.hostId()))
                .<Endpoint>map(o -> Endpoint.vnic(o.id())).orElse(Endpoint.outside());
        MacAddress src = p.srcMac() != null ? p.srcMac() : ingress ? other.map(Vnic::mac).orElse(UNKNOWN_MAC) : v.mac();
        MacAddress dst = p.dstMac() != null ? p.dstMac() : ingress ? v.mac() : other.map(Vnic::mac).orElse(UNKNOWN_MAC);
        FrameKind kind = Ip.version(x.src()) == IpVersion.V4 ? FrameKind.IPV4 : FrameKind.IPV6;
        boolean icmp = x.icmp();
        return new Packet(ingress ? remote : self, ingress ? self : remote, kind, src, dst, x.src(), x.dst(), x.protocol(),
                icmp ? -1 : x.srcPort(), icmp ? -1 : x.dstPort(), icmp ? x.srcPort() : -1, icmp ? x.dstPort() : -1, FlowState.NEW);
    }
}
