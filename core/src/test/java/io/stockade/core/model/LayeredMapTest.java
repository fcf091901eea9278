package io.stockade.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Through any sequence of changes (removals and puts of new, present and just removed keys, and
 * the pushes into the middle layer and folds into a new base that many changes bring), a layered map holds, answers and iterates
 * exactly as a LinkedHashMap after the same removals and puts.
 */
class LayeredMapTest {
    private record Item(String id, int value) {}

    @Property(tries = 100)
    void behavesAsALinkedHashMap(@ForAll long seed) {
        Random r = new Random(seed);
        Map<String, Item> expected = new LinkedHashMap<>();
        for (int i = 0; i < r.nextInt(300); i++) {
            expected.put("k" + i, new Item("k" + i, i));
        }
        Map<String, Item> actual = Collections.unmodifiableMap(new LinkedHashMap<>(expected));
        Map<String, Item> earlier = actual;
        List<Map.Entry<String, Item>> earlierEntries = entries(expected);
        for (int step = 0; step < 600; step++) {
            Set<String> gone = new LinkedHashSet<>();
            List<Item> changed = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                gone.add("k" + r.nextInt(320));
            }
            for (int i = r.nextInt(4); i > 0; i--) {
                String k = "k" + r.nextInt(320);
                changed.add(new Item(k, 1000 + step * 10 + i));
            }
            gone.forEach(expected::remove);
            changed.forEach(item -> expected.put(item.id(), item));
            actual = LayeredMap.of(actual, changed, Item::id, gone);
            assertThat(List.copyOf(actual.entrySet())).as("seed %d step %d", seed, step).isEqualTo(List.copyOf(expected.entrySet()));
            assertThat(actual).hasSize(expected.size()).isEqualTo(expected);
            for (int i = 0; i < 320; i++) {
                assertThat(actual.get("k" + i)).isEqualTo(expected.get("k" + i));
                assertThat(actual.containsKey("k" + i)).isEqualTo(expected.containsKey("k" + i));
            }
            // A map made before is what it was, whatever came after (layers are shared, never changed).
            assertThat(List.copyOf(earlier.entrySet())).as("seed %d step %d, an earlier map", seed, step).isEqualTo(earlierEntries);
            if (step % 37 == 0) {
                earlier = actual;
                earlierEntries = entries(expected);
            }
        }
    }

    /** The entries as they are now (a LinkedHashMap's own entries change with it). */
    private static List<Map.Entry<String, Item>> entries(Map<String, Item> m) {
        return m.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    @Example
    void nothingToChangeIsTheSameMapAndItCannotBeChanged() {
        Map<String, Item> base = Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("a", new Item("a", 1))));
        assertThat(LayeredMap.of(base, List.of(), Item::id, Set.of("b"))).isSameAs(base);
        Map<String, Item> next = LayeredMap.of(base, List.of(new Item("b", 2)), Item::id, Set.of());
        assertThatThrownBy(() -> next.put("c", new Item("c", 3))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> next.entrySet().iterator().next().setValue(new Item("a", 9))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(base).containsOnlyKeys("a");
        assertThat(next.get(null)).isNull();
        assertThat(next.containsKey(null)).isFalse();
    }
}
