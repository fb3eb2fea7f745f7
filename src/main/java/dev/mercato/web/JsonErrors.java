package dev.mercato.web;

import java.util.List;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Translates Jackson's reading failures into the API's errors, naming the field the client sent. */
final class JsonErrors {

    private JsonErrors() {}

    static ApiException translate(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            return new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "UNKNOWN_FIELD",
                    "The field '" + field + "' is not part of this request.",
                    field + " (" + (unknown instanceof UnknownField sent ? sent.sentType : "value") + ")");
        }
        if (e instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            String field = path(mismatch);
            String type = JsonFields.jsonType(mismatch.getTargetType());
            return ApiException.invalidParameter(
                    field, "The '" + field + "' parameter must be of type " + type + ".", field + " (" + type + ")");
        }
        if (e instanceof InputCoercionException outOfRange
                && !outOfRange.getPath().isEmpty()) {
            // Valid JSON, but a number too large for the field's type (3000000000 for an integer).
            String field = path(outOfRange);
            String type = JsonFields.jsonType(outOfRange.getTargetType());
            return ApiException.invalidParameter(
                    field, "The '" + field + "' parameter is out of range.", field + " (" + type + ")");
        }
        if (e instanceof DatabindException invalid && !invalid.getPath().isEmpty()) {
            // A value of the right JSON type that the field cannot take (a number beyond what it can hold).
            String field = path(invalid);
            JacksonException.Reference last =
                    invalid.getPath().get(invalid.getPath().size() - 1);
            Object owner = last.from();
            String type = JsonFields.jsonTypeOf(
                    owner instanceof Class<?> c ? c : owner == null ? null : owner.getClass(), last.getPropertyName());
            return ApiException.invalidParameter(
                    field, "The '" + field + "' parameter has a value it cannot take.", field + " (" + type + ")");
        }
        if (e instanceof MismatchedInputException) {
            // A JSON value of the wrong shape for the whole body, such as an array or a string.
            return new ApiException(
                    HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "The request body must be a JSON object.", "");
        }
        return malformed(e);
    }

    /**
     * Not JSON at all: where, and why. A comment gets its own sentence, since examples written for people (the v1
     * reference's notification, with its {@code // or "sms"}) are copied with them.
     */
    private static ApiException malformed(JacksonException e) {
        String reason = firstLine(e.getOriginalMessage());
        boolean comment = reason.contains("comment");
        TokenStreamLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return new ApiException(
                    HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "The request body is not valid JSON: " + reason, "");
        }
        String position = "line " + location.getLineNr() + ", column " + location.getColumnNr();
        String message = comment
                ? "The request body is not valid JSON: " + position + " starts a comment, and JSON has no comments "
                        + "(neither // nor /* */); remove it."
                : "The request body is not valid JSON at " + position + ": " + reason;
        return new ApiException(HttpStatus.BAD_REQUEST, "MALFORMED_JSON", message, position);
    }

    /**
     * A field the request type does not declare, with the JSON type of the value sent for it ({@code colour
     * (string)}), read while the parser was still at that value.
     */
    static final class UnknownField extends UnrecognizedPropertyException {

        private final String sentType;

        UnknownField(JsonParser parser, Object beanOrClass, String name) {
            super(
                    parser,
                    "Unrecognized field '" + name + "'",
                    parser.currentLocation(),
                    beanOrClass instanceof Class<?> type ? type : beanOrClass.getClass(),
                    name,
                    null);
            this.sentType = typeOf(parser.currentToken());
            prependPath(beanOrClass, name);
        }
    }

    private static String typeOf(JsonToken token) {
        if (token == null) {
            return "value";
        }
        return switch (token) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT -> "integer";
            case VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> "value";
        };
    }

    private static String path(JacksonException e) {
        List<JacksonException.Reference> path = e.getPath();
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
