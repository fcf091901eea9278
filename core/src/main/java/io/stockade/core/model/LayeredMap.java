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
 * many vnics takes a diff of a few without copying its vnic map; once the changes outgrow about
 * twice the square root of the base, they are folded into a new base. It holds and iterates
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

    /** {@code map} without the keys in {@code gone} and with {@code puts} put in, in their order. */
    static <V> Map<String, V> of(Map<String, V> map, Map<String, V> puts, Set<String> gone) {
        if (puts.isEmpty() && gone.stream().noneMatch(map::containsKey)) {
            return map;
        }
        LayeredMap<V> m = map instanceof LayeredMap<V> l ? l
                : new LayeredMap<>(map, Map.of(), Set.of(), new LinkedHashMap<>());
        Map<String, V> replaced = new HashMap<>(m.replaced);
        Set<String> removed = new HashSet<>(m.removed);
        LinkedHashMap<String, V> added = new LinkedHashMap<>(m.added);
        for (String k : gone) {
            if (added.remove(k) == null && m.base.containsKey(k)) {
                removed.add(k);
                replaced.remove(k);
            }
        }
        puts.forEach((k, v) -> {
            if (added.containsKey(k) || !m.base.containsKey(k) || removed.contains(k)) {
                added.put(k, v);
            } else {
                replaced.put(k, v);
            }
        });
        // Up to about twice the square root of the base in changes: a change copies that many, and a
        // fold of n entries comes once in as many changes, so either costs O(sqrt n) a change.
        if (replaced.size() + removed.size() + added.size() <= Math.max(64, 2 * (int) Math.sqrt(m.base.size()))) {
            return new LayeredMap<>(m.base, replaced, removed, added);
        }
        Map<String, V> folded = new LinkedHashMap<>(new LayeredMap<>(m.base, replaced, removed, added));
        return new LayeredMap<>(Collections.unmodifiableMap(folded), Map.of(), Set.of(), new LinkedHashMap<>());
    }

    @Override
    public V get(Object key) {
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
