package dev.mercato.products;

import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.ApiException;
import dev.mercato.web.BoundedDecimals;
import dev.mercato.web.ETags;
import dev.mercato.web.JsonMergePatcher;
import dev.mercato.web.MergePatch;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.databind.JsonNode;

@Tag(name = "Products")
@RestController
@RequestMapping(path = "/v2/products", produces = "application/json")
class ProductsV2Controller {

    private static final String VERSION = "v2";

    private final ProductService products;
    private final JsonMergePatcher patcher;

    ProductsV2Controller(ProductService products, JsonMergePatcher patcher) {
        this.products = products;
        this.patcher = patcher;
    }

    @SnakeCaseJson
    record ProductRequestV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Premium Widget")
            @NotBlank(message = "must not be empty")
            @Size(max = 200)
            String name,

            @Schema(example = "A high-quality widget for all your needs.") @Size(max = 5000)
            String description,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "49.99",
                    description = "At most the currency's minor-unit precision (2 decimals for USD, 0 for JPY).")
            @NotNull
            @DecimalMin(value = "0", message = "must be 0 or greater")
            @Digits(integer = 15, fraction = 4, message = "must have at most 15 integer digits and 4 decimals")
            BigDecimal price,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "USD", description = "ISO 4217 code.")
            @NotNull
            String currency,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "150")
            @NotNull
            @Min(value = 0, message = "must be 0 or greater")
            @Max(value = 1_000_000_000, message = "must be at most 1000000000")
            Integer stock) {

        static ProductRequestV2 from(ProductDraft product) {
            return new ProductRequestV2(
                    product.name(), product.description(), product.price(), product.currency(), product.stock());
        }

        ProductDraft toDraft() {
            return new ProductDraft(name.trim(), description, price, currency, stock);
        }
    }

    @SnakeCaseJson
    record ProductV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String name,

            String description,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "49.99")
            BigDecimal price,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "USD")
            String currency,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            int stock,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant updatedAt) {

        static ProductV2 from(Product product) {
            return new ProductV2(
                    product.id(),
                    product.name(),
                    product.description(),
                    product.price(),
                    product.currency(),
                    product.stock(),
                    product.createdAt(),
                    product.updatedAt());
        }
    }

    @Operation(summary = "List products", description = "Newest first.")
    @RequiresScope(Scope.PRODUCTS_READ)
    @GetMapping
    ResponseEntity<List<ProductV2>> list(@Valid @ParameterObject PageParams page) {
        return PagedResponses.of(products.list(page).map(ProductV2::from), page);
    }

    @Operation(
            summary = "Search products",
            description = "Full text over name and description, ranked by "
                    + "relevance (name matches first); without q, newest first. All filters combine.")
    @RequiresScope(Scope.PRODUCTS_READ)
    @GetMapping("/search")
    ResponseEntity<List<ProductV2>> search(
            @Parameter(description = "Words to find; \"quoted phrase\", -excluded and OR are understood.")
                    @RequestParam(required = false)
                    @Size(max = 200, message = "must be at most 200 characters")
                    String q,
            @Parameter(description = "Lowest price, inclusive.")
                    @RequestParam(name = "min_price", required = false)
                    @DecimalMin(value = "0", message = "must be 0 or greater")
                    @Digits(integer = 15, fraction = 4, message = "must have at most 15 integer digits and 4 decimals")
                    BigDecimal minPrice,
            @Parameter(description = "Highest price, inclusive.")
                    @RequestParam(name = "max_price", required = false)
                    @DecimalMin(value = "0", message = "must be 0 or greater")
                    @Digits(integer = 15, fraction = 4, message = "must have at most 15 integer digits and 4 decimals")
                    BigDecimal maxPrice,
            @Parameter(description = "ISO 4217 currency code.") @RequestParam(required = false) String currency,
            @Parameter(description = "true: only products with stock; false: only sold-out ones.")
                    @RequestParam(name = "in_stock", required = false)
                    Boolean inStock,
            @Valid @ParameterObject PageParams page) {
        String query = q == null || q.isBlank() ? null : q.trim();
        BoundedDecimals.checkQueryParameter("min_price", minPrice);
        BoundedDecimals.checkQueryParameter("max_price", maxPrice);
        if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
            throw ApiException.invalidParameter(
                    "min_price", "The 'min_price' parameter must not exceed 'max_price'.", "min_price (number)");
        }
        ProductSearch search = new ProductSearch(query, minPrice, maxPrice, currency, inStock);
        return PagedResponses.of(products.search(search, page).map(ProductV2::from), page);
    }

    @Operation(summary = "Get a product", description = "Answers 304 when If-None-Match names the current ETag.")
    @ApiResponse(responseCode = "200", description = "The product.")
    @ApiResponse(responseCode = "304", description = "Not modified.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such product.")
    @RequiresScope(Scope.PRODUCTS_READ)
    @GetMapping("/{id}")
    ResponseEntity<ProductV2> get(@PathVariable String id, WebRequest request) {
        Product product = products.get(id);
        return ETags.ok(request, VERSION, product.version(), () -> ProductV2.from(product));
    }

    @Operation(summary = "Create a product")
    @ApiResponse(responseCode = "201", description = "The product was created.")
    @RequiresScope(Scope.PRODUCTS_WRITE)
    @PostMapping(consumes = "application/json")
    ResponseEntity<ProductV2> create(@Valid @RequestBody ProductRequestV2 request) {
        Product product = products.create(request.toDraft());
        return ResponseEntity.created(URI.create("/v2/products/" + product.id()))
                .eTag(ETags.of(VERSION, product.version()))
                .body(ProductV2.from(product));
    }

    @Operation(summary = "Replace a product", description = "Every writable field is replaced.")
    @ApiResponse(responseCode = "200", description = "The updated product.")
    @ApiResponse(responseCode = "404", description = "No such product.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.PRODUCTS_WRITE)
    @PutMapping(path = "/{id}", consumes = "application/json")
    ResponseEntity<ProductV2> replace(
            @PathVariable String id,
            @Valid @RequestBody ProductRequestV2 request,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return updated(products.replace(id, request.toDraft(), ETags.expectedVersion(ifMatch, VERSION)));
    }

    @Operation(
            summary = "Update part of a product",
            description = "A JSON Merge Patch (RFC 7396): members " + "replace, null removes.")
    @ApiResponse(responseCode = "200", description = "The updated product.")
    @ApiResponse(responseCode = "404", description = "No such product.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.PRODUCTS_WRITE)
    @PatchMapping(
            path = "/{id}",
            consumes = {MergePatch.MEDIA_TYPE, "application/json"})
    ResponseEntity<ProductV2> patch(
            @PathVariable String id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = ProductRequestV2.class)))
                    @RequestBody
                    JsonNode patch,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return updated(products.update(
                id,
                current -> patcher.patch(ProductRequestV2.from(current), patch, ProductRequestV2.class)
                        .toDraft(),
                ETags.expectedVersion(ifMatch, VERSION)));
    }

    @Operation(summary = "Delete a product")
    @ApiResponse(responseCode = "204", description = "The product was deleted.")
    @ApiResponse(responseCode = "404", description = "No such product.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.PRODUCTS_WRITE)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(
            @PathVariable String id, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        products.delete(id, ETags.expectedVersion(ifMatch, VERSION));
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<ProductV2> updated(Product product) {
        return ResponseEntity.ok().eTag(ETags.of(VERSION, product.version())).body(ProductV2.from(product));
    }
}
