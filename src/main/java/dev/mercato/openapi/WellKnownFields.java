package dev.mercato.openapi;

import dev.mercato.security.Scope;
import dev.mercato.shared.Money;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Fields that the services check by their meaning rather than by Bean Validation annotations, described by
 * name in both documents: every {@code currency}, field or query parameter, is an upper-case ISO 4217 code
 * ({@link Money}); every {@code scopes} list holds values of {@link Scope}, published as the {@code Scope} schema.
 */
final class WellKnownFields implements OpenApiCustomizer {

    static final String SCOPE_SCHEMA = "Scope";
    private static final String CURRENCY = "currency";
    private static final String SCOPES = "scopes";

    @Override
    public void customise(OpenAPI openApi) {
        Map<String, Schema> schemas =
                openApi.getComponents() == null ? null : openApi.getComponents().getSchemas();
        if (schemas != null) {
            for (Schema<?> schema : List.copyOf(schemas.values())) { // describe() adds the Scope schema
                describe(openApi, schema.getProperties());
            }
        }
        if (openApi.getPaths() != null) {
            openApi.getPaths()
                    .values()
                    .forEach(path -> path.readOperations().stream()
                            .filter(operation -> operation.getParameters() != null)
                            .flatMap(operation -> operation.getParameters().stream())
                            .filter(parameter -> CURRENCY.equals(parameter.getName()) && parameter.getSchema() != null)
                            .forEach(parameter -> currency(parameter.getSchema())));
        }
    }

    private static void describe(OpenAPI openApi, Map<String, Schema> properties) {
        if (properties == null) {
            return;
        }
        if (properties.get(CURRENCY) != null) {
            currency(properties.get(CURRENCY));
        }
        Schema<?> scopes = properties.get(SCOPES);
        if (scopes != null && scopes.getItems() != null) {
            openApi.getComponents()
                    .addSchemas(
                            SCOPE_SCHEMA,
                            new StringSchema()
                                    .description("A permission a credential can hold; `admin` includes every other.")
                                    ._enum(Arrays.stream(Scope.values())
                                            .map(Scope::value)
                                            .toList()));
            scopes.setItems(new Schema<>().$ref("#/components/schemas/" + SCOPE_SCHEMA));
        }
    }

    private static void currency(Schema<?> schema) {
        schema.setPattern("^" + Money.CURRENCY_CODE + "$");
    }
}
