package dev.mercato.integrations;

import java.util.Map;
import java.util.Set;

/**
 * A request body of the integrations API as plain values, checked field by field by the service: each integration
 * has settings of its own, so no fixed request record can bind them. Either absent, or not a JSON object, or an
 * object's fields with their values as JSON gave them ({@code String}, {@code Boolean}, {@code Integer},
 * {@code Long}, {@code BigInteger}, {@code Double}, {@code BigDecimal}, {@code null}, or a {@code List} or
 * {@code Map} of those).
 *
 * @param fields the object's fields in the order sent; null when the body is absent or not an object
 * @param present whether a body (other than JSON {@code null}) was sent
 */
record SettingsBody(Map<String, Object> fields, boolean present) {

    static final SettingsBody ABSENT = new SettingsBody(null, false);
    static final SettingsBody NOT_AN_OBJECT = new SettingsBody(null, true);

    static SettingsBody of(Map<String, Object> fields) {
        return new SettingsBody(fields, true);
    }

    boolean isObject() {
        return fields != null;
    }

    /** Whether the field was sent, with a value or as {@code null}. */
    boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The field's value; null both when it was sent as {@code null} and when it was left out (see {@link #has}). */
    Object get(String name) {
        return fields.get(name);
    }

    Set<String> names() {
        return fields.keySet();
    }
}
