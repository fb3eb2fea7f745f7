package dev.mercato.payments;

import static dev.mercato.support.JsonLists.fieldNames;
import static dev.mercato.support.JsonLists.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.mercato.events.DomainEvent;
import dev.mercato.events.DomainEvents;
import dev.mercato.support.Api;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Race;
import dev.mercato.support.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class PaymentsIT extends ApiTestSupport {

    private static final String ISO_SECONDS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DomainEvents events;

    @Autowired
    Scheduler scheduler;

    @Value("${mercato.payments.max-attempts:8}")
    int maxAttempts;

    // ---- v1: POST /payments ----

    @Test
    void v1PaysAnOrderAtBothPaths() {
        for (String path : List.of("/payments", "/v1/payments")) {
            Fixture order = newOrder("24.99", 2);

            Response response = api.post(
                            path, """
                    {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": %s, "currency": "USD"}""".formatted(order.id(), order.total().toPlainString()))
                    .asAdmin()
                    .send()
                    .expect(200);

            JsonNode payment = response.json();
            assertThat(fieldNames(payment))
                    .as(path)
                    .containsExactlyInAnyOrder(
                            "id", "orderId", "amount", "currency", "status", "paymentMethodId", "createdAt");
            assertThat(payment.get("id").asString()).startsWith("pay_");
            assertThat(payment.get("orderId").asString()).isEqualTo(order.id());
            assertThat(payment.get("amount").decimalValue()).isEqualByComparingTo("49.98");
            assertThat(response.body()).contains("\"amount\":49.98");
            assertThat(payment.get("currency").asString()).isEqualTo("USD");
            assertThat(payment.get("status").asString()).isEqualTo("succeeded");
            assertThat(payment.get("paymentMethodId").asString()).isEqualTo("pm_card_visa");
            assertThat(payment.get("createdAt").asString()).matches(ISO_SECONDS);
            assertThat(orderStatus(order.id())).isEqualTo("paid");
            assertThat(api.get("/v1/orders/" + order.id())
                            .asAdmin()
                            .send()
                            .expect(200)
                            .json()
                            .get("status")
                            .asString())
                    .isEqualTo("paid");
        }
    }

    @Test
    void everySucceedingTestCardPays() {
        for (String method : List.of("pm_card_visa", "pm_card_mastercard", "pm_card_amex")) {
            Fixture order = newOrder("10.00", 1);
            JsonNode payment = pay(order, method).expect(201).json();
            assertThat(payment.get("status").asString()).as(method).isEqualTo("succeeded");
            assertThat(orderStatus(order.id())).as(method).isEqualTo("paid");
        }
    }

    @Test
    void declineAnswers402RecordsTheFailureAndLeavesTheOrderPayable() {
        Fixture order = newOrder("15.00", 1);

        JsonNode error = api.post("/payments", """
                {"orderId": "%s", "paymentMethodId": "pm_card_chargeDeclined", "amount": 15.00, "currency": "USD"}""".formatted(order.id()))
                .asAdmin()
                .send()
                .expectError(402, "PAYMENT_FAILED");
        assertThat(error.get("details").asString()).isEqualTo("generic_decline");
        JsonNode insufficient = pay(order, "pm_card_insufficientFunds").expectError(402, "PAYMENT_FAILED");
        assertThat(insufficient.get("details").asString()).isEqualTo("insufficient_funds");
        JsonNode unknown = pay(order, "pm_card_doesNotExist").expectError(402, "PAYMENT_FAILED");
        assertThat(unknown.get("details").asString()).isEqualTo("invalid_payment_method");

        assertThat(orderStatus(order.id())).isEqualTo("pending");
        JsonNode attempts = api.get("/v2/payments?order_id=" + order.id())
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(attempts).hasSize(3).allSatisfy(payment -> {
            assertThat(payment.get("status").asString()).isEqualTo("failed");
            assertThat(payment.get("order_id").asString()).isEqualTo(order.id());
            assertThat(payment.get("refunded_amount").decimalValue()).isEqualByComparingTo("0");
        });
        // Newest first.
        assertThat(attempts.get(0).get("decline_code").asString()).isEqualTo("invalid_payment_method");
        assertThat(attempts.get(1).get("decline_code").asString()).isEqualTo("insufficient_funds");
        assertThat(attempts.get(2).get("decline_code").asString()).isEqualTo("generic_decline");
        assertThat(attempts.get(2).get("payment_method_id").asString()).isEqualTo("pm_card_chargeDeclined");

        JsonNode paid = pay(order, "pm_card_visa").expect(201).json();
        assertThat(paid.get("status").asString()).isEqualTo("succeeded");
        assertThat(orderStatus(order.id())).isEqualTo("paid");
        assertThat(api.get("/v2/payments?order_id=" + order.id())
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .hasSize(4);
    }

    @Test
    void aDeclineRetriedUnderTheSameIdempotencyKeyIsReplayedNotChargedAgain() {
        Fixture order = newOrder("15.00", 1);
        String key = UUID.randomUUID().toString();
        String body = paymentBody(order.id(), "pm_card_chargeDeclined", "15.00", "USD");

        Response declined = api.post("/v2/payments", body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send();
        declined.expectError(402, "PAYMENT_FAILED");
        Response retry = api.post("/v2/payments", body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send();

        retry.expectError(402, "PAYMENT_FAILED");
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(declined.body());
        assertThat(paymentRows(order.id())).isEqualTo(1);
        // A new attempt needs a new key.
        api.post("/v2/payments", paymentBody(order.id(), "pm_card_visa", "15.00", "USD"))
                .asAdmin()
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .send()
                .expect(201);
        assertThat(paymentRows(order.id())).isEqualTo(2);
    }

    @Test
    void amountMustEqualTheOrdersTotal() {
        Fixture order = newOrder("20.00", 2);

        for (String amount : List.of("39.99", "40.01", "0", "400")) {
            JsonNode error = pay(order, "pm_card_visa", amount, "USD").expectError(400, "AMOUNT_MISMATCH");
            assertThat(error.get("details").asString()).isEqualTo("amount (number)");
            assertThat(error.get("message").asString()).contains("40.00 USD");
        }
        JsonNode v1 = api.post("/payments", """
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": 4, "currency": "USD"}""".formatted(order.id()))
                .asAdmin()
                .send()
                .expectError(400, "AMOUNT_MISMATCH");
        assertThat(v1.get("details").asString()).isEqualTo("amount (number)");

        // The same value written differently is the same amount.
        pay(order, "pm_card_visa", "40", "USD").expect(201);
        assertThat(paymentRows(order.id())).isEqualTo(1);
    }

    @Test
    void currencyMustBeTheOrdersCurrency() {
        Fixture order = newOrder("20.00", 1);

        JsonNode error = pay(order, "pm_card_visa", "20.00", "EUR").expectError(400, "CURRENCY_MISMATCH");
        assertThat(error.get("details").asString()).isEqualTo("currency (string)");
        pay(order, "pm_card_visa", "20.00", "usd").expectError(400, "CURRENCY_MISMATCH");

        assertThat(paymentRows(order.id())).isZero();
        assertThat(orderStatus(order.id())).isEqualTo("pending");
    }

    @Test
    void unknownOrderIs404() {
        JsonNode error = api.post("/v2/payments", """
                {"order_id": "ord_doesnotexist", "payment_method_id": "pm_card_visa", "amount": 1, "currency": "USD"}""").asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(error.get("details").asString()).isEqualTo("ord_doesnotexist");
        api.post("/payments", """
                {"orderId": "ord_doesnotexist", "paymentMethodId": "pm_card_visa", "amount": 1, "currency": "USD"}""").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void anOrderIsPaidAtMostOnce() {
        Fixture order = newOrder("12.50", 1);
        String first = pay(order, "pm_card_visa").expect(201).json().get("id").asString();

        JsonNode again = pay(order, "pm_card_mastercard").expectError(409, "ORDER_ALREADY_PAID");
        assertThat(again.get("details").asString()).isEqualTo(order.id());
        api.post("/payments", """
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": 12.50, "currency": "USD"}""".formatted(order.id())).asAdmin().send().expectError(409, "ORDER_ALREADY_PAID");
        // A declining card is not even tried on a paid order.
        pay(order, "pm_card_chargeDeclined").expectError(409, "ORDER_ALREADY_PAID");

        assertThat(ids(api.get("/v2/payments?order_id=" + order.id())
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()))
                .containsExactly(first);
    }

    @Test
    void aCancelledOrderCannotBePaid() {
        Fixture order = newOrder("9.99", 1);
        cancel(order.id());

        JsonNode error = pay(order, "pm_card_visa").expectError(409, "ORDER_CANCELLED");
        assertThat(error.get("details").asString()).isEqualTo(order.id());
        api.post("/payments", """
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": 9.99, "currency": "USD"}""".formatted(order.id())).asAdmin().send().expectError(409, "ORDER_CANCELLED");
        assertThat(paymentRows(order.id())).isZero();
    }

    @Test
    void invalidPaymentRequestsAreRejectedBeforeAnythingHappens() {
        Fixture order = newOrder("5.00", 1);
        String id = order.id();

        expectInvalidV1("""
                {"paymentMethodId": "pm_card_visa", "amount": 5, "currency": "USD"}""", "orderId (string)");
        expectInvalidV1("""
                {"orderId": "%s", "amount": 5, "currency": "USD"}""".formatted(id), "paymentMethodId (string)");
        expectInvalidV1("""
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "currency": "USD"}""".formatted(id), "amount (number)");
        expectInvalidV1("""
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": 5}""".formatted(id), "currency (string)");
        expectInvalidV1("""
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": -5, "currency": "USD"}""".formatted(id), "amount (number)");
        expectInvalidV1("""
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": "five", "currency": "USD"}""".formatted(id), "amount (number)");
        JsonNode unknownV1 =
                api.post("/payments", """
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": 5, "currency": "USD", "tip": 1}""".formatted(id)).asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(unknownV1.get("details").asString()).isEqualTo("tip (integer)");

        JsonNode missingV2 = api.post("/v2/payments", """
                {"payment_method_id": "pm_card_visa", "amount": 5, "currency": "USD"}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(missingV2.get("details").asString()).isEqualTo("order_id (string)");
        JsonNode negativeV2 = pay(order, "pm_card_visa", "-5.00", "USD").expectError(400, "INVALID_PARAMETER");
        assertThat(negativeV2.get("details").asString()).isEqualTo("amount (number)");
        // v2 names fields in snake_case: the camelCase spelling is an unknown field.
        JsonNode camelV2 =
                api.post("/v2/payments", """
                {"orderId": "%s", "payment_method_id": "pm_card_visa", "amount": 5, "currency": "USD"}""".formatted(id)).asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(camelV2.get("details").asString()).isEqualTo("orderId (string)");
        api.post("/v2/payments", "{").asAdmin().send().expectError(400, "MALFORMED_JSON");

        assertThat(paymentRows(id)).isZero();
        assertThat(orderStatus(id)).isEqualTo("pending");
    }

    @Test
    void payingNeedsThePaymentsScope() {
        Fixture order = newOrder("5.00", 1);
        String readOnly = createKey("orders:read", "orders:write");

        JsonNode error = api.post("/v2/payments", paymentBody(order.id(), "pm_card_visa", "5.00", "USD"))
                .as(readOnly)
                .send()
                .expectError(403, "INSUFFICIENT_SCOPE");
        assertThat(error.get("details").asString()).isEqualTo("payments:write");
        api.post("/v2/payments", paymentBody(order.id(), "pm_card_visa", "5.00", "USD"))
                .send()
                .expectError(401, "UNAUTHORIZED");
        assertThat(paymentRows(order.id())).isZero();

        String payer = createKey("payments:write", "orders:read");
        api.post("/v2/payments", paymentBody(order.id(), "pm_card_visa", "5.00", "USD"))
                .as(payer)
                .send()
                .expect(201);
    }

    // ---- v2: create, read, list ----

    @Test
    void v2CreateReturns201WithLocationAndTheFullPayment() {
        Fixture order = newOrder("33.30", 3);

        Response created = pay(order, "pm_card_visa").expect(201);

        JsonNode payment = created.json();
        String id = payment.get("id").asString();
        assertThat(id).startsWith("pay_");
        assertThat(created.header("Location")).endsWith("/v2/payments/" + id);
        assertThat(payment.get("order_id").asString()).isEqualTo(order.id());
        assertThat(payment.get("amount").decimalValue()).isEqualByComparingTo("99.90");
        assertThat(created.body()).contains("\"amount\":99.90");
        assertThat(payment.get("currency").asString()).isEqualTo("USD");
        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
        assertThat(payment.get("payment_method_id").asString()).isEqualTo("pm_card_visa");
        assertThat(payment.get("processor").asString()).isEqualTo("simulated");
        assertThat(payment.get("refunded_amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(created.body()).contains("\"refunded_amount\":0.00");
        assertThat(payment.has("decline_code")).isFalse();
        assertThat(payment.has("failure_message")).isFalse();
        assertThat(payment.get("created_at").asString()).matches(ISO_SECONDS);
        assertThat(payment.get("updated_at").asString()).matches(ISO_SECONDS);

        JsonNode fetched =
                api.get("/v2/payments/" + id).asAdmin().send().expect(200).json();
        assertThat(fetched).isEqualTo(payment);
        assertThat(orderStatus(order.id())).isEqualTo("paid");
    }

    @Test
    void paymentsInACurrencyWithoutDecimalsKeepItsPrecision() {
        Fixture order = newOrder("1500", 2, "JPY");

        Response created = pay(order, "pm_card_visa", "3000", "JPY").expect(201);

        assertThat(created.body()).contains("\"amount\":3000,");
        assertThat(created.json().get("currency").asString()).isEqualTo("JPY");
        String id = created.json().get("id").asString();
        JsonNode error = api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 1.5}""")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("amount (number)");
        JsonNode refund = api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 1000}""")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        assertThat(refund.get("amount").decimalValue()).isEqualByComparingTo("1000");
        assertThat(refund.get("currency").asString()).isEqualTo("JPY");
    }

    @Test
    void getUnknownPaymentIs404() {
        JsonNode error =
                api.get("/v2/payments/pay_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(error.get("details").asString()).isEqualTo("pay_doesnotexist");
        api.get("/v2/payments/pay_doesnotexist/refunds").asAdmin().send().expectError(404, "NOT_FOUND");
        api.post("/v2/payments/pay_doesnotexist/refunds", "{}").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void listByOrderShowsEveryAttemptNewestFirstWithPaginationHeaders() {
        Fixture order = newOrder("7.00", 1);
        Fixture other = newOrder("7.00", 1);
        pay(other, "pm_card_visa").expect(201);
        pay(order, "pm_card_chargeDeclined").expect(402);
        pay(order, "pm_card_insufficientFunds").expect(402);
        String succeeded =
                pay(order, "pm_card_visa").expect(201).json().get("id").asString();

        Response all =
                api.get("/v2/payments?order_id=" + order.id()).asAdmin().send().expect(200);
        assertThat(all.header("X-Total-Count")).isEqualTo("3");
        assertThat(all.header("X-Limit")).isEqualTo("20");
        assertThat(all.header("X-Offset")).isEqualTo("0");
        assertThat(all.header("Link")).isNull();
        List<String> ids = ids(all.json());
        assertThat(ids).hasSize(3).first().isEqualTo(succeeded);
        assertThat(all.json())
                .allSatisfy(payment ->
                        assertThat(payment.get("order_id").asString()).isEqualTo(order.id()));
        assertThat(all.json().get(1).get("status").asString()).isEqualTo("failed");
        assertThat(all.json().get(2).get("decline_code").asString()).isEqualTo("generic_decline");

        Response page = api.get("/v2/payments?order_id=" + order.id() + "&limit=1&offset=1")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(ids(page.json())).containsExactly(ids.get(1));
        assertThat(page.header("X-Total-Count")).isEqualTo("3");
        assertThat(page.header("X-Limit")).isEqualTo("1");
        assertThat(page.header("X-Offset")).isEqualTo("1");
        assertThat(page.header("Link"))
                .contains("offset=2>; rel=\"next\"")
                .contains("offset=0>; rel=\"prev\"")
                .contains("order_id=" + order.id());

        assertThat(api.get("/v2/payments?order_id=ord_doesnotexist")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .isEmpty();
        api.get("/v2/payments?order_id=" + order.id() + "&limit=0")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        api.get("/v2/payments?limit=101").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.get("/v2/payments?offset=-1").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        Response unfiltered = api.get("/v2/payments?limit=100").asAdmin().send().expect(200);
        assertThat(ids(unfiltered.json())).contains(succeeded);
    }

    // ---- refunds ----

    @Test
    void partialRefundThenTheRest() {
        Fixture order = newOrder("25.00", 2);
        String id = pay(order, "pm_card_visa").expect(201).json().get("id").asString();

        Response first = api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 20, "reason": "requested_by_customer"}""")
                .asAdmin()
                .send()
                .expect(201);
        JsonNode refund = first.json();
        assertThat(refund.get("id").asString()).isNotBlank();
        assertThat(refund.get("payment_id").asString()).isEqualTo(id);
        assertThat(refund.get("amount").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(first.body()).contains("\"amount\":20.00");
        assertThat(refund.get("currency").asString()).isEqualTo("USD");
        assertThat(refund.get("reason").asString()).isEqualTo("requested_by_customer");
        assertThat(refund.get("status").asString()).isEqualTo("succeeded");
        assertThat(refund.has("failure_code")).isFalse();
        assertThat(refund.get("created_at").asString()).matches(ISO_SECONDS);
        assertThat(first.header("Location")).endsWith("/v2/payments/" + id + "/refunds");
        assertThat(refundedAmount(id)).isEqualByComparingTo("20.00");

        JsonNode rest = api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 30.00}""")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        assertThat(rest.get("amount").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(rest.has("reason")).isFalse();
        assertThat(refundedAmount(id)).isEqualByComparingTo("50.00");

        JsonNode full = api.post("/v2/payments/" + id + "/refunds", "{}")
                .asAdmin()
                .send()
                .expectError(409, "PAYMENT_FULLY_REFUNDED");
        assertThat(full.get("details").asString()).isEqualTo(id);
        api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 0.01}""").asAdmin().send().expectError(409, "PAYMENT_FULLY_REFUNDED");

        JsonNode refunds = api.get("/v2/payments/" + id + "/refunds")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(ids(refunds))
                .containsExactly(refund.get("id").asString(), rest.get("id").asString());
        assertThat(refunds.get(0)).isEqualTo(refund);

        // Refunding does not change the order, and the payment stays succeeded.
        assertThat(orderStatus(order.id())).isEqualTo("paid");
        JsonNode payment =
                api.get("/v2/payments/" + id).asAdmin().send().expect(200).json();
        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
        assertThat(payment.get("refunded_amount").decimalValue()).isEqualByComparingTo("50.00");
    }

    @Test
    void emptyRefundRefundsEverythingLeft() {
        Fixture order = newOrder("25.00", 2);
        String id = pay(order, "pm_card_visa").expect(201).json().get("id").asString();
        api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 10.55}""").asAdmin().send().expect(201);

        JsonNode rest = api.post("/v2/payments/" + id + "/refunds", "{}")
                .asAdmin()
                .send()
                .expect(201)
                .json();

        assertThat(rest.get("amount").decimalValue()).isEqualByComparingTo("39.45");
        assertThat(refundedAmount(id)).isEqualByComparingTo("50.00");
        api.post("/v2/payments/" + id + "/refunds", "{}").asAdmin().send().expectError(409, "PAYMENT_FULLY_REFUNDED");

        Fixture untouched = newOrder("12.34", 1);
        String whole =
                pay(untouched, "pm_card_visa").expect(201).json().get("id").asString();
        JsonNode all = api.post("/v2/payments/" + whole + "/refunds", """
                {"reason": "duplicate"}""")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        assertThat(all.get("amount").decimalValue()).isEqualByComparingTo("12.34");
        assertThat(all.get("reason").asString()).isEqualTo("duplicate");
        assertThat(refundedAmount(whole)).isEqualByComparingTo("12.34");
    }

    @Test
    void refundAboveWhatIsLeftIsRefused() {
        Fixture order = newOrder("25.00", 2);
        String id = pay(order, "pm_card_visa").expect(201).json().get("id").asString();

        JsonNode error = api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 50.01}""")
                .asAdmin()
                .send()
                .expectError(409, "REFUND_EXCEEDS_CAPTURED");
        assertThat(error.get("details").asString()).isEqualTo("amount (number)");
        api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 45}""").asAdmin().send().expect(201);
        JsonNode left = api.post("/v2/payments/" + id + "/refunds", """
                {"amount": 5.01}""")
                .asAdmin()
                .send()
                .expectError(409, "REFUND_EXCEEDS_CAPTURED");
        assertThat(left.get("message").asString()).contains("5.00");

        assertThat(refundedAmount(id)).isEqualByComparingTo("45.00");
        assertThat(api.get("/v2/payments/" + id + "/refunds")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .hasSize(1);
    }

    @Test
    void onlySucceededPaymentsCanBeRefunded() {
        Fixture order = newOrder("8.00", 1);
        pay(order, "pm_card_chargeDeclined").expect(402);
        String failed = api.get("/v2/payments?order_id=" + order.id())
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get(0)
                .get("id")
                .asString();

        JsonNode error = api.post("/v2/payments/" + failed + "/refunds", "{}")
                .asAdmin()
                .send()
                .expectError(409, "PAYMENT_NOT_REFUNDABLE");
        assertThat(error.get("details").asString()).isEqualTo(failed);
        api.post("/v2/payments/" + failed + "/refunds", """
                {"amount": 1}""")
                .asAdmin()
                .send()
                .expectError(409, "PAYMENT_NOT_REFUNDABLE");
        assertThat(api.get("/v2/payments/" + failed + "/refunds")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .isEmpty();
    }

    @Test
    void invalidRefundAmountsAreRejected() {
        Fixture order = newOrder("25.00", 2);
        String id = pay(order, "pm_card_visa").expect(201).json().get("id").asString();
        String path = "/v2/payments/" + id + "/refunds";

        for (String body : List.of(
                "{\"amount\": 1.001}",
                "{\"amount\": 1.00001}",
                "{\"amount\": 0}",
                "{\"amount\": 0.00}",
                "{\"amount\": -1}",
                "{\"amount\": \"ten\"}")) {
            JsonNode error = api.post(path, body).asAdmin().send().expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString()).as(body).isEqualTo("amount (number)");
        }
        JsonNode unknown = api.post(path, """
                {"amount": 1, "currency": "USD"}""").asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(unknown.get("details").asString()).isEqualTo("currency (string)");
        JsonNode longReason = api.post(path, "{\"reason\": \"" + "x".repeat(201) + "\"}")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(longReason.get("details").asString()).isEqualTo("reason (string)");

        assertThat(refundedAmount(id)).isEqualByComparingTo("0");
        assertThat(api.get(path).asAdmin().send().expect(200).json()).isEmpty();
        // Trailing zeros beyond the currency's precision are still the same amount.
        api.post(path, "{\"amount\": 1.1000}").asAdmin().send().expect(201);
        assertThat(refundedAmount(id)).isEqualByComparingTo("1.10");
    }

    @Test
    void cancellingAPaidOrderRefundsItInFullAndReleasesTheStock() {
        Fixture order = newOrder("19.99", 3);
        assertThat(stockOf(order.productId())).isEqualTo(7);
        String id = pay(order, "pm_card_visa").expect(201).json().get("id").asString();

        Response cancelled = cancel(order.id());

        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        assertThat(stockOf(order.productId())).isEqualTo(10);
        JsonNode refunds = api.get("/v2/payments/" + id + "/refunds")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0).get("reason").asString()).isEqualTo("order_cancelled");
        assertThat(refunds.get(0).get("amount").decimalValue()).isEqualByComparingTo("59.97");
        assertThat(refundedAmount(id)).isEqualByComparingTo("59.97");
        assertThat(types(events.of(id))).containsExactly("payment.succeeded", "payment.refunded");
        assertThat(types(events.of(order.id()))).containsExactly("order.created", "order.paid", "order.cancelled");

        // Cancelling again is a no-op, and never refunds twice.
        api.patch("/v2/orders/" + order.id(), "{\"status\": \"cancelled\"}")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(api.get("/v2/payments/" + id + "/refunds")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .hasSize(1);
        assertThat(stockOf(order.productId())).isEqualTo(10);
    }

    @Test
    void cancellingAPartlyRefundedOrderRefundsTheRest() {
        Fixture order = newOrder("10.00", 3);
        String id = pay(order, "pm_card_visa").expect(201).json().get("id").asString();
        api.post("/v2/payments/" + id + "/refunds", "{\"amount\": 12.50}")
                .asAdmin()
                .send()
                .expect(201);

        cancel(order.id());

        JsonNode refunds = api.get("/v2/payments/" + id + "/refunds")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(refunds).hasSize(2);
        assertThat(refunds.get(1).get("reason").asString()).isEqualTo("order_cancelled");
        assertThat(refunds.get(1).get("amount").decimalValue()).isEqualByComparingTo("17.50");
        assertThat(refundedAmount(id)).isEqualByComparingTo("30.00");
    }

    @Test
    void cancellingRefundsOnlyWhatIsLeftAndOnlyWhileCancellable() {
        Fixture refunded = newOrder("10.00", 1);
        String id = pay(refunded, "pm_card_visa").expect(201).json().get("id").asString();
        api.post("/v2/payments/" + id + "/refunds", "{}").asAdmin().send().expect(201);
        cancel(refunded.id());
        assertThat(api.get("/v2/payments/" + id + "/refunds")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .hasSize(1);
        assertThat(stockOf(refunded.productId())).isEqualTo(10);

        // A pending order whose only attempt failed has nothing to refund.
        Fixture declined = newOrder("10.00", 1);
        pay(declined, "pm_card_chargeDeclined").expect(402);
        cancel(declined.id());
        assertThat(stockOf(declined.productId())).isEqualTo(10);

        // A shipped order can no longer be cancelled, so it is not refunded either.
        Fixture shipped = newOrder("10.00", 1);
        String shippedPayment =
                pay(shipped, "pm_card_visa").expect(201).json().get("id").asString();
        api.patch("/v2/orders/" + shipped.id(), "{\"status\": \"shipped\"}")
                .asAdmin()
                .send()
                .expect(200);
        api.patch("/v2/orders/" + shipped.id(), "{\"status\": \"cancelled\"}")
                .asAdmin()
                .send()
                .expectError(409, "INVALID_STATUS_TRANSITION");
        assertThat(refundedAmount(shippedPayment)).isEqualByComparingTo("0");
        assertThat(stockOf(shipped.productId())).isEqualTo(9);
    }

    // ---- unknown outcomes: the processor times out ----

    @Test
    void timeoutLeavesThePaymentProcessingUntilTheReconcilerSettlesIt() {
        Fixture order = newOrder("42.00", 1);

        JsonNode timeout = pay(order, "pm_card_timeout").expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE");
        String id = timeout.get("details").asString();
        assertThat(id).startsWith("pay_");
        JsonNode processing =
                api.get("/v2/payments/" + id).asAdmin().send().expect(200).json();
        assertThat(processing.get("status").asString()).isEqualTo("processing");
        assertThat(processing.get("failure_message").asString()).isNotBlank();
        assertThat(processing.has("decline_code")).isFalse();
        assertThat(orderStatus(order.id())).isEqualTo("pending");

        // While its outcome is unknown, nothing else is charged and the order cannot be cancelled.
        JsonNode inProgress = pay(order, "pm_card_visa").expectError(409, "PAYMENT_IN_PROGRESS");
        assertThat(inProgress.get("details").asString()).isEqualTo(id);
        api.post("/payments", """
                {"orderId": "%s", "paymentMethodId": "pm_card_visa", "amount": 42, "currency": "USD"}""".formatted(order.id())).asAdmin().send().expectError(409, "PAYMENT_IN_PROGRESS");
        JsonNode cancelRefused = api.patch("/v2/orders/" + order.id(), "{\"status\": \"cancelled\"}")
                .asAdmin()
                .send()
                .expectError(409, "PAYMENT_IN_PROGRESS");
        assertThat(cancelRefused.get("details").asString()).isEqualTo(id);
        assertThat(orderStatus(order.id())).isEqualTo("pending");
        assertThat(stockOf(order.productId())).isEqualTo(9);
        api.post("/v2/payments/" + id + "/refunds", "{}").asAdmin().send().expectError(409, "PAYMENT_NOT_REFUNDABLE");
        assertThat(paymentRows(order.id())).isEqualTo(1);

        // Its reconciliation job leaves the payment alone for a retry delay.
        assertThat(jobDue(id)).isAfter(Instant.now().plusSeconds(20));
        assertThat(attempts(id)).isEqualTo(1);

        // The delay has passed: the job asks again, learns nothing, and backs off.
        settleNow(id);
        assertThat(attempts(id)).isEqualTo(2);
        assertThat(status(id)).isEqualTo("processing");
        assertThat(jobDue(id)).isAfter(Instant.now().plusSeconds(30));
        pay(order, "pm_card_visa").expectError(409, "PAYMENT_IN_PROGRESS");

        // Up to the last allowed attempt the job keeps trying.
        jdbc.sql("update payments set attempts = :attempts where id = :id")
                .param("attempts", maxAttempts - 2)
                .param("id", id)
                .update();
        settleNow(id);
        assertThat(attempts(id)).isEqualTo(maxAttempts - 1);
        assertThat(status(id)).isEqualTo("processing");

        // The last attempt gets no answer either: the payment is given up as failed, and the order can be paid.
        settleNow(id);
        assertThat(attempts(id)).isEqualTo(maxAttempts);

        JsonNode failed =
                api.get("/v2/payments/" + id).asAdmin().send().expect(200).json();
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("decline_code").asString()).isEqualTo("processor_unavailable");
        assertThat(orderStatus(order.id())).isEqualTo("pending");
        assertThat(types(events.of(id))).containsExactly("payment.failed");

        JsonNode paid = pay(order, "pm_card_visa").expect(201).json();
        assertThat(paid.get("id").asString()).isNotEqualTo(id);
        assertThat(orderStatus(order.id())).isEqualTo("paid");
        assertThat(paymentRows(order.id())).isEqualTo(2);
    }

    @Test
    void aRetryAfterTheLeaseRanOutSettlesTheEarlierAttemptInsteadOfChargingAgain() {
        Fixture order = newOrder("42.00", 1);
        String id = pay(order, "pm_card_timeout")
                .expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE")
                .get("details")
                .asString();
        expireLease(id);

        // The earlier charge may have gone through: it is asked about again (same payment), not charged anew.
        JsonNode again = pay(order, "pm_card_visa").expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE");
        assertThat(again.get("details").asString()).isEqualTo(id);
        assertThat(attempts(id)).isEqualTo(2);
        assertThat(paymentRows(order.id())).isEqualTo(1);
        pay(order, "pm_card_visa").expectError(409, "PAYMENT_IN_PROGRESS");
    }

    // ---- a retry under the Idempotency-Key of a request answered 502 ----

    @Test
    void aRetryOfAPaymentAnswered502GetsThePaymentOnceItSucceeded() {
        Unanswered request = unansweredV2("pm_card_timeoutThenSucceeds");
        String id = request.paymentId();
        settleNow(id);
        assertThat(status(id)).isEqualTo("succeeded");

        // The 502 was not kept under the key, so the retry runs again: it is answered with its payment, not 409.
        Response retry = request.retry().expect(201);
        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(retry.header("Location")).endsWith("/v2/payments/" + id);
        assertThat(retry.json())
                .isEqualTo(api.get("/v2/payments/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json());
        // That answer is kept.
        Response replay = request.retry().expect(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body()).isEqualTo(retry.body());
        // Any other request to pay the order is what it always was.
        pay(request.order(), "pm_card_visa").expectError(409, "ORDER_ALREADY_PAID");
        api.post("/v2/payments", request.body())
                .asAdmin()
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .send()
                .expectError(409, "ORDER_ALREADY_PAID");
        assertThat(paymentRows(request.order().id())).isEqualTo(1);
    }

    @Test
    void v1RetryOfAPaymentAnswered502GetsThePaymentWith200() {
        Fixture order = newOrder("31.00", 1);
        String key = UUID.randomUUID().toString();
        String body = """
                {"orderId": "%s", "paymentMethodId": "pm_card_timeoutThenSucceeds",
                 "amount": 31.00, "currency": "USD"}""".formatted(order.id());
        String id = unanswered("/payments", body, key);
        settleNow(id);

        JsonNode payment = api.post("/payments", body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expect(200)
                .json();
        assertThat(payment.get("id").asString()).isEqualTo(id);
        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void aRetryWhileTheOutcomeIsUnknownAsksAboutTheSamePayment() {
        Unanswered request = unansweredV2("pm_card_timeoutThenSucceeds");
        request.retry().expectError(409, "PAYMENT_IN_PROGRESS");

        expireLease(request.paymentId());
        Response settled = request.retry().expect(201);

        assertThat(settled.json().get("id").asString()).isEqualTo(request.paymentId());
        assertThat(attempts(request.paymentId())).isEqualTo(2);
        assertThat(paymentRows(request.order().id())).isEqualTo(1);
    }

    @Test
    void aRetryOfAPaymentThatWasGivenUpGetsItsFailure() {
        Unanswered request = unansweredV2("pm_card_timeout");
        String id = request.paymentId();
        jdbc.sql("update payments set attempts = :attempts where id = :id")
                .param("attempts", maxAttempts - 1)
                .param("id", id)
                .update();
        settleNow(id);
        assertThat(status(id)).isEqualTo("failed");

        JsonNode failed = request.retry().expectError(402, "PAYMENT_FAILED");
        assertThat(failed.get("details").asString()).isEqualTo("processor_unavailable");
        assertThat(failed.get("message").asString()).contains(id);
        assertThat(paymentRows(request.order().id())).isEqualTo(1);
        // The order can be paid, under a new key.
        pay(request.order(), "pm_card_visa").expect(201);
    }

    @Test
    void theKeyOfAPaymentAnswered502CannotBeReusedForAnotherPayment() {
        Fixture first = newOrder("31.00", 1);
        Fixture second = newOrder("31.00", 1);
        String key = UUID.randomUUID().toString();
        api.post("/v2/payments", paymentBody(first.id(), "pm_card_timeout", "31.00", "USD"))
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE");

        api.post("/v2/payments", paymentBody(second.id(), "pm_card_visa", "31.00", "USD"))
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");
        api.post("/v2/payments", paymentBody(first.id(), "pm_card_visa", "31.00", "USD"))
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expectError(422, "IDEMPOTENCY_KEY_REUSED");

        assertThat(paymentRows(second.id())).isZero();
    }

    // ---- an order with nothing to pay ----

    @Test
    void anOrderTotallingZeroIsPaidWithoutCallingTheProcessor() {
        Fixture order = newOrder("0", 2);
        assertThat(order.total()).isZero();

        // Not even a declining card is asked: there is nothing to charge.
        JsonNode payment = pay(order, "pm_card_chargeDeclined").expect(201).json();

        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
        assertThat(orderStatus(order.id())).isEqualTo("paid");
        api.post("/v2/payments/" + payment.get("id").asString() + "/refunds", "{}")
                .asAdmin()
                .send()
                .expectError(409, "PAYMENT_FULLY_REFUNDED");
        cancel(order.id());
    }

    // ---- domain events ----

    @Test
    void paymentsRecordDomainEvents() {
        Fixture order = newOrder("11.00", 2);
        pay(order, "pm_card_insufficientFunds").expect(402);
        String failed = api.get("/v2/payments?order_id=" + order.id())
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get(0)
                .get("id")
                .asString();
        String succeeded =
                pay(order, "pm_card_visa").expect(201).json().get("id").asString();
        String refundId = api.post("/v2/payments/" + succeeded + "/refunds", "{\"amount\": 2.00}")
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();

        List<DomainEvent> failedEvents = events.of(failed);
        assertThat(types(failedEvents)).containsExactly("payment.failed");
        assertThat(failedEvents.get(0).payload())
                .containsEntry("payment_id", failed)
                .containsEntry("order_id", order.id())
                .containsEntry("currency", "USD")
                .containsEntry("decline_code", "insufficient_funds");

        List<DomainEvent> paymentEvents = events.of(succeeded);
        assertThat(types(paymentEvents)).containsExactly("payment.succeeded", "payment.refunded");
        Map<String, Object> paid = paymentEvents.get(0).payload();
        assertThat(paid)
                .containsEntry("payment_id", succeeded)
                .containsEntry("order_id", order.id())
                .containsEntry("currency", "USD")
                .doesNotContainKey("decline_code");
        assertThat(new BigDecimal(paid.get("amount").toString())).isEqualByComparingTo("22.00");
        Map<String, Object> refunded = paymentEvents.get(1).payload();
        assertThat(refunded).containsEntry("refund_id", refundId);
        assertThat(new BigDecimal(refunded.get("refund_amount").toString())).isEqualByComparingTo("2.00");

        List<DomainEvent> orderEvents = events.of(order.id());
        assertThat(types(orderEvents)).containsExactly("order.created", "order.paid");
        assertThat(orderEvents.get(1).payload()).containsEntry("order_id", order.id());

        // Requests refused before a charge leave no events.
        Fixture untouched = newOrder("3.00", 1);
        pay(untouched, "pm_card_visa", "4.00", "USD").expect(400);
        assertThat(types(events.of(untouched.id()))).containsExactly("order.created");
    }

    // ---- races over real HTTP ----

    @Test
    void parallelRetriesWithOneIdempotencyKeyChargeOnce() {
        Fixture order = newOrder("17.00", 1);
        String key = UUID.randomUUID().toString();
        String body = paymentBody(order.id(), "pm_card_visa", "17.00", "USD");

        List<Response> responses =
                Race.requests(20, i -> api.post("/v2/payments", body).asAdmin().header("Idempotency-Key", key));

        List<Response> created =
                responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(created).isNotEmpty();
        assertThat(created.stream().filter(r -> r.header("Idempotent-Replayed") == null))
                .hasSize(1);
        String id = created.get(0).json().get("id").asString();
        for (Response response : responses) {
            if (response.status() == 201) {
                assertThat(response.json().get("id").asString()).isEqualTo(id);
                assertThat(response.body()).isEqualTo(created.get(0).body());
                assertThat(response.header("Location")).endsWith("/v2/payments/" + id);
            } else {
                response.expectError(409, "IDEMPOTENCY_KEY_IN_USE");
            }
        }
        assertThat(paymentRows(order.id())).isEqualTo(1);
        assertThat(status(id)).isEqualTo("succeeded");
        assertThat(orderStatus(order.id())).isEqualTo("paid");

        Response retry = api.post("/v2/payments", body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expect(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(created.get(0).body());
    }

    @Test
    void parallelPaymentsOfOneOrderChargeItOnce() {
        Fixture order = newOrder("23.00", 1);
        String body = paymentBody(order.id(), "pm_card_visa", "23.00", "USD");

        List<Response> responses = Race.requests(
                20,
                i -> api.post("/v2/payments", body)
                        .asAdmin()
                        .header("Idempotency-Key", UUID.randomUUID().toString()));

        assertThat(responses.stream().filter(r -> r.status() == 201)).hasSize(1);
        for (Response response : responses) {
            assertThat(response.header("Idempotent-Replayed")).isNull();
            if (response.status() != 201) {
                response.expect(409);
                assertThat(response.json().get("error").get("code").asString())
                        .isIn("ORDER_ALREADY_PAID", "PAYMENT_IN_PROGRESS");
            }
        }
        assertThat(paymentRows(order.id())).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from payments where order_id = :id and status = 'succeeded'")
                        .param("id", order.id())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(orderStatus(order.id())).isEqualTo("paid");
        assertThat(types(events.of(order.id()))).containsExactly("order.created", "order.paid");
    }

    @Test
    void parallelFullRefundsOfOnePaymentMakeExactlyOne() {
        Fixture order = newOrder("10.00", 1);
        String id = pay(order, "pm_card_visa").expect(201).json().get("id").asString();

        List<Response> responses = Race.requests(
                10, i -> api.post("/v2/payments/" + id + "/refunds", "{}").asAdmin());

        assertThat(responses.stream().filter(r -> r.status() == 201)).hasSize(1);
        for (Response response : responses) {
            if (response.status() != 201) {
                response.expect(409);
                assertThat(response.json().get("error").get("code").asString())
                        .isIn("REFUND_IN_PROGRESS", "PAYMENT_FULLY_REFUNDED");
            }
        }
        assertThat(refundedAmount(id)).isEqualByComparingTo("10.00");
        assertThat(api.get("/v2/payments/" + id + "/refunds")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .hasSize(1)
                .allSatisfy(
                        refund -> assertThat(refund.get("status").asString()).isEqualTo("succeeded"));
        assertThat(types(events.of(id))).containsExactly("payment.succeeded", "payment.refunded");
    }

    @Test
    void parallelPartialRefundsNeverExceedTheCapture() {
        Fixture order = newOrder("10.00", 1);
        String id = pay(order, "pm_card_visa").expect(201).json().get("id").asString();

        List<Response> responses = Race.requests(
                10,
                i -> api.post("/v2/payments/" + id + "/refunds", "{\"amount\": 3.00}")
                        .asAdmin());

        List<Response> made = responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(made).isNotEmpty().hasSizeLessThanOrEqualTo(3);
        for (Response response : responses) {
            if (response.status() != 201) {
                response.expect(409);
                // One refund of a payment is in flight at a time; the others wait their turn or find too little left.
                assertThat(response.json().get("error").get("code").asString())
                        .isIn("REFUND_IN_PROGRESS", "REFUND_EXCEEDS_CAPTURED");
            }
        }
        BigDecimal refunded = refundedAmount(id);
        assertThat(refunded)
                .isLessThanOrEqualTo(new BigDecimal("10.00"))
                .isEqualByComparingTo(new BigDecimal("3.00").multiply(BigDecimal.valueOf(made.size())));
        assertThat(api.get("/v2/payments/" + id + "/refunds")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json())
                .hasSize(made.size());
        BigDecimal sum = jdbc.sql("select coalesce(sum(amount), 0) from refunds where payment_id = :id")
                .param("id", id)
                .query(BigDecimal.class)
                .single();
        assertThat(sum).isEqualByComparingTo(refunded);
        // Sent one after another, every refund that fits is made.
        for (int i = made.size(); i < 3; i++) {
            api.post("/v2/payments/" + id + "/refunds", "{\"amount\": 3.00}")
                    .asAdmin()
                    .send()
                    .expect(201);
        }
        api.post("/v2/payments/" + id + "/refunds", "{\"amount\": 3.00}")
                .asAdmin()
                .send()
                .expectError(409, "REFUND_EXCEEDS_CAPTURED");
        assertThat(refundedAmount(id)).isEqualByComparingTo("9.00");
    }

    // ---- fixtures ----

    private record Fixture(String id, String productId, BigDecimal total, String currency) {}

    /** A fresh user and product (stock 10), and a pending order of {@code quantity} of it. */
    private Fixture newOrder(String price, int quantity) {
        return newOrder(price, quantity, "USD");
    }

    private Fixture newOrder(String price, int quantity, String currency) {
        String productId = aProduct().priced(price, currency).withStock(10).create();
        JsonNode order =
                placeOrder(aUser().create(), productId, quantity).expect(201).json();
        assertThat(order.get("status").asString()).isEqualTo("pending");
        return new Fixture(
                order.get("id").asString(),
                productId,
                order.get("total_amount").decimalValue(),
                order.get("currency").asString());
    }

    private Response pay(Fixture order, String method) {
        return pay(order, method, order.total().toPlainString(), order.currency());
    }

    private Response pay(Fixture order, String method, String amount, String currency) {
        return api.post("/v2/payments", paymentBody(order.id(), method, amount, currency))
                .asAdmin()
                .send();
    }

    private static String paymentBody(String orderId, String method, String amount, String currency) {
        return """
                {"order_id": "%s", "payment_method_id": "%s", "amount": %s, "currency": "%s"}""".formatted(orderId, method, amount, currency);
    }

    private Response cancel(String orderId) {
        return api.patch("/v2/orders/" + orderId, "{\"status\": \"cancelled\"}")
                .asAdmin()
                .send()
                .expect(200);
    }

    private void expectInvalidV1(String body, String details) {
        JsonNode error = api.post("/payments", body).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).as(body).isEqualTo(details);
    }

    private String orderStatus(String orderId) {
        return api.get("/v2/orders/" + orderId)
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get("status")
                .asString();
    }

    private BigDecimal refundedAmount(String paymentId) {
        return api.get("/v2/payments/" + paymentId)
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get("refunded_amount")
                .decimalValue();
    }

    private String status(String paymentId) {
        return api.get("/v2/payments/" + paymentId)
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get("status")
                .asString();
    }

    private int paymentRows(String orderId) {
        return jdbc.sql("select count(*) from payments where order_id = :id")
                .param("id", orderId)
                .query(Integer.class)
                .single();
    }

    private int attempts(String paymentId) {
        return jdbc.sql("select attempts from payments where id = :id")
                .param("id", paymentId)
                .query(Integer.class)
                .single();
    }

    /** A v2 request to pay a new order under a key of its own, which the processor did not answer. */
    private record Unanswered(Api api, Fixture order, String key, String body, String paymentId) {

        Response retry() {
            return api.post("/v2/payments", body)
                    .asAdmin()
                    .header("Idempotency-Key", key)
                    .send();
        }
    }

    private Unanswered unansweredV2(String method) {
        Fixture order = newOrder("31.00", 1);
        String key = UUID.randomUUID().toString();
        String body = paymentBody(order.id(), method, "31.00", "USD");
        return new Unanswered(api, order, key, body, unanswered("/v2/payments", body, key));
    }

    /** A payment request under {@code key} that the processor does not answer: 502, naming the payment. */
    private String unanswered(String path, String body, String key) {
        return api.post(path, body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expectError(502, "PAYMENT_PROCESSOR_UNAVAILABLE")
                .get("details")
                .asString();
    }

    /** The reconciliation job's next attempt at the payment, as if its retry delay had passed: run by the scheduler. */
    private void settleNow(String paymentId) {
        makeJobDue(paymentId);
        scheduler.triggerCheckForDueExecutions();
        // Done once the job has gone (settled) or waits for a later attempt.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> jdbc.sql("select count(*) from scheduled_tasks where task_name = 'payment-reconciliation' "
                                        + "and task_instance = :id and (picked or execution_time <= now())")
                                .param("id", paymentId)
                                .query(Long.class)
                                .single()
                        == 0);
    }

    /**
     * As if the payment's retry delay had passed, for a request to ask about it: the scheduler is paused until the
     * test ends, so that its job does not ask first.
     */
    private void expireLease(String paymentId) {
        scheduler.pause();
        makeJobDue(paymentId);
    }

    @AfterEach
    void resumeJobs() {
        scheduler.resume();
    }

    private void makeJobDue(String paymentId) {
        assertThat(jdbc.sql("update scheduled_tasks set execution_time = now() - interval '1 second' "
                                + "where task_name = 'payment-reconciliation' and task_instance = :id")
                        .param("id", paymentId)
                        .update())
                .isEqualTo(1);
    }

    /** When the payment's reconciliation job runs next. */
    private Instant jobDue(String paymentId) {
        return jdbc.sql("select execution_time from scheduled_tasks where task_name = 'payment-reconciliation' "
                        + "and task_instance = :id")
                .param("id", paymentId)
                .query(java.sql.Timestamp.class)
                .single()
                .toInstant();
    }

    private String createKey(String... scopes) {
        return api.post("/v2/api-keys", """
                {"name": "payments it %s", "scopes": ["%s"]}""".formatted(UUID.randomUUID(), String.join("\", \"", scopes)))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
    }

    private static List<String> types(List<DomainEvent> events) {
        return events.stream().map(DomainEvent::type).toList();
    }
}
