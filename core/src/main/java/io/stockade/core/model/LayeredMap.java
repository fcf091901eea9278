package io.stockade.core.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable map in insertion order made of a base map and the changes since: values replaced,
 * keys removed, keys added (last). A change copies only the changes, not the base, so a world of
 * many vnics takes a diff of a few without copying its vnic map (see {@link #of(Map, Map, Set)}
 * for the layers and what a change costs). It holds and iterates
 * exactly what a {@link LinkedHashMap} would after the same removals and puts (removals first,
 * as a builder makes them). No null keys or values.
 */
final class LayeredMap<V> extends AbstractMap<String, V> {
    private final Map<String, V> base;
    private final Map<String, V> replaced;
    private final Set<String> removed;
    private final LinkedHashMap<String, V> added;
    private final int size;

    /** {@code base} is never changed: callers hand over a map that nothing changes any more. */
    private LayeredMap(Map<String, V> base, Map<String, V> replaced, Set<String> removed, LinkedHashMap<String, V> added) {
        this.base = base;
        this.replaced = replaced;
        this.removed = removed;
        this.added = added;
        this.size = base.size() - removed.size() + added.size();
    }

    /** {@code map} without the keys in {@code gone} and with {@code changed} put in, keyed by {@code id}. */
    static <V> Map<String, V> of(Map<String, V> map, List<V> changed, Function<V, String> id, Set<String> gone) {
        Map<String, V> puts = new LinkedHashMap<>();
        changed.forEach(v -> puts.put(id.apply(v), v));
        return of(map, puts, gone);
    }

    /**
     * {@code map} without the keys in {@code gone} and with {@code puts} put in, in their order.
     * The map made is a small top layer over a larger middle one over a flat base: a change copies
     * the top layer (up to the cube root of n entries); when it outgrows that it is pushed into the
     * middle one (copied, up to n^2/3 entries, once in as many changes as the top holds), and when
     * that outgrows its bound it is folded into a new flat base (n entries, once in n^2/3
     * changes). Each costs O(n^1/3) a change; one flat layer would cost O(sqrt n).
     */
    static <V> Map<String, V> of(Map<String, V> map, Map<String, V> puts, Set<String> gone) {
        if (puts.isEmpty() && gone.stream().noneMatch(map::containsKey)) {
            return map;
        }
        LayeredMap<V> top = map instanceof LayeredMap<V> l && l.base instanceof LayeredMap<V> ? l : over(over(map));
        LayeredMap<V> middle = (LayeredMap<V>) top.base;
        int n = middle.base.size();
        LayeredMap<V> t = top.with(puts, gone);
        if (t.changes() <= Math.max(32, (int) Math.cbrt(n))) {
            return t;
        }
        LayeredMap<V> m = middle.with(t.puts(), t.removed);
        if (m.changes() <= Math.max(256, (int) Math.pow(n, 2.0 / 3))) {
            return over(m);
        }
        return over(over(Collections.unmodifiableMap(new LinkedHashMap<>(m))));
    }

    private static <V> LayeredMap<V> over(Map<String, V> base) {
        return new LayeredMap<>(base, Map.of(), Set.of(), new LinkedHashMap<>());
    }

    /** This map's base with this layer's changes and then these (the layer copied, the base shared). */
    private LayeredMap<V> with(Map<String, V> puts, Set<String> gone) {
        Map<String, V> replaced = new HashMap<>(this.replaced);
        Set<String> removed = new HashSet<>(this.removed);
        LinkedHashMap<String, V> added = new LinkedHashMap<>(this.added);
        for (String k : gone) {
            if (added.remove(k) == null && base.containsKey(k)) {
                removed.add(k);
                replaced.remove(k);
            }
        }
        puts.forEach((k, v) -> {
            if (added.containsKey(k) || !base.containsKey(k) || removed.contains(k)) {
                added.put(k, v);
            } else {
                replaced.put(k, v);
            }
        });
        return new LayeredMap<>(base, replaced, removed, added);
    }

    private int changes() {
        return replaced.size() + removed.size() + added.size();
    }

    /** This layer's puts, as {@link #with} takes them after the removals: the replaced keys, then the added ones in their order. */
    private Map<String, V> puts() {
        Map<String, V> out = new LinkedHashMap<>(replaced);
        out.putAll(added);
        return out;
    }

    @Override
    public V get(Object key) {
        if (key == null) {
            return null; // no null keys (and Set.of() refuses to be asked for one)
        }
        V v = added.get(key);
        if (v != null || removed.contains(key)) {
            return v;
        }
        v = replaced.get(key);
        return v != null ? v : base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private final Iterator<Entry<String, V>> inBase = base.entrySet().iterator();
                    private final Iterator<Entry<String, V>> inAdded = added.entrySet().iterator();
                    private Entry<String, V> next = advance();

                    private Entry<String, V> advance() {
                        while (inBase.hasNext()) {
                            Entry<String, V> e = inBase.next();
                            if (removed.contains(e.getKey())) {
                                continue;
                            }
                            V now = replaced.get(e.getKey());
                            return now == null ? e : Map.entry(e.getKey(), now);
                        }
                        if (inAdded.hasNext()) {
                            Entry<String, V> e = inAdded.next();
                            return Map.entry(e.getKey(), e.getValue());
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public Entry<String, V> next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, V> e = next;
                        next = advance();
                        return e;
                    }
                };
            }
        };
    }
}
