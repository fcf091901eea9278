package io.stockade.compiler;

import io.stockade.core.model.Direction;
import io.stockade.core.model.IpSet;
import io.stockade.core.model.Remote;
import io.stockade.core.model.Rule;
import io.stockade.core.model.Network;
import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.net.IpVersion;
import io.stockade.core.net.MacAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What compiles share, so a change costs what it touches. Worlds are immutable values that keep
 * the same object for what did not change, so:
 * <ul>
 *   <li>a group's compiled rule sets are kept per group object, checked against the versions of
 *       the ip sets its rules name, and a change recompiles only the groups it replaced;</li>
 *   <li>a vnic's chains and a host's shared sets (MACs of a group's members, addresses of
 *       referenced groups, the port sets and maps) are kept with the inputs they were made from,
 *       and made again only when one of those inputs is not the same as last time; a value made
 *       again equal to the last is the last one's object, which the delta skips at once;</li>
 *   <li>the MACs of the network's vnics are kept counted and brought up to date from the vnics a
 *       diff touched, when the world compiled was made by applying it to the world compiled last;</li>
 *   <li>names of chains and sets are made once.</li>
 * </ul>
 * One cache serves one caller at a time (an agent, or one compile of every host of a world); it is
 * not thread-safe.
 */
public final class CompileCache {
    /** Both directions of one group, the groups its rules reference, and the ip sets they name with the versions compiled for. */
    record GroupSets(RuleSets.Compiled ingress, RuleSets.Compiled egress, Set<String> references, Map<String, IpVersion> ipSetVersions) {
        RuleSets.Compiled of(Direction d) {
            return d == Direction.INGRESS ? ingress : egress;
        }

        /** Whether every ip set the rules name has, in {@code ipSets}, the version (or absence) it was compiled for. */
        boolean compiledFor(Map<String, IpSet> ipSets) {
            for (Map.Entry<String, IpVersion> e : ipSetVersions.entrySet()) {
                IpSet now = ipSets.get(e.getKey());
                if ((now == null ? null : now.version()) != e.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Made(List<?> inputs, List<?> value) {}

    /** A group's links, made for one map of groups and one set of groups referencing it. */
    private record Links(Map<String, SecurityGroup> groups, Set<String> referencing, Set<String> value) {}

    private record Union(List<Set<String>> parts, Set<String> value) {}

    record SetName(String name, String key) {
        static SetName of(String name) {
            return new SetName(name, "set " + name);
        }
    }

    private record MacSetOf(String groupId) {}

    /**
     * The names of a vnic's chains and its port's elements of the dispatch maps, made once per vnic
     * id and device rather than on every compile.
     */
    record VnicNames(String device, String src, String dst, String eg, String in, String iso, NftElement srcPort, NftElement dstPort) {
        static VnicNames of(String vnicId, String device) {
            String src = NftNames.of("src", vnicId);
            String dst = NftNames.of("dst", vnicId);
            String port = device == null ? null : NftNames.quote(device);
            NftElement.Value jumpSrc = new Verdict.Jump(src);
            NftElement.Value jumpDst = new Verdict.Jump(dst);
            return new VnicNames(device, src, dst, NftNames.of("eg", vnicId), NftNames.of("in", vnicId), NftNames.of("iso", vnicId),
                    port == null ? null : NftElement.of(port).to(jumpSrc), port == null ? null : NftElement.of(port).to(jumpDst));
        }
    }

    private final Map<SecurityGroup, GroupSets> byGroup = new IdentityHashMap<>();
    private final Map<String, Made> made = new HashMap<>();
    private final Map<String, VnicNames> names = new HashMap<>();
    private final Map<SecurityGroup, Links> links = new IdentityHashMap<>();
    /** Set names and their keys among the made values, made once per set. */
    private final Map<Object, SetName> setNames = new HashMap<>();
    private final Map<String, Union> unions = new HashMap<>();

    /** A MAC of {@code vnic_macs} with its element and how many counted vnics have it. */
    private record Counted(NftElement element, int vnics) {}

    /** The {@code vnic_macs} of the world of {@link #macsVersion} with the networks {@link #macsNetworks}. */
    private final TreeMap<MacAddress, Counted> macs = new TreeMap<>();
    private List<NftElement> macElements = List.of();
    private Object macsVersion;
    private Map<String, Network> macsNetworks;

    GroupSets of(SecurityGroup g, Map<String, IpSet> ipSets) {
        GroupSets s = byGroup.get(g);
        if (s == null || !s.compiledFor(ipSets)) {
            Map<String, IpVersion> named = new HashMap<>();
            Set<String> references = new TreeSet<>();
            for (Rule r : g.rules()) {
                switch (r.remote()) {
                    case Remote.IpSetRemote ref -> named.put(ref.ipSetId(), ipSets.containsKey(ref.ipSetId()) ? ipSets.get(ref.ipSetId()).version() : null);
                    case Remote.GroupRemote ref -> references.add(ref.groupId());
                    case Remote.CidrRemote c -> { }
                }
            }
            Map<String, IpVersion> present = new HashMap<>();
            named.forEach((id, v) -> {
                if (v != null) {
                    present.put(id, v);
                }
            });
            s = new GroupSets(RuleSets.of(NftNames.of("in", g.id()), Direction.INGRESS, g.rules(), present),
                    RuleSets.of(NftNames.of("eg", g.id()), Direction.EGRESS, g.rules(), present), Set.copyOf(references), named);
            byGroup.put(g, s);
        }
        return s;
    }

    /**
     * The groups linked to a vnic's groups by a reference rule, either way, other than its own:
     * the same set object as long as the world keeps the same groups (an agent's world changed
     * only in its vnics does), so the chains made from it are checked by identity.
     */
    Set<String> connected(List<SecurityGroup> own, World world) {
        if (own.size() == 1) {
            return links(own.get(0), world);
        }
        List<Set<String>> parts = new ArrayList<>(own.size());
        StringBuilder key = new StringBuilder();
        for (SecurityGroup g : own) {
            parts.add(links(g, world));
            key.append(g.id()).append(' ');
        }
        Union u = unions.get(key.toString());
        if (u == null || !same(u.parts(), parts)) {
            Set<String> out = new TreeSet<>();
            parts.forEach(out::addAll);
            own.forEach(g -> out.remove(g.id()));
            u = new Union(parts, Collections.unmodifiableSet(out));
            unions.put(key.toString(), u);
        }
        return u.value();
    }

    /** The other groups that one group references or is referenced by. */
    private Set<String> links(SecurityGroup g, World world) {
        Set<String> referencing = world.referencingGroups(g.id());
        Links l = links.get(g);
        if (l == null || l.groups() != world.groups() || l.referencing() != referencing) {
            Set<String> out = new TreeSet<>();
            for (String ref : of(g, world.ipSets()).references()) {
                if (world.groups().containsKey(ref)) {
                    out.add(ref);
                }
            }
            out.addAll(referencing);
            out.remove(g.id());
            l = new Links(world.groups(), referencing, Collections.unmodifiableSet(out));
            links.put(g, l);
        }
        return l.value();
    }

    /**
     * The MACs of the world's placed vnics whose ports are filtered: the {@code vnic_macs} set,
     * which holds every such vnic of the host's networks. Kept up to date from the vnics a diff
     * touched when the world was made by applying one to the world of the last call, with the same
     * networks, so a change costs what it touches rather than a walk over the network; counted
     * again from the world otherwise.
     */
    List<NftElement> vnicMacs(World world) {
        Optional<World.VnicChanges> changes = world.version() == macsVersion
                ? Optional.of(new World.VnicChanges(List.of(), List.of())) : world.vnicChangesSince(macsVersion);
        boolean changed = false;
        if (changes.isPresent() && world.networks() == macsNetworks) {
            List<Vnic> before = changes.get().before();
            List<Vnic> after = changes.get().after();
            Map<MacAddress, Boolean> held = new HashMap<>();
            for (int i = 0; i < before.size(); i++) {
                for (Vnic v : new Vnic[] {before.get(i), after.get(i)}) {
                    if (v != null) {
                        held.putIfAbsent(v.mac(), macs.containsKey(v.mac()));
                    }
                }
                count(world, before.get(i), -1);
                count(world, after.get(i), +1);
            }
            for (Map.Entry<MacAddress, Boolean> e : held.entrySet()) {
                changed |= macs.containsKey(e.getKey()) != e.getValue();
            }
        } else {
            macs.clear();
            world.vnics().values().forEach(v -> count(world, v, +1));
            changed = true;
        }
        if (changed) {
            List<NftElement> now = List.copyOf(macs.values().stream().map(Counted::element).toList());
            macElements = now.equals(macElements) ? macElements : now;
        }
        macsVersion = world.version();
        macsNetworks = world.networks();
        return macElements;
    }

    /** Counts a vnic's MAC in or out of {@code vnic_macs}, if it belongs there. */
    private void count(World world, Vnic v, int by) {
        if (v == null || v.hostId() == null || !Compiler.filtered(world, v)) {
            return;
        }
        Counted c = macs.get(v.mac());
        int n = (c == null ? 0 : c.vnics()) + by;
        if (n <= 0) {
            macs.remove(v.mac());
        } else {
            macs.put(v.mac(), new Counted(c == null ? NftElement.of(v.mac().toString()) : c.element(), n));
        }
    }

    /** The name of the set of a group's members' MACs. */
    SetName macSetName(String groupId) {
        return setNames.computeIfAbsent(new MacSetOf(groupId), k -> SetName.of(MacSets.of(groupId)));
    }

    /** The name of a named address set (a referenced group's addresses, an ip set). */
    SetName setName(RuleSets.AddressSet set) {
        return setNames.computeIfAbsent(set, k -> SetName.of(set.name()));
    }

    VnicNames names(Vnic v) {
        VnicNames n = names.get(v.id());
        if (n == null || !Objects.equals(n.device(), v.device())) {
            n = VnicNames.of(v.id(), v.device());
            names.put(v.id(), n);
        }
        return n;
    }

    /**
     * A chain's rules or a set's elements, made again only when one of {@code inputs} differs
     * from the inputs of the last time: the same object passes at once, others are compared by
     * equality. A value made again that equals the last is the last one's object.
     */
    @SuppressWarnings("unchecked") // a key is always made by the same code, so of the same type
    <T> List<T> made(String key, List<?> inputs, Supplier<List<T>> make) {
        Made m = made.get(key);
        if (m == null || !same(m.inputs(), inputs)) {
            List<T> value = List.copyOf(make.get());
            m = new Made(inputs, m != null && m.value().equals(value) ? m.value() : value);
            made.put(key, m);
        }
        return (List<T>) m.value();
    }

    /**
     * As {@link #made(String, List, Supplier)} when {@code reuse}; otherwise made afresh and not
     * kept, for rules that are made together with something else (a vnic's drop-log chains).
     */
    <T> List<T> made(String key, List<?> inputs, boolean reuse, Supplier<List<T>> make) {
        return reuse ? made(key, inputs, make) : List.copyOf(make.get());
    }

    private static boolean same(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i) && !Objects.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Forgets the groups that are no longer part of {@code world} (replaced or removed), and leftovers of many removed vnics. */
    public void retain(World world) {
        byGroup.keySet().removeIf(g -> world.groups().get(g.id()) != g);
        links.keySet().removeIf(g -> world.groups().get(g.id()) != g);
        int bound = 8 * Math.max(16, world.vnics().size() + world.groups().size());
        if (made.size() > bound) {
            made.clear();
        }
        if (unions.size() > bound) {
            unions.clear();
        }
        if (names.size() > bound) {
            names.clear();
        }
        if (setNames.size() > bound) {
            setNames.clear();
        }
    }

    /** How many groups are held. */
    public int size() {
        return byGroup.size();
    }
}
