package dev.mercato.shared;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON type of a request value as parsed into plain Java values, named as error details name it after a field
 * ({@code region (string)}): for a field no request type declares, the type is that of the value sent.
 */
public final class JsonTypes {

    private JsonTypes() {}

    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return "integer";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Collection<?>) {
            return "array";
        }
        if (value instanceof Map<?, ?>) {
            return "object";
        }
        return "value";
    }
}
