package dev.mercato.orders;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.ETags;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
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

@Tag(name = "Orders")
@RestController
@RequestMapping(path = "/v2/orders", produces = "application/json")
class OrdersV2Controller {

    private static final String VERSION = "v2";
    private static final String STATUSES = "pending|paid|shipped|delivered|cancelled";

    private final OrderService orders;

    OrdersV2Controller(OrderService orders) {
        this.orders = orders;
    }

    @SnakeCaseJson
    record ItemV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank
            String productId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "2")
            @NotNull
            @Min(value = 1, message = "must be at least 1")
            @Max(value = 1000, message = "must be at most 1000")
            Integer quantity) {}

    @SnakeCaseJson
    record AddressV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Size(max = 200)
            String street,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Size(max = 100)
            String city,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Size(max = 20)
            String zipCode,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Size(max = 100)
            String country) {

        static AddressV2 from(Order.ShippingAddress address) {
            return new AddressV2(address.street(), address.city(), address.zipCode(), address.country());
        }
    }

    @SnakeCaseJson
    record CreateOrderV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank
            String userId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            @NotEmpty(message = "must list at least one item")
            @Size(max = 100, message = "must list at most 100 items")
            List<@NotNull @Valid ItemV2> items,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Valid
            AddressV2 shippingAddress) {

        NewOrder toDomain() {
            AddressV2 a = shippingAddress;
            return new NewOrder(
                    userId,
                    items.stream()
                            .map(item -> new NewOrder.Item(item.productId(), item.quantity()))
                            .toList(),
                    new Order.ShippingAddress(
                            a.street().trim(),
                            a.city().trim(),
                            a.zipCode().trim(),
                            a.country().trim()));
        }
    }

    @SnakeCaseJson
    record StatusChangeV2(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"shipped", "delivered", "cancelled"})
            @NotNull
            @Pattern(regexp = STATUSES, message = "must be one of pending, paid, shipped, delivered, cancelled")
            String status) {}

    @SnakeCaseJson
    record LineV2(
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

    @SnakeCaseJson
    record OrderV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String userId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"pending", "paid", "shipped", "delivered", "cancelled"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<LineV2> items,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            BigDecimal totalAmount,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String currency,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            AddressV2 shippingAddress,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant updatedAt) {

        static OrderV2 from(Order order) {
            return new OrderV2(
                    order.id(),
                    order.userId(),
                    order.status(),
                    order.lines().stream()
                            .map(line -> new LineV2(
                                    line.productId(),
                                    line.productName(),
                                    line.quantity(),
                                    line.unitPrice(),
                                    line.lineTotal()))
                            .toList(),
                    order.totalAmount(),
                    order.currency(),
                    AddressV2.from(order.shippingAddress()),
                    order.createdAt(),
                    order.updatedAt());
        }
    }

    @Operation(summary = "List orders", description = "Newest first.")
    @RequiresScope(Scope.ORDERS_READ)
    @GetMapping
    ResponseEntity<List<OrderV2>> list(
            @AuthenticationPrincipal Caller caller,
            @Parameter(description = "Only this user's orders.") @RequestParam(name = "user_id", required = false)
                    String userId,
            @Parameter(
                            description = "Only orders in this status.",
                            schema =
                                    @Schema(allowableValues = {"pending", "paid", "shipped", "delivered", "cancelled"}))
                    @RequestParam(required = false)
                    @Pattern(regexp = STATUSES, message = "must be one of pending, paid, shipped, delivered, cancelled")
                    String status,
            @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(orders.list(caller, userId, status, page).map(OrderV2::from), page);
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
    @PostMapping(consumes = "application/json")
    ResponseEntity<OrderV2> create(@AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateOrderV2 request) {
        Order order = orders.place(caller, request.toDomain());
        return ResponseEntity.created(URI.create("/v2/orders/" + order.id()))
                .eTag(ETags.of(VERSION, order.version()))
                .body(OrderV2.from(order));
    }

    @Operation(summary = "Get an order")
    @ApiResponse(responseCode = "200", description = "The order.")
    @ApiResponse(responseCode = "304", description = "Not modified.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such order.")
    @RequiresScope(Scope.ORDERS_READ)
    @GetMapping("/{id}")
    ResponseEntity<OrderV2> get(@AuthenticationPrincipal Caller caller, @PathVariable String id, WebRequest request) {
        Order order = orders.get(caller, id);
        return ETags.ok(request, VERSION, order.version(), () -> OrderV2.from(order));
    }

    private static final String STATUS_CHANGE = "Along the lifecycle pending -> paid -> shipped -> delivered, or "
            + "pending|paid -> cancelled. Cancelling returns the stock and refunds a paid order. An order becomes paid "
            + "only through a payment.";

    @Operation(summary = "Change an order's status", description = STATUS_CHANGE)
    @ApiResponse(responseCode = "200", description = "The updated order.")
    @ApiResponse(responseCode = "404", description = "No such order.")
    @ApiResponse(responseCode = "409", description = "The lifecycle does not allow this change.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.ORDERS_WRITE)
    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    ResponseEntity<OrderV2> changeStatus(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody StatusChangeV2 change,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        Order order = orders.changeStatus(caller, id, change.status(), ETags.expectedVersion(ifMatch, VERSION));
        return ResponseEntity.ok().eTag(ETags.of(VERSION, order.version())).body(OrderV2.from(order));
    }

    /**
     * The v2 reference lists PUT among its methods and its changelog speaks of order status updates: PUT with the
     * status is the same change as PATCH. The status is the only part of an order a client may set, so the body is
     * the same whole either way.
     */
    @Operation(
            summary = "Set an order's status",
            description = STATUS_CHANGE + " The same change as PATCH /v2/orders/{id}.")
    @ApiResponse(responseCode = "200", description = "The updated order.")
    @ApiResponse(responseCode = "404", description = "No such order.")
    @ApiResponse(responseCode = "409", description = "The lifecycle does not allow this change.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.ORDERS_WRITE)
    @PutMapping(path = "/{id}", consumes = "application/json")
    ResponseEntity<OrderV2> setStatus(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody StatusChangeV2 change,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return changeStatus(caller, id, change, ifMatch);
    }
}
