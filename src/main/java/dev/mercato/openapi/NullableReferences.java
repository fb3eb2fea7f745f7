package dev.mercato.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * A property that holds another schema or null ({@code @Schema(types = {"object", "null"})} on a record) comes out
 * of swagger-core as {@code {"type": ["object", "null"], "$ref": ...}}; in OpenAPI 3.1 the {@code $ref} applies as
 * well, and the referenced object schema refuses null. Published instead as
 * {@code {"anyOf": [{"$ref": ...}, {"type": "null"}]}}, which says what the API sends.
 */
final class NullableReferences implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        for (Schema<?> schema : openApi.getComponents().getSchemas().values()) {
            Map<String, Schema> properties = schema.getProperties();
            if (properties != null) {
                properties.replaceAll(
                        (name, property) -> nullableReference(property) ? anyOfOrNull(property) : property);
            }
        }
    }

    private static boolean nullableReference(Schema<?> property) {
        return property.get$ref() != null
                && property.getTypes() != null
                && property.getTypes().contains("null");
    }

    private static Schema<?> anyOfOrNull(Schema<?> property) {
        return new JsonSchema()
                .description(property.getDescription())
                .anyOf(List.of(new JsonSchema().$ref(property.get$ref()), new JsonSchema().types(Set.of("null"))));
    }
}
