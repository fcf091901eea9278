package io.stockade.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.testing.RandomWorlds;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SliceDiffTest {

    @Property(tries = 200)
    void applyingTheDiffGivesTheTarget(@ForAll long seedA, @ForAll long seedB) {
        World a = RandomWorlds.world(new Random(seedA), RandomWorlds.PROFILES.get((int) Math.floorMod(seedA, 4)));
        World b = RandomWorlds.world(new Random(seedB), RandomWorlds.PROFILES.get((int) Math.floorMod(seedB, 4))).atRevision(7);
        World c = SliceDiff.between(a, b).applyTo(a);
        assertThat(c.groups()).isEqualTo(b.groups());
        assertThat(c.vnics()).isEqualTo(b.vnics());
        assertThat(c.ipSets()).isEqualTo(b.ipSets());
        assertThat(c.networks()).isEqualTo(b.networks());
        assertThat(c.policy()).isEqualTo(b.policy());
        assertThat(c.revision()).isEqualTo(7);
    }

    @Test
    void aMembershipChangeIsOneVnic() {
        World a = RandomWorlds.world(new Random(1), "wakame");
        Vnic v = a.vnics().values().iterator().next();
        World b = a.toBuilder().vnic(v.withGroups(java.util.List.of("sg-g0"))).revision(2).build();
        SliceDiff d = SliceDiff.between(a, b);
        assertThat(d.vnics()).hasSize(v.securityGroupIds().equals(java.util.List.of("sg-g0")) ? 0 : 1);
        assertThat(d.groups()).isEmpty();
        assertThat(d.deleted()).isEmpty();
        assertThat(SliceDiff.between(a, a).isEmpty(a)).isTrue();
    }
}
