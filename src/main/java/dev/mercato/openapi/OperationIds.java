package dev.mercato.openapi;

import io.swagger.v3.oas.models.Operation;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.util.StringUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * Operation ids made of the handler method and its controller's resource, stable as long as the code is:
 * {@code list} in {@code ProductsV2Controller} is {@code listProducts}, {@code get} is {@code getProduct},
 * {@code setPassword} in the users controller {@code setUserPassword}, {@code deliveries} in the webhooks
 * controller {@code listWebhookDeliveries}. An id given in {@code @Operation(operationId = ...)} is kept.
 */
final class OperationIds implements OperationCustomizer {

    /** v1 answers at the reference's paths and again under /v1; the operations there have this suffix. */
    static final String V1_PREFIX_SUFFIX = "V1";

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        io.swagger.v3.oas.annotations.Operation declared =
                handlerMethod.getMethodAnnotation(io.swagger.v3.oas.annotations.Operation.class);
        if (declared == null || declared.operationId().isBlank()) {
            operation.setOperationId(of(new MappedHandler(handlerMethod)));
        }
        return operation;
    }

    static String of(MappedHandler handler) {
        String method = handler.methodName();
        String[] words = method.split("(?=[A-Z])", 2);
        if (words.length == 2) { // verb and object: setPassword -> setUserPassword
            return words[0] + handler.resourceSingular() + words[1];
        }
        if (method.endsWith("s")) { // a collection the resource holds: refunds -> listPaymentRefunds
            return "list" + handler.resourceSingular() + StringUtils.capitalize(method);
        }
        return method + (handler.returnsCollection() ? handler.resource() : handler.resourceSingular());
    }

    /**
     * Replaces springdoc's own {@code globalOpenApiCustomizer}, which makes clashing ids unique by appending
     * {@code _1}, {@code _2} in the order paths happen to be read: ours are unique by construction (a test checks
     * it), except for the same v1 method mapped at {@code /products} and {@code /v1/products}, whose second
     * operation is told apart here, always the same way.
     */
    static GlobalOpenApiCustomizer distinguishPrefixedV1Paths() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperations().stream()
                            .filter(operation -> path.startsWith("/v1/") && operation.getOperationId() != null)
                            .forEach(operation ->
                                    operation.setOperationId(operation.getOperationId() + V1_PREFIX_SUFFIX)));
        };
    }
}
