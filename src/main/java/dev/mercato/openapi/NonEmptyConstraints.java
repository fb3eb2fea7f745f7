package dev.mercato.openapi;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.lang.reflect.Field;
import java.util.Iterator;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.util.ReflectionUtils;

/**
 * Publishes {@code @NotBlank} and {@code @NotEmpty} as {@code minLength: 1} or {@code minItems: 1} also when the
 * field has a {@code @Size}: swagger-core applies {@code @Size} after them and writes its default {@code min} of 0
 * over their 1. Mends the finished model of each of our classes, as springdoc's own converters do.
 */
final class NonEmptyConstraints implements ModelConverter {

    private static final String REF_PREFIX = "#/components/schemas/";

    private final ObjectMapperProvider mappers;

    NonEmptyConstraints(ObjectMapperProvider mappers) {
        this.mappers = mappers;
    }

    @Override
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        Schema<?> schema = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        Schema<?> model = schema == null || schema.get$ref() == null
                ? schema
                : context.getDefinedModels().get(schema.get$ref().replace(REF_PREFIX, ""));
        if (model == null || model.getProperties() == null) {
            return schema;
        }
        ObjectMapper mapper = mappers.jsonMapper();
        JavaType javaType = mapper.constructType(type.getType());
        if (!javaType.getRawClass().getPackageName().startsWith("dev.mercato")) {
            return schema;
        }
        for (BeanPropertyDefinition property :
                mapper.getSerializationConfig().introspect(javaType).findProperties()) {
            Field field = ReflectionUtils.findField(javaType.getRawClass(), property.getInternalName());
            Schema<?> published = model.getProperties().get(property.getName());
            if (field != null
                    && published != null
                    && (field.isAnnotationPresent(NotBlank.class) || field.isAnnotationPresent(NotEmpty.class))) {
                requireOne(published);
            }
        }
        return schema;
    }

    private static void requireOne(Schema<?> schema) {
        if (is(schema, "array") && (schema.getMinItems() == null || schema.getMinItems() < 1)) {
            schema.setMinItems(1);
        } else if (is(schema, "string") && (schema.getMinLength() == null || schema.getMinLength() < 1)) {
            schema.setMinLength(1);
        }
    }

    private static boolean is(Schema<?> schema, String type) {
        return type.equals(schema.getType())
                || schema.getTypes() != null && schema.getTypes().contains(type);
    }
}
