package dev.mercato.payments;

import dev.mercato.payments.PaymentService.PaymentRequest;
import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Payments")
@RestController
@RequestMapping(path = "/v2/payments", produces = "application/json")
class PaymentsV2Controller {

    private final PaymentService payments;
    private final RefundService refunds;

    PaymentsV2Controller(PaymentService payments, RefundService refunds) {
        this.payments = payments;
        this.refunds = refunds;
    }

    @SnakeCaseJson
    record CreatePaymentV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ord_qwe987") @NotBlank
            String orderId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "pm_card_visa") @NotBlank @Size(max = 255)
            String paymentMethodId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "99.98",
                    description = "Must equal the order's total.")
            @NotNull
            @DecimalMin(value = "0", message = "must be 0 or greater")
            @Digits(integer = 15, fraction = 4, message = "must have at most 15 integer digits and 4 decimals")
            BigDecimal amount,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "USD",
                    description = "Must be the order's currency.")
            @NotBlank
            String currency) {}

    @SnakeCaseJson
    record CreateRefundV2(
            @Schema(example = "10.00", description = "Omitted: everything not yet refunded.")
            @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0")
            @Digits(integer = 15, fraction = 4, message = "must have at most 15 integer digits and 4 decimals")
            BigDecimal amount,

            @Schema(example = "requested_by_customer") @Size(max = 200)
            String reason) {}

    @SnakeCaseJson
    record RefundV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String paymentId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            BigDecimal amount,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String currency,

            String reason,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"pending", "succeeded", "failed"},
                    description = "pending: the processor's answer is not known yet and is being checked; only "
                            + "succeeded refunds count in the payment's refunded_amount.")
            String status,

            @Schema(description = "Why a failed refund failed, e.g. expired_or_canceled_card.")
            String failureCode,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt) {

        static RefundV2 from(Refund refund) {
            return new RefundV2(
                    refund.id(),
                    refund.paymentId(),
                    refund.amount(),
                    refund.currency(),
                    refund.reason(),
                    refund.status(),
                    refund.failureCode(),
                    refund.createdAt());
        }
    }

    @SnakeCaseJson
    record PaymentV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String orderId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            BigDecimal amount,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String currency,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"processing", "succeeded", "failed"},
                    description = "processing: the processor's answer is not known yet and is being checked.")
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String paymentMethodId,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"simulated", "stripe"})
            String processor,

            @Schema(description = "Why a failed payment failed, e.g. insufficient_funds.")
            String declineCode,

            @Schema(description = "The processor's explanation of a failure or of an unknown outcome.")
            String failureMessage,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            BigDecimal refundedAmount,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant updatedAt,

            @Schema(description = "A dispute (chargeback) the card holder opened, as the processor reports it.")
            DisputeV2 dispute) {

        static PaymentV2 from(Payment payment) {
            return new PaymentV2(
                    payment.id(),
                    payment.orderId(),
                    payment.amount(),
                    payment.currency(),
                    payment.status(),
                    payment.paymentMethodId(),
                    payment.processor(),
                    payment.declineCode(),
                    payment.failureMessage(),
                    payment.refundedAmount(),
                    payment.createdAt(),
                    payment.updatedAt(),
                    payment.dispute() == null ? null : DisputeV2.from(payment.dispute()));
        }
    }

    @SnakeCaseJson
    record DisputeV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "dp_1Nx...")
            String id,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "The processor's: needs_response, under_review, won, lost, or warning_* for an "
                            + "inquiry.")
            String status,

            @Schema(description = "The processor's: fraudulent, product_not_received, duplicate, ...")
            String reason,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The amount held back.")
            BigDecimal amount) {

        static DisputeV2 from(Payment.Dispute dispute) {
            return new DisputeV2(dispute.id(), dispute.status(), dispute.reason(), dispute.amount());
        }
    }

    @Operation(summary = "List payments", description = "Newest first; every attempt, failed ones included.")
    @RequiresScope(Scope.ORDERS_READ)
    @GetMapping
    ResponseEntity<List<PaymentV2>> list(
            @AuthenticationPrincipal Caller caller,
            @Parameter(description = "Only this order's payments.") @RequestParam(name = "order_id", required = false)
                    String orderId,
            @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(payments.list(caller, orderId, page).map(PaymentV2::from), page);
    }

    @Operation(
            summary = "Pay for an order",
            description = "Charges the order's total through the configured "
                    + "payment processor. An order is paid at most once; a declined attempt is recorded and the order "
                    + "stays payable.")
    @ApiResponse(responseCode = "201", description = "The payment succeeded.")
    @ApiResponse(responseCode = "402", description = "The payment was declined (details: the decline code).")
    @ApiResponse(responseCode = "404", description = "No such order.")
    @ApiResponse(
            responseCode = "409",
            description = "The order is already paid, cancelled, or has a payment in flight.")
    @ApiResponse(responseCode = "502", description = "The processor did not answer; the outcome is settled later.")
    @RequiresScope(Scope.PAYMENTS_WRITE)
    @PostMapping(consumes = "application/json")
    ResponseEntity<PaymentV2> create(
            @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody CreatePaymentV2 request,
            HttpServletRequest http) {
        Payment payment = payments.pay(
                caller,
                new PaymentRequest(
                        request.orderId(),
                        request.amount(),
                        request.currency(),
                        request.paymentMethodId(),
                        RequestKey.of(caller, http.getHeader("Idempotency-Key"))));
        return ResponseEntity.created(URI.create("/v2/payments/" + payment.id()))
                .body(PaymentV2.from(payment));
    }

    @Operation(summary = "Get a payment")
    @ApiResponse(responseCode = "200", description = "The payment.")
    @ApiResponse(responseCode = "404", description = "No such payment.")
    @RequiresScope(Scope.ORDERS_READ)
    @GetMapping("/{id}")
    PaymentV2 get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return PaymentV2.from(payments.get(caller, id));
    }

    @Operation(summary = "List a payment's refunds", description = "Oldest first.")
    @ApiResponse(responseCode = "200", description = "The refunds.")
    @ApiResponse(responseCode = "404", description = "No such payment.")
    @RequiresScope(Scope.ORDERS_READ)
    @GetMapping("/{id}/refunds")
    List<RefundV2> refunds(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return refunds.refundsOf(payments.get(caller, id)).stream()
                .map(RefundV2::from)
                .toList();
    }

    @Operation(
            summary = "Refund a payment",
            description = "Full (no amount) or partial; the refunds of a payment "
                    + "never add up to more than it captured, and one at a time is in flight. Refunding does not change the "
                    + "order's status.")
    @ApiResponse(responseCode = "201", description = "The refund was made.")
    @ApiResponse(
            responseCode = "403",
            description = "A token a user authorized (refunds are the shop's; cancelling "
                    + "the order refunds it), or a credential without the scope.")
    @ApiResponse(responseCode = "404", description = "No such payment.")
    @ApiResponse(
            responseCode = "409",
            description = "The payment did not succeed, is already fully refunded, "
                    + "the amount exceeds what is left, another refund of it is in flight (REFUND_IN_PROGRESS, with "
                    + "Retry-After), the processor refused the refund (REFUND_FAILED, recorded as failed), or this server is "
                    + "not configured for the processor that took the payment (PROCESSOR_UNAVAILABLE).")
    @ApiResponse(
            responseCode = "502",
            description = "The processor did not confirm the refund; it stays pending and "
                    + "is settled automatically (details: the refund's id).")
    @RequiresScope(Scope.PAYMENTS_WRITE)
    @PostMapping(path = "/{id}/refunds", consumes = "application/json")
    ResponseEntity<RefundV2> refund(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody CreateRefundV2 request,
            HttpServletRequest http) {
        Refund refund = refunds.refund(
                caller,
                id,
                request.amount(),
                request.reason(),
                RequestKey.of(caller, http.getHeader("Idempotency-Key")));
        return ResponseEntity.created(URI.create("/v2/payments/" + id + "/refunds"))
                .body(RefundV2.from(refund));
    }
}
