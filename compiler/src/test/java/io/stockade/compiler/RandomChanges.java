package io.stockade.compiler;

import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One random change of a world: a rule added, a vnic joining or leaving a group, a vnic removed,
 * a group's rules replaced, a vnic's port security switched, a vnic taken off or put on a host.
 */
final class RandomChanges {
    private RandomChanges() {}

    static World change(World w, Random r) {
        List<Vnic> vnics = new ArrayList<>(w.vnics().values());
        List<String> groups = new ArrayList<>(w.groups().keySet());
        switch (r.nextInt(7)) {
            case 5 -> {
                if (vnics.isEmpty()) {
                    return w;
                }
                Vnic v = vnics.get(r.nextInt(vnics.size()));
                Vnic flipped = new Vnic(v.id(), v.projectId(), v.name(), v.instanceId(), v.hostId(), v.device(), v.mac(), v.addresses(),
                        v.networkId(), v.securityGroupIds(), !v.portSecurity(), v.logDrops());
                return w.toBuilder().vnic(flipped).revision(w.revision() + 1).build();
            }
            case 6 -> {
                if (vnics.isEmpty()) {
                    return w;
                }
                Vnic v = vnics.get(r.nextInt(vnics.size()));
                return w.toBuilder().vnic(v.withHost(v.hostId() == null ? "h-test" : null, v.hostId() == null ? "tap77" : null))
                        .revision(w.revision() + 1).build();
            }
            case 0 -> {
                return RandomWorlds.withExtraRule(w, r);
            }
            case 1, 2 -> {
                if (vnics.isEmpty() || groups.isEmpty()) {
                    return w;
                }
                Vnic v = vnics.get(r.nextInt(vnics.size()));
                List<String> next = new ArrayList<>(v.securityGroupIds());
                String g = groups.get(r.nextInt(groups.size()));
                if (!next.remove(g)) {
                    next.add(g);
                }
                return w.toBuilder().vnic(v.withGroups(next)).revision(w.revision() + 1).build();
            }
            case 3 -> {
                if (vnics.isEmpty()) {
                    return w;
                }
                return w.toBuilder().remove(vnics.get(r.nextInt(vnics.size())).id()).revision(w.revision() + 1).build();
            }
            default -> {
                if (groups.isEmpty()) {
                    return w;
                }
                SecurityGroup g = w.groups().get(groups.get(r.nextInt(groups.size())));
                return w.toBuilder().group(new SecurityGroup(g.id(), g.projectId(), g.name(), g.description(), g.stateful(), g.global(),
                        RandomWorlds.rules(r, groups))).revision(w.revision() + 1).build();
            }
        }
    }
}
