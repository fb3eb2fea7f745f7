package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.shared.Ids;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Orders;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The references' examples copied as they are printed, as a new user does: each gets an answer that says what to
 * change, rather than a bare "not valid" or "not found".
 */
class ReferenceExamplesIT extends ApiTestSupport {

    /** The v1 reference's notification example, comment and all. */
    private static final String V1_NOTIFICATION = """
            {
            "userId": "%s",
            "type": "email", // or "sms"
            "subject": "Your order has shipped!",
            "message": "Your order #ORD-5678 has been shipped and is expected to arrive in 3-5 business days."
            }""";

    /** The v2 reference's notification example, comment and all. */
    private static final String V2_NOTIFICATION = """
            {
            "user_id": "%s",
            "message": "Your order has been shipped!",
            "type": "email", // or "sms", "push"
            "priority": "high"
            }""";

    @Test
    void aCommentInABodyIsMalformedJsonSayingWhereAndThatJsonHasNone() {
        String user = aUser().create();

        JsonNode v1 = api.post("/notifications/send", V1_NOTIFICATION.formatted(user))
                .asAdmin()
                .send()
                .expectError(400, "MALFORMED_JSON");
        assertThat(v1.get("details").asString()).isEqualTo("line 3, column 18");
        assertThat(v1.get("message").asString())
                .contains("line 3, column 18")
                .contains("comment")
                .contains("JSON has no comments");
        JsonNode v2 = api.post("/v2/notifications", V2_NOTIFICATION.formatted(user))
                .asAdmin()
                .send()
                .expectError(400, "MALFORMED_JSON");
        assertThat(v2.get("details").asString()).isEqualTo("line 4, column 18");
        JsonNode block = api.post("/v2/notifications", """
                {"user_id": "usr_1", /* who */ "message": "Hi", "type": "email"}""").asAdmin().send().expectError(400, "MALFORMED_JSON");
        assertThat(block.get("details").asString()).isEqualTo("line 1, column 22");
        assertThat(block.get("message").asString()).contains("comment");

        // Without the comment, the same example is accepted.
        api.post("/notifications/send", V1_NOTIFICATION.formatted(user).replace(" // or \"sms\"", ""))
                .asAdmin()
                .send()
                .expect(202);
    }

    @Test
    void otherMalformedJsonNamesTheLineAndColumnToo() {
        JsonNode error = api.post("/v2/products", "{\"name\": \"Widget\",\n \"price\": tru}")
                .asAdmin()
                .send()
                .expectError(400, "MALFORMED_JSON");

        assertThat(error.get("details").asString()).isEqualTo("line 2, column 11");
        assertThat(error.get("message").asString())
                .contains("line 2, column 11")
                .contains("tru");
    }

    @Test
    void theReferencesExampleIdsAreNotFoundNamingTheIdFormat() {
        for (String path : new String[] {"/v2/users/user_123", "/v2/users/usr_123abc"}) {
            JsonNode error = api.get(path).asAdmin().send().expectError(404, "NOT_FOUND");
            assertThat(error.get("message").asString())
                    .as(path)
                    .contains("User ids are 'usr_' followed by 24 letters and digits")
                    .contains("examples");
        }
        JsonNode product = api.get("/products/prod_xyz789").asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(product.get("message").asString()).contains("Product ids are 'prod_' followed by 24");
        JsonNode order = api.get("/orders/ord_qwe987").asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(order.get("message").asString()).contains("Order ids are 'ord_' followed by 24");

        // An id of the right form that does not exist is simply not found.
        String wellFormed = Ids.generate("usr");
        JsonNode missing = api.get("/v2/users/" + wellFormed).asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(missing.get("message").asString()).isEqualTo("No user with id '" + wellFormed + "' exists.");
    }

    @Test
    void theV1OrderExampleNamesTheIdFormatOfItsUser() {
        String product = aProduct().priced("49.99", "USD").withStock(5).create();

        JsonNode error = api.post("/orders", Orders.v1Body("usr_123abc", product, 2))
                .asAdmin()
                .send()
                .expectError(400, "USER_NOT_FOUND");

        assertThat(error.get("details").asString()).isEqualTo("userId (string)");
        assertThat(error.get("message").asString())
                .startsWith("No user with id 'usr_123abc' exists (userId).")
                .contains("'usr_' followed by 24 letters and digits");
        assertThat(stockOf(product)).isEqualTo(5);
    }

    @Test
    void theV1PaymentExampleIsDeclinedListingTheTestPaymentMethodsAndTheOrderStaysPayable() {
        String user = aUser().create();
        String widget = aProduct().priced("49.99", "USD").withStock(5).create();
        String order = api.post("/orders", Orders.v1Body(user, widget, 2))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        String payment = """
                {"orderId": "%s", "paymentMethodId": "%s", "amount": 99.98, "currency": "USD"}""";

        JsonNode declined = api.post("/payments", payment.formatted(order, "pm_ Stripe_12345"))
                .asAdmin()
                .send()
                .expectError(402, "PAYMENT_FAILED");

        assertThat(declined.get("details").asString()).isEqualTo("invalid_payment_method");
        assertThat(declined.get("message").asString())
                .contains("'pm_ Stripe_12345'")
                .contains("pm_card_visa")
                .contains("pm_card_chargeDeclined");
        JsonNode paid = api.post("/payments", payment.formatted(order, "pm_card_visa"))
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(paid.get("status").asString()).isEqualTo("succeeded");
    }
}
