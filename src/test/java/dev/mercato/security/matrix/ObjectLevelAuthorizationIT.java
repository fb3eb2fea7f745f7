package dev.mercato.security.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.auth.oauth.TestTokens;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * OWASP API1, broken object level authorization: a token user A authorized, holding every scope a user can grant,
 * gets 404 from every documented operation on user B's resources (users, orders, payments, notifications), as if
 * they did not exist, changes none of them, and never sees them listed, whatever the query asks for.
 */
class ObjectLevelAuthorizationIT extends ApiTestSupport {

    private static final Set<String> USER_SCOPES = Set.of(
            "users:read",
            "users:write",
            "products:read",
            "orders:read",
            "orders:write",
            "payments:write",
            "notifications:write");
    private static final Set<String> OWNED = Set.of("users", "orders", "payments", "notifications");

    @Autowired
    ApplicationContext context;

    @Test
    void aUsersTokenNeverReachesAnotherUsersResources() {
        String alice = aUser().create();
        String bob = aUser().create();
        String product = aProduct().priced("10.00", "USD").withStock(50).create();
        placeOrder(alice, product, 1).expect(201);
        String order = placeOrder(bob, product, 1).expect(201).json().get("id").asString();
        String payment = api.post("/v2/payments", """
                {"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": 10.00, "currency": "USD"}""".formatted(order))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        String notification = api.post("/v2/notifications", """
                {"user_id": "%s", "type": "push", "message": "for bob"}""".formatted(bob))
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
        Map<String, String> bobs =
                Map.of("users", bob, "orders", order, "payments", payment, "notifications", notification);
        String client = api.post("/v2/oauth-clients", """
                {"name": "matrix objects", "scopes": %s, "redirect_uris": ["https://app.example.com/cb"]}""".formatted(json(USER_SCOPES)))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("client_id")
                .asString();
        String token = new TestTokens(context, api.base()).forUser(client, alice, String.join(" ", USER_SCOPES));
        Map<String, String> before = snapshot(bobs);

        int checked = 0;
        for (Operations.Operation operation : Operations.of(api).secured()) {
            String kind = kind(operation.path());
            if (!OWNED.contains(kind) || !USER_SCOPES.containsAll(operation.scopes())) {
                continue;
            }
            if (operation.pathParameters().isEmpty()) {
                if (operation.method().equals("get")) {
                    String query = operation.queryParameters().contains("user_id") ? "?user_id=" + bob : "";
                    Response listed = operation
                            .call(api, operation.path() + query, null)
                            .as(token)
                            .send();
                    assertThat(listed.body()).as(operation + query).doesNotContain(bobs.values());
                    checked++;
                }
                continue;
            }
            Response answer = operation
                    .call(api, operation.path(name -> bobs.get(kind)), "{}")
                    .as(token)
                    .unvalidated()
                    .send();
            if (operation.body()) {
                assertThat(answer.status()).as(operation.toString()).isIn(400, 403, 404, 422);
            } else {
                assertThat(answer.status()).as(operation + " " + answer.body()).isIn(403, 404);
            }
            assertThat(answer.body()).as(operation.toString()).doesNotContain("for bob");
            checked++;
        }

        assertThat(checked).as("operations on users' resources").isGreaterThanOrEqualTo(15);
        assertThat(snapshot(bobs)).as("nothing of bob's changed").isEqualTo(before);
    }

    private Map<String, String> snapshot(Map<String, String> bobs) {
        return Map.of(
                "user",
                        api.get("/v2/users/" + bobs.get("users"))
                                .asAdmin()
                                .send()
                                .expect(200)
                                .body(),
                "order",
                        api.get("/v2/orders/" + bobs.get("orders"))
                                .asAdmin()
                                .send()
                                .expect(200)
                                .body(),
                "payment",
                        api.get("/v2/payments/" + bobs.get("payments"))
                                .asAdmin()
                                .send()
                                .expect(200)
                                .body());
    }

    /** The kind of resource an operation's path is about: its first segment after the version. */
    private static String kind(String path) {
        List<String> segments =
                List.of(path.replaceFirst("^/(v1|v2)/", "/").substring(1).split("/"));
        return segments.get(0);
    }

    private static String json(Set<String> values) {
        return "[\"" + String.join("\", \"", values) + "\"]";
    }
}
