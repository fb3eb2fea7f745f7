package dev.mercato.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies a JSON Merge Patch to a resource's replaceable representation and binds the result back into
 * the replace-request record, with the same strictness and validation as a PUT body.
 */
@Component
public class JsonMergePatcher {

    private final JsonMapper jsonMapper;
    private final Validator validator;

    JsonMergePatcher(JsonMapper jsonMapper, Validator validator) {
        this.jsonMapper = jsonMapper;
        this.validator = validator;
    }

    public <T> T patch(T current, JsonNode patch, Class<T> type) {
        if (patch == null || !patch.isObject()) {
            throw new ApiException(
                    org.springframework.http.HttpStatus.BAD_REQUEST,
                    "MALFORMED_JSON",
                    "A merge patch must be a JSON object.",
                    "");
        }
        JsonNode merged = MergePatch.apply(jsonMapper.valueToTree(current), patch);
        T result;
        try {
            result = jsonMapper.treeToValue(merged, type);
        } catch (JacksonException e) {
            throw JsonErrors.translate(e);
        }
        Set<ConstraintViolation<T>> violations = validator.validate(result);
        violations.stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .ifPresent(violation -> {
                    String path = violation.getPropertyPath().toString();
                    String details = JsonFields.describe(type, path);
                    String name = details.substring(0, details.indexOf(' '));
                    String constraint = violation
                            .getConstraintDescriptor()
                            .getAnnotation()
                            .annotationType()
                            .getSimpleName();
                    throw ApiException.invalidParameter(
                            name,
                            ValidationMessages.forField(
                                    name, constraint, violation.getMessage(), violation.getInvalidValue()),
                            details);
                });
        return result;
    }
}
