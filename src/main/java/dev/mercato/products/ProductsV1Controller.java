package dev.mercato.products;

import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.ETags;
import dev.mercato.web.PagedResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.math.BigDecimal;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@Tag(name = "Products")
@RestController
class ProductsV1Controller {

    private final ProductService products;

    ProductsV1Controller(ProductService products) {
        this.products = products;
    }

    record ProductV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "prod_8sJ2kL4mN6pQ1rT3vX5zA7bC")
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Premium Widget")
            String name,

            @Schema(example = "A high-quality widget for all your needs.")
            String description,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "49.99")
            BigDecimal price,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "USD")
            String currency,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "150")
            int stock) {

        static ProductV1 from(Product product) {
            return new ProductV1(
                    product.id(),
                    product.name(),
                    product.description(),
                    product.price(),
                    product.currency(),
                    product.stock());
        }
    }

    @Operation(summary = "List products", description = "Newest first.")
    @RequiresScope(Scope.PRODUCTS_READ)
    @GetMapping(
            path = {"/products", "/v1/products"},
            produces = "application/json")
    ResponseEntity<List<ProductV1>> list(@Valid @ParameterObject PageParams page) {
        return PagedResponses.of(products.list(page).map(ProductV1::from), page);
    }

    @Operation(summary = "Get a product")
    @ApiResponse(responseCode = "200", description = "The product.")
    @ApiResponse(responseCode = "304", description = "Not modified.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No product has this id.")
    @RequiresScope(Scope.PRODUCTS_READ)
    @GetMapping(
            path = {"/products/{productId}", "/v1/products/{productId}"},
            produces = "application/json")
    ResponseEntity<ProductV1> get(@PathVariable String productId, WebRequest request) {
        Product product = products.get(productId);
        return ETags.ok(request, "v1", product.version(), () -> ProductV1.from(product));
    }
}
