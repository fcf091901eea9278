package io.stockade.compiler;

import io.stockade.core.model.FirewallMode;
import io.stockade.core.model.Host;
import io.stockade.core.model.Network;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import java.util.Comparator;
import java.util.List;

/**
 * World (or a host's slice) + host → the nftables state that host must run. Pure: it returns
 * values and never touches the kernel.
 *
 * <p>Two tables: {@code bridge stockade} drops frames of unknown ports, checks every vnic's
 * source MAC and addresses, and checks that a frame to a vnic's port is for that vnic: a unicast
 * IP packet in one lookup per hook (the fast path), any other frame in the port's chains, which
 * also enforce isolation and mark the frame with its destination; {@code inet stockade} is the
 * stateful part: replies of allowed flows pass, every other packet meets isolation (for the fast
 * path's flows), its source vnic's egress and its destination vnic's ingress, dispatched by MAC
 * or mark through verdict maps. Rules are set elements, never rule lines.
 */
public final class Compiler {
    public static final String TABLE = "stockade";

    private Compiler() {}

    public static HostState compile(World world, String hostId) {
        return compile(world, hostId, DropLog.DEFAULTS, new CompileCache());
    }

    /** The host's state; vnics that log their drops (or whose groups do) log them as {@code dropLog} says. */
    public static HostState compile(World world, String hostId, DropLog dropLog) {
        return compile(world, hostId, dropLog, new CompileCache());
    }

    /** Compiles with what {@code cache} kept from earlier compiles where its inputs did not change. */
    public static HostState compile(World world, String hostId, CompileCache cache) {
        return compile(world, hostId, DropLog.DEFAULTS, cache);
    }

    /** The host's state, logging drops as {@code dropLog} says and reusing what {@code cache} kept. */
    public static HostState compile(World world, String hostId, DropLog dropLog, CompileCache cache) {
        List<Vnic> local = world.vnicsOnHost(hostId).stream().filter(v -> v.device() != null)
                .sorted(Comparator.comparing(Vnic::id)).toList();
        Marks marks = new Marks(local);
        Host host = world.hosts().get(hostId);
        List<String> uplinks = host == null ? List.of() : host.uplinks();
        MacSets macSets = new MacSets(world, cache);
        return new HostState(hostId, world.revision(), List.of(
                new BridgeTable(world, local, marks, uplinks, macSets, dropLog, cache).build(),
                new InetTable(world, local, marks, macSets, dropLog, cache).build()));
    }

    /** What a host runs before it knows its vnics: only uplinks pass, every other port is dropped. */
    public static HostState failClosed(String hostId, List<String> uplinks) {
        CompileCache none = new CompileCache();
        World empty = World.builder().build();
        MacSets macSets = new MacSets(empty, none);
        return new HostState(hostId, 0, List.of(
                new BridgeTable(empty, List.of(), new Marks(List.of()), uplinks, macSets, DropLog.DEFAULTS, none).build(),
                new InetTable(empty, List.of(), new Marks(List.of()), macSets, DropLog.DEFAULTS, none).build()));
    }

    static FirewallMode mode(World w, Vnic v) {
        if (!v.portSecurity()) {
            return FirewallMode.PASSTHROUGH;
        }
        return w.network(v.networkId()).map(Network::mode).orElse(FirewallMode.SECURITY_GROUPS);
    }

    static boolean filtered(World w, Vnic v) {
        return mode(w, v) != FirewallMode.PASSTHROUGH;
    }

    /** Whether the vnic's drops are logged: asked by the vnic itself or by one of its groups. */
    static boolean logsDrops(World w, Vnic v) {
        return v.logDrops() || w.groupsOf(v).stream().anyMatch(SecurityGroup::logDrops);
    }

    static boolean stateful(World w, Vnic v) {
        return w.groupsOf(v).stream().allMatch(SecurityGroup::stateful);
    }
}
