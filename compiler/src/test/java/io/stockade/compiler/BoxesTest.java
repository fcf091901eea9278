package io.stockade.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.stockade.core.net.Cidr;
import io.stockade.core.net.Ip;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BoxesTest {
    private static Boxes.Box box(String cidr, long plo, long phi, long lo, long hi) {
        return new Boxes.Box(cidr == null ? null : Cidr.parse(cidr, "c"), new long[] {plo, lo}, new long[] {phi, hi});
    }

    @Test
    void containedBoxesDisappearAndOverlapsAreSplit() {
        List<Boxes.Box> out = Boxes.disjoint(List.of(box("0.0.0.0/0", 6, 6, 20, 30), box("192.0.2.0/24", 6, 6, 22, 22),
                box("0.0.0.0/0", 6, 6, 25, 40)));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).lo()).containsExactly(6, 20);
        assertThat(out.get(0).hi()).containsExactly(6, 40);
    }

    /** The disjoint boxes cover exactly the same points, and no two of them overlap. */
    @Property(tries = 300)
    void sameUnionNoOverlap(@ForAll long seed) {
        Random r = new Random(seed);
        String[] cidrs = {"0.0.0.0/0", "192.0.2.0/24", "192.0.2.128/25", "198.51.100.0/24", "192.0.2.7/32"};
        List<Boxes.Box> in = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
            long a = r.nextInt(20);
            long b = a + r.nextInt(6);
            in.add(box(cidrs[r.nextInt(cidrs.length)], 6 + 11 * r.nextInt(2), 6 + 11 * r.nextInt(2) == 6 ? 6 : 17, a, b));
        }
        in.removeIf(x -> x.lo()[0] > x.hi()[0]);
        List<Boxes.Box> out = Boxes.disjoint(in);
        String[] probes = {"192.0.2.7", "192.0.2.200", "198.51.100.1", "203.0.113.1", "192.0.2.1"};
        for (String p : probes) {
            for (long proto : new long[] {6, 17}) {
                for (long port = 0; port < 27; port++) {
                    int hitsIn = count(in, p, proto, port);
                    int hitsOut = count(out, p, proto, port);
                    assertThat(hitsOut > 0).isEqualTo(hitsIn > 0);
                    assertThat(hitsOut).isLessThanOrEqualTo(1);
                }
            }
        }
    }

    private static int count(List<Boxes.Box> boxes, String addr, long proto, long port) {
        int n = 0;
        for (Boxes.Box b : boxes) {
            if (b.cidr().contains(Ip.parse(addr, "a")) && b.lo()[0] <= proto && proto <= b.hi()[0] && b.lo()[1] <= port && port <= b.hi()[1]) {
                n++;
            }
        }
        return n;
    }
}
