package io.stockade.compiler;

import io.stockade.core.model.SecurityGroup;
import io.stockade.core.model.Vnic;
import io.stockade.core.model.World;
import io.stockade.core.testing.RandomWorlds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One random change of a world: a rule added, a vnic joining or leaving a group, a vnic removed, a group's rules replaced. */
final class RandomChanges {
    private RandomChanges() {}

    static World change(World w, Random r) {
        List<Vnic> vnics = new ArrayList<>(w.vnics().values());
        List<String> groups = new ArrayList<>(w.groups().keySet());
        switch (r.nextInt(5)) {
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
