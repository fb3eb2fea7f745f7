package dev.mercato.orders;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.web.ETags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@Tag(name = "Orders")
@RestController
class OrdersV1Controller {

    private final OrderService orders;

    OrdersV1Controller(OrderService orders) {
        this.orders = orders;
    }

    record ItemV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "prod_xyz789") @NotBlank
            String productId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2")
            @NotNull
            @Min(value = 1, message = "must be at least 1")
            @Max(value = 1000, message = "must be at most 1000")
            Integer quantity) {}

    record AddressV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "123 Main St") @NotBlank @Size(max = 200)
            String street,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Anytown") @NotBlank @Size(max = 100)
            String city,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "12345") @NotBlank @Size(max = 20)
            String zipCode,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "USA") @NotBlank @Size(max = 100)
            String country) {

        static AddressV1 from(Order.ShippingAddress address) {
            return new AddressV1(address.street(), address.city(), address.zipCode(), address.country());
        }

        Order.ShippingAddress toDomain() {
            return new Order.ShippingAddress(street.trim(), city.trim(), zipCode.trim(), country.trim());
        }
    }

    record CreateOrderV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "usr_123abc") @NotBlank
            String userId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            @NotEmpty(message = "must list at least one item")
            @Size(max = 100, message = "must list at most 100 items")
            List<@NotNull @Valid ItemV1> items,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Valid
            AddressV1 shippingAddress) {

        NewOrder toDomain() {
            return new NewOrder(
                    userId,
                    items.stream()
                            .map(item -> new NewOrder.Item(item.productId(), item.quantity()))
                            .toList(),
                    shippingAddress.toDomain());
        }
    }

    record LineV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String productId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String productName,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            int quantity,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            BigDecimal unitPrice,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            BigDecimal lineTotal) {}

    record OrderV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String userId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"pending", "paid", "shipped", "delivered", "cancelled"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<LineV1> items,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "99.98")
            BigDecimal totalAmount,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "USD")
            String currency,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            AddressV1 shippingAddress,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt) {

        static OrderV1 from(Order order) {
            return new OrderV1(
                    order.id(),
                    order.userId(),
                    order.status(),
                    order.lines().stream()
                            .map(line -> new LineV1(
                                    line.productId(),
                                    line.productName(),
                                    line.quantity(),
                                    line.unitPrice(),
                                    line.lineTotal()))
                            .toList(),
                    order.totalAmount(),
                    order.currency(),
                    AddressV1.from(order.shippingAddress()),
                    order.createdAt());
        }
    }

    @Operation(
            summary = "Create an order",
            description = "Reserves the stock of every item at once and computes "
                    + "the total from current prices. The order starts as pending.")
    @ApiResponse(responseCode = "201", description = "The order was created.")
    @ApiResponse(
            responseCode = "400",
            description = "The body is invalid, or names a user (USER_NOT_FOUND) or a "
                    + "product (PRODUCT_NOT_FOUND) that does not exist.")
    @ApiResponse(responseCode = "409", description = "A product has too little stock, or the user is inactive.")
    @RequiresScope(Scope.ORDERS_WRITE)
    @PostMapping(
            path = {"/orders", "/v1/orders"},
            consumes = "application/json",
            produces = "application/json")
    ResponseEntity<OrderV1> create(@AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateOrderV1 request) {
        Order order = orders.place(caller, request.toDomain());
        return ResponseEntity.created(URI.create("/orders/" + order.id())).body(OrderV1.from(order));
    }

    @Operation(summary = "Get an order")
    @ApiResponse(responseCode = "200", description = "The order.")
    @ApiResponse(responseCode = "304", description = "Not modified.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such order.")
    @RequiresScope(Scope.ORDERS_READ)
    @GetMapping(
            path = {"/orders/{orderId}", "/v1/orders/{orderId}"},
            produces = "application/json")
    ResponseEntity<OrderV1> get(
            @AuthenticationPrincipal Caller caller, @PathVariable String orderId, WebRequest request) {
        Order order = orders.get(caller, orderId);
        return ETags.ok(request, "v1", order.version(), () -> OrderV1.from(order));
    }
}
