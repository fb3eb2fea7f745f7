package dev.mercato.products;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import org.junit.jupiter.api.Test;

class ProductsSmokeIT extends ApiTestSupport {

    @Test
    void createdProductIsReadableInBothVersions() {
        var created = api.post("/v2/products", """
                {"name": "Smoke Widget", "description": "Only a test", "price": 12.5, "currency": "USD", "stock": 3}
                """).asAdmin().send().expect(201);
        String id = created.json().get("id").asString();
        assertThat(id).startsWith("prod_");
        var v1 = api.get("/products/" + id).asAdmin().send().expect(200).json();
        assertThat(v1.get("price").decimalValue()).isEqualByComparingTo("12.50");
        api.get("/v2/products/" + id).asAdmin().send().expect(200);
        api.get("/v2/products/nope").asAdmin().send().expectError(404, "NOT_FOUND");
        api.get("/v2/products?limit=0").asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }
}
