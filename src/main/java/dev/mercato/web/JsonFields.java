package dev.mercato.web;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;

/**
 * Translates a Java property path of a request record ({@code profile.firstName}) into the name the
 * client sent ({@code profile.first_name} in v2) and the JSON type it must have, for error details.
 */
final class JsonFields {

    private JsonFields() {}

    /** The field as the client spells it, followed by its JSON type: {@code "user_id (string)"}. */
    static String describe(Class<?> root, String propertyPath) {
        StringBuilder jsonPath = new StringBuilder();
        Class<?> current = root;
        Type currentType = root;
        for (String segment : propertyPath.split("\\.")) {
            String name = segment.replaceAll("\\[.*]", "");
            String index = segment.substring(name.length());
            if (!jsonPath.isEmpty()) {
                jsonPath.append('.');
            }
            jsonPath.append(jsonName(current, name)).append(index);
            currentType = propertyType(current, name);
            if (!index.isEmpty() && currentType instanceof ParameterizedType parameterized) {
                currentType = parameterized.getActualTypeArguments()[0];
            }
            current = rawClass(currentType);
        }
        return jsonPath + " (" + jsonType(current) + ")";
    }

    /** The JSON type of the field a client spelt {@code jsonName} in {@code owner}; {@code value} when unknown. */
    static String jsonTypeOf(Class<?> owner, String jsonName) {
        if (owner != null && owner.isRecord() && jsonName != null) {
            for (RecordComponent component : owner.getRecordComponents()) {
                if (jsonName(owner, component.getName()).equals(jsonName)) {
                    return jsonType(component.getType());
                }
            }
        }
        return "value";
    }

    static String jsonType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum() || Temporal.class.isAssignableFrom(type)) {
            return "string";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class) {
            return "integer";
        }
        if (type == BigDecimal.class
                || type == Double.class
                || type == double.class
                || type == Float.class
                || type == float.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "array";
        }
        if (Map.class.isAssignableFrom(type) || type == Object.class) {
            return "object";
        }
        return "object";
    }

    private static String jsonName(Class<?> owner, String property) {
        if (owner != null && owner.isAnnotationPresent(SnakeCaseJson.class)) {
            return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
        }
        return property;
    }

    private static Type propertyType(Class<?> owner, String property) {
        if (owner == null) {
            return null;
        }
        if (owner.isRecord()) {
            for (RecordComponent component : owner.getRecordComponents()) {
                if (component.getName().equals(property)) {
                    return component.getGenericType();
                }
            }
        }
        for (Class<?> type = owner; type != null && type != Object.class; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(property);
                return field.getGenericType();
            } catch (NoSuchFieldException ignored) {
                // keep walking up the hierarchy
            }
        }
        return null;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return null;
    }
}
