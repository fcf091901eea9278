package io.stockade.core.eval;

import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Network;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.Ip;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statement of what a security group means: whether a frame crossing a host's bridge is
 * delivered, and why. The compiled nftables ruleset must decide exactly as this does.
 *
 * <p>Order of checks: the source vnic's side (placement, anti-spoofing, DHCP/RA guards), then
 * isolation between two vnics, then ARP/ND (pass once the above passed), then the network's
 * mode, then for IP: SMTP block, same-group access, the source's egress rules and the
 * destination's ingress rules. Established and reply packets pass on each stateful side while
 * the flow's opening packet would still be allowed; stateless sides judge them as new.
 */
public final class Evaluator {
    private final World world;

    private Evaluator(World world) {
        this.world = world;
    }

    public static Verdict evaluate(World world, Packet packet) {
        return new Evaluator(world).run(packet);
    }

    private Verdict run(Packet p) {
        Trace t = new Trace();
        Optional<Vnic> src = sourceVnic(p, t);
        Optional<Vnic> dst = destinationVnic(p, t);
        if (p.from() instanceof Endpoint.OfVnic && src.isEmpty()) {
            return t.drop(Reason.UNKNOWN_PORT, "source port is no known vnic: dropped (fail closed)");
        }
        if (p.to() instanceof Endpoint.OfVnic && dst.isEmpty()) {
            return t.drop(Reason.UNKNOWN_PORT, "destination port is no known vnic: dropped (fail closed)");
        }
        if (src.isEmpty() && dst.isEmpty()) {
            return t.allow(Reason.UNFILTERED, "no vnic involved");
        }
        // The source side is checked on the source's own host.
        boolean fromLocalPort = p.from() instanceof Endpoint.OfVnic;
        if (fromLocalPort) {
            Verdict v = new SourceChecks(world, src.get(), t).check(p);
            if (v != null) {
                return v;
            }
        }
        if (src.isPresent() && dst.isPresent()) {
            Verdict v = isolation(src.get(), dst.get(), t);
            if (v != null) {
                return v;
            }
        }
        if (p.kind() == FrameKind.ARP || Protocols.isNeighborDiscovery(p)) {
            return t.allow(Reason.DEFAULT_ALLOW, p.kind() == FrameKind.ARP ? "ARP passes (anti-spoofed)" : "neighbor discovery / MLD passes (anti-spoofed)");
        }
        return new IpChecks(world, t).check(p, src, dst);
    }

    /** The vnic a frame comes from: its tap's vnic, or (through an uplink) the vnic owning the source MAC. */
    private Optional<Vnic> sourceVnic(Packet p, Trace t) {
        if (p.from() instanceof Endpoint.OfVnic v) {
            Optional<Vnic> vnic = world.vnic(v.vnicId()).filter(x -> x.hostId() != null);
            vnic.ifPresent(x -> t.note("source: vnic " + x.id() + " (tap " + x.device() + ")"));
            return vnic;
        }
        Optional<Vnic> remote = world.vnicByMac(p.srcMac()).filter(x -> x.hostId() != null);
        remote.ifPresentOrElse(
                x -> t.note("source: vnic " + x.id() + " on another host (by its MAC " + x.mac() + ")"),
                () -> t.note("source: outside (uplink)"));
        return remote;
    }

    private Optional<Vnic> destinationVnic(Packet p, Trace t) {
        if (p.to() instanceof Endpoint.OfVnic v) {
            Optional<Vnic> vnic = world.vnic(v.vnicId()).filter(x -> x.hostId() != null);
            vnic.ifPresent(x -> t.note("destination: vnic " + x.id()));
            return vnic;
        }
        t.note("destination: outside (uplink)");
        return Optional.empty();
    }

    private Verdict isolation(Vnic a, Vnic b, Trace t) {
        if (!world.policy().isolation()) {
            return null;
        }
        if (unfiltered(b) || unfiltered(a)) {
            return null;
        }
        if (world.connected(a, b)) {
            List<String> shared = world.sharedGroups(a, b);
            t.note("isolation: connected" + (shared.isEmpty() ? " by a reference rule" : " (share " + String.join(", ", shared) + ")"));
            return null;
        }
        return t.drop(Reason.ISOLATION, "isolation: " + a.id() + " and " + b.id() + " share no group and no reference rule links their groups (knob isolation=true)");
    }

    /** Passthrough network or port security off: no filtering for this vnic. */
    boolean unfiltered(Vnic v) {
        return !v.portSecurity() || world.network(v.networkId()).map(Network::mode).orElse(FirewallMode.SECURITY_GROUPS) == FirewallMode.PASSTHROUGH;
    }

    static FirewallMode mode(World w, Vnic v) {
        if (!v.portSecurity()) {
            return FirewallMode.PASSTHROUGH;
        }
        return w.network(v.networkId()).map(Network::mode).orElse(FirewallMode.SECURITY_GROUPS);
    }

    /** Whether every group of the vnic is stateful (a vnic in no group is stateful). */
    static boolean stateful(World w, Vnic v) {
        return w.groupsOf(v).stream().allMatch(SecurityGroup::stateful);
    }

    /** Collects the trace and builds verdicts. */
    static final class Trace {
        private final List<String> lines = new ArrayList<>();

        void note(String line) {
            lines.add(line);
        }

        Verdict allow(Reason reason, String line) {
            return decide(true, reason, null, null, line);
        }

        Verdict drop(Reason reason, String line) {
            return decide(false, reason, null, null, line);
        }

        Verdict decide(boolean allowed, Reason reason, String group, String rule, String line) {
            lines.add(line);
            lines.add((allowed ? "ALLOW" : "DROP") + " (" + reason.name().toLowerCase().replace('_', '-') + ")");
            return new Verdict(allowed, reason, group, rule, lines);
        }

        /** A verdict that keeps this trace's lines, for sub-evaluations. */
        List<String> lines() {
            return lines;
        }
    }

    static String fmt(java.net.InetAddress a) {
        return a == null ? "-" : Ip.format(a);
    }
}
