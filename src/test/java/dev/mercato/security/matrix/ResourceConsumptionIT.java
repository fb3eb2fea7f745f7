package dev.mercato.security.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import org.junit.jupiter.api.Test;

/**
 * OWASP API4, unrestricted resource consumption: every documented operation that takes a body refuses one over the
 * limit with 413, every list refuses a page larger than its maximum with 400, and a credential past its rate limit
 * is answered 429 with Retry-After.
 */
class ResourceConsumptionIT extends ApiTestSupport {

    @Test
    void everyBodyHasALimit() {
        String oversized = "{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        for (Operations.Operation operation : Operations.of(api).withBody()) {
            Response refused = operation
                    .call(api, operation.path(name -> "xyz_1"), oversized)
                    .asAdmin()
                    .unvalidated()
                    .send();

            assertThat(refused.status()).as(operation.toString()).isEqualTo(413);
            assertThat(refused.json().get("error").get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        }
    }

    @Test
    void everyListHasAMaximumPage() {
        int lists = 0;
        for (Operations.Operation operation : Operations.of(api).secured()) {
            if (!operation.method().equals("get")
                    || !operation.queryParameters().contains("limit")) {
                continue;
            }
            Response refused = api.get(operation.path(name -> "xyz_1") + "?limit=100000")
                    .asAdmin()
                    .unvalidated()
                    .send();

            assertThat(refused.status()).as(operation.toString()).isIn(400, 404);
            if (operation.pathParameters().isEmpty()) {
                assertThat(refused.status()).as(operation.toString()).isEqualTo(400);
                lists++;
            }
        }
        assertThat(lists).as("paged lists").isGreaterThanOrEqualTo(8);
    }

    @Test
    void aCredentialPastItsLimitIsAnswered429WithRetryAfter() {
        String key = api.post("/v2/api-keys", """
                {"name": "matrix limit", "scopes": ["products:read"], "rate_limit_per_minute": 2}""")
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();

        api.get("/v2/products?limit=1").as(key).send().expect(200);
        api.get("/v2/products?limit=1").as(key).send().expect(200);
        Response limited = api.get("/v2/products?limit=1").as(key).send();

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotBlank();
    }
}
