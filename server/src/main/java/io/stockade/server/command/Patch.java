package io.stockade.server.command;

import java.util.function.Function;

/** One field of an update: left as it is, or set to a value (which may be null where the field may be empty: cleared). */
public sealed interface Patch<T> {
    record Keep<T>() implements Patch<T> {}

    record To<T>(T value) implements Patch<T> {}

    static <T> Patch<T> keep() {
        return new Keep<>();
    }

    static <T> Patch<T> to(T value) {
        return new To<>(value);
    }

    /** Kept when {@code value} is null, else set to it: for fields a request clears by leaving them out, never by null. */
    static <T> Patch<T> unlessNull(T value) {
        return value == null ? new Keep<>() : new To<>(value);
    }

    /** The field's value after the update: {@code current} when kept. */
    default T or(T current) {
        return this instanceof To<T> to ? to.value() : current;
    }

    /** The field's value after the update when the given value must first be resolved (a token to an id). */
    default <R> R or(R current, Function<T, R> resolve) {
        return this instanceof To<T> to ? resolve.apply(to.value()) : current;
    }
}
