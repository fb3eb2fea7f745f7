package dev.mercato.payments;

import dev.mercato.payments.PaymentService.PaymentRequest;
import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import io.swagger.v3.oas.annotations.Operation;
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
import java.time.Instant;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Payments")
@RestController
class PaymentsV1Controller {

    private final PaymentService payments;

    PaymentsV1Controller(PaymentService payments) {
        this.payments = payments;
    }

    record CreatePaymentV1(
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
            String currency) {

        PaymentRequest toDomain(RequestKey key) {
            return new PaymentRequest(orderId, amount, currency, paymentMethodId, key);
        }
    }

    record PaymentV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String orderId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "99.98")
            BigDecimal amount,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "USD")
            String currency,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"processing", "succeeded", "failed"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String paymentMethodId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt) {

        static PaymentV1 from(Payment payment) {
            return new PaymentV1(
                    payment.id(),
                    payment.orderId(),
                    payment.amount(),
                    payment.currency(),
                    payment.status(),
                    payment.paymentMethodId(),
                    payment.createdAt());
        }
    }

    @Operation(
            summary = "Pay for an order",
            description = "Charges the order's total through the configured "
                    + "payment processor. An order is paid at most once; a declined attempt is recorded and the order "
                    + "stays payable.")
    @ApiResponse(responseCode = "200", description = "Payment processed successfully.")
    @ApiResponse(responseCode = "402", description = "The payment was declined (details: the decline code).")
    @ApiResponse(responseCode = "404", description = "No such order.")
    @ApiResponse(
            responseCode = "409",
            description = "The order is already paid, cancelled, or has a payment in flight.")
    @ApiResponse(responseCode = "502", description = "The processor did not answer; the outcome is settled later.")
    @RequiresScope(Scope.PAYMENTS_WRITE)
    @PostMapping(
            path = {"/payments", "/v1/payments"},
            consumes = "application/json",
            produces = "application/json")
    PaymentV1 create(
            @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody CreatePaymentV1 request,
            HttpServletRequest http) {
        return PaymentV1.from(
                payments.pay(caller, request.toDomain(RequestKey.of(caller, http.getHeader("Idempotency-Key")))));
    }
}
