package dev.mercato.shared;

import java.util.List;
import java.util.function.Function;

/** One page of a list and the total number of items the whole list holds. */
public record Page<T>(List<T> items, long total) {

    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), total);
    }
}
