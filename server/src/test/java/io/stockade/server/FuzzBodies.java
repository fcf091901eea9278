package io.stockade.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random request bodies for API fuzzing: JSON objects whose keys are an API's field names and
 * whose values are random or plausible scalars, lists and nested objects; some cut in half,
 * some not objects at all.
 */
public final class FuzzBodies {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FuzzBodies() {}

    /** Scalars: random strings, the given plausible words, numbers around the edges, booleans, null. */
    public static Arbitrary<Object> scalars(List<String> words) {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(x -> (Object) x),
                // What one store takes and the other does not: NUL characters, names over 255 characters.
                Arbitraries.strings().withChars('\u0000', 'a', '\n').ofMaxLength(4).map(x -> (Object) x),
                Arbitraries.strings().withChars('n').ofMinLength(250).ofMaxLength(300).map(x -> (Object) x),
                Arbitraries.of(words).map(x -> (Object) x),
                Arbitraries.integers().between(-5, 70000).map(x -> (Object) x),
                Arbitraries.of(true, false).map(x -> (Object) x),
                Arbitraries.just((Object) null));
    }

    /** Objects with up to six of the fields, each a scalar, a list of scalars or a small object. */
    public static Arbitrary<Map<String, Object>> objects(List<String> fields, List<String> words) {
        Arbitrary<Object> scalars = scalars(words);
        Arbitrary<Object> values = Arbitraries.oneOf(scalars, scalars.list().ofMaxSize(3).map(x -> (Object) x),
                Arbitraries.maps(Arbitraries.of(fields), scalars).ofMaxSize(4).map(x -> (Object) x));
        return Arbitraries.maps(Arbitraries.of(fields), values).ofMaxSize(6);
    }

    /**
     * Objects that come close to valid ones: the required fields and some others, each with one
     * of its plausible values (which may still be wrong together).
     */
    public static Arbitrary<Map<String, Object>> plausible(Map<String, List<Object>> choices, java.util.Set<String> required) {
        return Arbitraries.subsetOf(choices.keySet()).flatMap(fields -> {
            java.util.Set<String> chosen = new java.util.TreeSet<>(fields);
            required.stream().filter(choices::containsKey).forEach(chosen::add);
            List<String> keys = List.copyOf(chosen);
            List<Arbitrary<Object>> values = keys.stream().map(k -> Arbitraries.of(choices.get(k))).toList();
            return Combinators.combine(values).as(vs -> {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    m.put(keys.get(i), vs.get(i));
                }
                return m;
            });
        });
    }

    /** Mostly the given objects as JSON; some cut short, some other JSON values. */
    public static Arbitrary<String> bodies(Arbitrary<?> objects) {
        Arbitrary<String> json = objects.map(FuzzBodies::json);
        Arbitrary<String> broken = json.map(j -> j.substring(0, Math.max(0, j.length() / 2)));
        return Arbitraries.frequencyOf(Tuple.of(6, json), Tuple.of(1, broken),
                Tuple.of(1, Arbitraries.of("[]", "null", "42", "\"x\"", "{}", "{\"name\":{}}")));
    }

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
