package dev.mercato.products;

import static dev.mercato.support.JsonLists.fieldNames;
import static dev.mercato.support.JsonLists.find;
import static dev.mercato.support.JsonLists.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ProductsIT extends ApiTestSupport {

    private static final Random RANDOM = new Random();

    // ---- v1: the read-only view ----

    @Test
    void v1ShowsAProductWithCamelCaseFieldsAndTwoDecimalPrice() {
        String id = aProduct()
                .named("V1 Widget")
                .describedAs("Seen through v1")
                .priced("12.5", "USD")
                .withStock(3)
                .create();

        for (String path : List.of("/products/" + id, "/v1/products/" + id)) {
            Response response = api.get(path).asAdmin().send().expect(200);
            JsonNode product = response.json();
            assertThat(fieldNames(product))
                    .as(path)
                    .containsExactlyInAnyOrder("id", "name", "description", "price", "currency", "stock");
            assertThat(product.get("price").isNumber()).isTrue();
            assertThat(product.get("price").decimalValue()).isEqualByComparingTo("12.50");
            assertThat(response.body()).contains("\"price\":12.50");
            assertThat(product.get("currency").asString()).isEqualTo("USD");
            assertThat(product.get("stock").asInt()).isEqualTo(3);
            assertThat(response.header("ETag")).isEqualTo("\"v1-1\"");
        }
    }

    @Autowired
    JdbcClient jdbc;

    /** The list's total is a count kept by triggers (V30): it must follow every way products come and go. */
    @Test
    void theListsTotalFollowsEveryWayProductsComeAndGo() {
        assertThat(listedTotal()).isEqualTo(countedTotal());

        aProduct().named("Counted One").priced("1", "USD").withStock(1).create();
        String deleted =
                aProduct().named("Counted Two").priced("1", "USD").withStock(1).create();
        assertThat(listedTotal()).isEqualTo(countedTotal());
        api.delete("/v2/products/" + deleted).asAdmin().send().expect(204);
        assertThat(listedTotal()).isEqualTo(countedTotal());

        long before = countedTotal();
        jdbc.sql("""
                insert into products (id, name, price, currency, stock)
                select 'prd_counted_' || n, 'Bulk ' || n, 1, 'USD', 1 from generate_series(1, 3) n
                """).update();
        assertThat(listedTotal()).isEqualTo(before + 3).isEqualTo(countedTotal());
        jdbc.sql("delete from products where id like 'prd_counted_%'").update();
        assertThat(listedTotal()).isEqualTo(before).isEqualTo(countedTotal());
    }

    /** The endpoint lookup tests a path's literal beginning first; an encoded path must still find its endpoint. */
    @Test
    void anEncodedPathFindsTheSameEndpoint() {
        String id =
                aProduct().named("Encoded Path").priced("2", "USD").withStock(1).create();

        // The OpenAPI documents name the decoded path only: not validated against them.
        Response response =
                api.get("/v2/%70roducts/" + id).asAdmin().unvalidated().send().expect(200);

        assertThat(response.json().get("id").asString()).isEqualTo(id);
        api.delete("/v2/%70roducts/" + id).asAdmin().unvalidated().send().expect(204);
        api.get("/v2/products/" + id).asAdmin().send().expectError(404, "NOT_FOUND");
    }

    private long listedTotal() {
        // limit=1: a full page, so the total is the kept count rather than told from the page.
        return Long.parseLong(
                api.get("/v2/products?limit=1").asAdmin().send().expect(200).header("X-Total-Count"));
    }

    private long countedTotal() {
        return jdbc.sql("select count(*) from products").query(Long.class).single();
    }

    @Test
    void v1ListsProductsAtBothPathsWithPaginationHeaders() {
        String id =
                aProduct().named("V1 Listed").priced("5", "USD").withStock(1).create();

        for (String path : List.of("/products?limit=100", "/v1/products?limit=100")) {
            Response response = api.get(path).asAdmin().send().expect(200);
            assertThat(response.header("X-Limit")).isEqualTo("100");
            assertThat(response.header("X-Offset")).isEqualTo("0");
            assertThat(Long.parseLong(response.header("X-Total-Count"))).isPositive();
            JsonNode product = find(response.json(), id);
            assertThat(product).as(path).isNotNull();
            assertThat(product.get("price").decimalValue()).isEqualByComparingTo("5.00");
            assertThat(product.has("description")).isFalse();
            assertThat(product.has("createdAt")).isFalse();
            assertThat(product.has("created_at")).isFalse();
        }
    }

    @Test
    void v1UnknownProductReturns404() {
        api.get("/products/prod_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
        api.get("/v1/products/prod_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void pricesUseTheCurrencysPrecision() {
        String yen = aProduct()
                .named("Yen Widget")
                .priced("1500", "JPY")
                .withStock(1)
                .create();
        String dinar = aProduct()
                .named("Dinar Widget")
                .priced("1.5", "KWD")
                .withStock(1)
                .create();

        assertThat(api.get("/products/" + yen).asAdmin().send().expect(200).body())
                .contains("\"price\":1500,");
        assertThat(api.get("/v2/products/" + dinar).asAdmin().send().expect(200).body())
                .contains("\"price\":1.500,");
    }

    // ---- v2: CRUD ----

    @Test
    void createReturns201WithLocationETagAndSnakeCaseBody() {
        Response created = api.post("/v2/products", """
                {"name": "Premium Widget", "description": "A high-quality widget.", "price": 49.99,
                 "currency": "USD", "stock": 150}""").asAdmin().send().expect(201);

        JsonNode product = created.json();
        String id = product.get("id").asString();
        assertThat(id).startsWith("prod_");
        assertThat(created.header("Location")).endsWith("/v2/products/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(product.get("name").asString()).isEqualTo("Premium Widget");
        assertThat(product.get("description").asString()).isEqualTo("A high-quality widget.");
        assertThat(product.get("price").decimalValue()).isEqualByComparingTo("49.99");
        assertThat(product.get("currency").asString()).isEqualTo("USD");
        assertThat(product.get("stock").asInt()).isEqualTo(150);
        assertThat(product.get("created_at").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(product.has("updated_at")).isTrue();

        Response fetched = api.get("/v2/products/" + id).asAdmin().send().expect(200);
        assertThat(fetched.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(fetched.json()).isEqualTo(product);
    }

    @Test
    void v2ListIsNewestFirstWithPaginationHeaders() {
        String older = aProduct().named("Older").priced("1", "USD").withStock(1).create();
        String middle =
                aProduct().named("Middle").priced("1", "USD").withStock(1).create();
        String newer = aProduct().named("Newer").priced("1", "USD").withStock(1).create();

        Response response = api.get("/v2/products?limit=100").asAdmin().send().expect(200);

        List<String> ids = ids(response.json());
        assertThat(ids.indexOf(newer)).isNotNegative().isLessThan(ids.indexOf(middle));
        assertThat(ids.indexOf(middle)).isLessThan(ids.indexOf(older));
        assertThat(response.header("X-Limit")).isEqualTo("100");
        api.get("/v2/products?limit=0").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.get("/v2/products?limit=101").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        Response second =
                api.get("/v2/products?limit=1&offset=1").asAdmin().send().expect(200);
        assertThat(second.header("Link")).contains("offset=0>; rel=\"prev\"").contains("offset=2>; rel=\"next\"");
    }

    @Test
    void getUnknownProductReturns404() {
        JsonNode error =
                api.get("/v2/products/prod_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(error.get("details").asString()).isEqualTo("prod_doesnotexist");
    }

    @Test
    void putReplacesEveryWritableField() {
        String id = aProduct()
                .named("Before")
                .describedAs("Old text")
                .priced("10", "USD")
                .withStock(5)
                .create();

        Response replaced = api.put("/v2/products/" + id, """
                {"name": "After", "price": 1000, "currency": "JPY", "stock": 0}""").asAdmin().send().expect(200);

        assertThat(replaced.header("ETag")).isEqualTo("\"v2-2\"");
        JsonNode product = replaced.json();
        assertThat(product.get("name").asString()).isEqualTo("After");
        assertThat(product.has("description")).isFalse();
        assertThat(product.get("price").decimalValue()).isEqualByComparingTo("1000");
        assertThat(product.get("currency").asString()).isEqualTo("JPY");
        assertThat(product.get("stock").asInt()).isZero();
        assertThat(api.get("/v2/products/" + id).asAdmin().send().expect(200).json())
                .isEqualTo(product);
    }

    @Test
    void putOnUnknownProductReturns404() {
        api.put("/v2/products/prod_doesnotexist", """
                {"name": "Ghost", "price": 1, "currency": "USD", "stock": 1}""").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void patchChangesOnlyTheFieldsItNames() {
        String id = aProduct()
                .named("Patchable")
                .describedAs("Keeps this")
                .priced("10.00", "USD")
                .withStock(5)
                .create();

        Response patched = api.patch("/v2/products/" + id, """
                {"price": 8.75, "stock": 4}""").asAdmin().send().expect(200);

        assertThat(patched.header("ETag")).isEqualTo("\"v2-2\"");
        JsonNode product = patched.json();
        assertThat(product.get("name").asString()).isEqualTo("Patchable");
        assertThat(product.get("description").asString()).isEqualTo("Keeps this");
        assertThat(product.get("price").decimalValue()).isEqualByComparingTo("8.75");
        assertThat(product.get("currency").asString()).isEqualTo("USD");
        assertThat(product.get("stock").asInt()).isEqualTo(4);
    }

    @Test
    void patchWithNullDescriptionRemovesIt() {
        String id = aProduct()
                .named("Described")
                .describedAs("Goes away")
                .priced("3", "USD")
                .withStock(1)
                .create();

        JsonNode product = api.patch("/v2/products/" + id, """
                {"description": null}""")
                .asAdmin()
                .send()
                .expect(200)
                .json();

        assertThat(product.has("description")).isFalse();
        assertThat(api.get("/v2/products/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .has("description"))
                .isFalse();
        assertThat(api.get("/products/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .has("description"))
                .isFalse();
    }

    @Test
    void patchProducingAnInvalidProductIsRejectedAndChangesNothing() {
        String id = aProduct()
                .named("Stable")
                .describedAs("Unchanged")
                .priced("10.00", "USD")
                .withStock(5)
                .create();

        JsonNode negative =
                api.patch("/v2/products/" + id, """
                {"price": -1}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(negative.get("details").asString()).isEqualTo("price (number)");
        JsonNode precision =
                api.patch("/v2/products/" + id, """
                {"currency": "JPY", "price": 10.5}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(precision.get("details").asString()).isEqualTo("price (number)");
        JsonNode name = api.patch("/v2/products/" + id, """
                {"name": null}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(name.get("details").asString()).isEqualTo("name (string)");
        JsonNode unknown = api.patch("/v2/products/" + id, """
                {"colour": "red"}""").asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(unknown.get("details").asString()).isEqualTo("colour (string)");

        Response unchanged = api.get("/v2/products/" + id).asAdmin().send().expect(200);
        assertThat(unchanged.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(unchanged.json().get("price").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(unchanged.json().get("currency").asString()).isEqualTo("USD");
        assertThat(unchanged.json().get("name").asString()).isEqualTo("Stable");
    }

    @Test
    void patchOnUnknownProductReturns404() {
        api.patch("/v2/products/prod_doesnotexist", """
                {"stock": 1}""").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void deleteReturns204AndTheProductIsGone() {
        String id = aProduct().named("Doomed").priced("1", "USD").withStock(1).create();

        Response deleted = api.delete("/v2/products/" + id).asAdmin().send().expect(204);

        assertThat(deleted.body()).isEmpty();
        api.get("/v2/products/" + id).asAdmin().send().expectError(404, "NOT_FOUND");
        api.get("/products/" + id).asAdmin().send().expectError(404, "NOT_FOUND");
        api.delete("/v2/products/" + id).asAdmin().send().expectError(404, "NOT_FOUND");
    }

    // ---- validation ----

    @Nested
    class Validation {

        @Test
        void emptyOrBlankNameIsRejected() {
            expectInvalid("""
                    {"name": "", "price": 1, "currency": "USD", "stock": 1}""", "name (string)");
            expectInvalid("""
                    {"name": "   ", "price": 1, "currency": "USD", "stock": 1}""", "name (string)");
            JsonNode missing = expectInvalid("""
                    {"price": 1, "currency": "USD", "stock": 1}""", "name (string)");
            assertThat(missing.get("message").asString()).contains("required");
        }

        @Test
        void negativePriceIsRejected() {
            expectInvalid("""
                    {"name": "Negative", "price": -0.01, "currency": "USD", "stock": 1}""", "price (number)");
        }

        @Test
        void priceFinerThanTheCurrencyAllowsIsRejected() {
            JsonNode usd = expectInvalid("""
                    {"name": "Fine", "price": 1.001, "currency": "USD", "stock": 1}""", "price (number)");
            assertThat(usd.get("message").asString()).contains("USD");
            expectInvalid("""
                    {"name": "Fine", "price": 10.5, "currency": "JPY", "stock": 1}""", "price (number)");
        }

        @Test
        void currencyMustBeAnUpperCaseIso4217Code() {
            expectInvalid("""
                    {"name": "Lower", "price": 1, "currency": "usd", "stock": 1}""", "currency (string)");
            expectInvalid("""
                    {"name": "Unknown", "price": 1, "currency": "XYZ", "stock": 1}""", "currency (string)");
            expectInvalid("""
                    {"name": "Missing", "price": 1, "stock": 1}""", "currency (string)");
        }

        @Test
        void stockMustBeANonNegativeInteger() {
            expectInvalid("""
                    {"name": "Stock", "price": 1, "currency": "USD", "stock": -1}""", "stock (integer)");
            expectInvalid("""
                    {"name": "Stock", "price": 1, "currency": "USD", "stock": 1.5}""", "stock (integer)");
            expectInvalid("""
                    {"name": "Stock", "price": 1, "currency": "USD", "stock": "3"}""", "stock (integer)");
            expectInvalid("""
                    {"name": "Stock", "price": 1, "currency": "USD"}""", "stock (integer)");
        }

        @Test
        void stockBeyondTheIntegerRangeNamesTheField() {
            expectInvalid("""
                    {"name": "Stock", "price": 1, "currency": "USD", "stock": 3000000000}""", "stock (integer)");
            expectInvalid("""
                    {"name": "Stock", "price": 1, "currency": "USD", "stock": 1000000001}""", "stock (integer)");
        }

        @Test
        void overlongNameOrDescriptionIsRejected() {
            expectInvalid("""
                    {"name": "%s", "price": 1, "currency": "USD", "stock": 1}""".formatted("n".repeat(201)), "name (string)");
            expectInvalid("""
                    {"name": "Long", "description": "%s", "price": 1, "currency": "USD", "stock": 1}""".formatted("d".repeat(5001)), "description (string)");
        }

        @Test
        void priceMustBeAJsonNumber() {
            expectInvalid("""
                    {"name": "Text price", "price": "1", "currency": "USD", "stock": 1}""", "price (number)");
            expectInvalid("""
                    {"name": "No price", "currency": "USD", "stock": 1}""", "price (number)");
        }

        @Test
        void unknownFieldIsRejectedByName() {
            JsonNode error = api.post("/v2/products", """
                    {"name": "Extra", "price": 1, "currency": "USD", "stock": 1, "sku": "W-1"}""").asAdmin().send().expectError(400, "UNKNOWN_FIELD");
            assertThat(error.get("details").asString()).isEqualTo("sku (string)");
        }

        @Test
        void invalidPutChangesNothing() {
            String id =
                    aProduct().named("Guarded").priced("2", "USD").withStock(2).create();
            JsonNode error = api.put("/v2/products/" + id, """
                    {"name": "Guarded", "price": 2, "currency": "usd", "stock": 2}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString()).isEqualTo("currency (string)");
            assertThat(api.get("/v2/products/" + id)
                            .asAdmin()
                            .send()
                            .expect(200)
                            .header("ETag"))
                    .isEqualTo("\"v2-1\"");
        }

        private JsonNode expectInvalid(String body, String details) {
            JsonNode error = api.post("/v2/products", body).asAdmin().send().expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString()).as(body).isEqualTo(details);
            return error;
        }
    }

    // ---- conditional requests ----

    @Test
    void ifNoneMatchWithTheCurrentETagAnswers304() {
        String id = aProduct().named("Cached").priced("1", "USD").withStock(1).create();
        String etag = api.get("/v2/products/" + id).asAdmin().send().expect(200).header("ETag");

        Response notModified = api.get("/v2/products/" + id)
                .asAdmin()
                .header("If-None-Match", etag)
                .send()
                .expect(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(etag);

        String v1Etag = api.get("/products/" + id).asAdmin().send().expect(200).header("ETag");
        assertThat(v1Etag).isNotEqualTo(etag);
        api.get("/products/" + id)
                .asAdmin()
                .header("If-None-Match", v1Etag)
                .send()
                .expect(304);
        api.get("/products/" + id)
                .asAdmin()
                .header("If-None-Match", etag)
                .send()
                .expect(200);

        api.patch("/v2/products/" + id, """
                {"stock": 2}""").asAdmin().send().expect(200);
        api.get("/v2/products/" + id)
                .asAdmin()
                .header("If-None-Match", etag)
                .send()
                .expect(200);
        // "*" matches whatever representation exists.
        api.get("/v2/products/" + id)
                .asAdmin()
                .header("If-None-Match", "*")
                .send()
                .expect(304);
    }

    @Test
    void staleIfMatchIsRefusedWith412AndTheCurrentIsAccepted() {
        String id = aProduct().named("Guarded").priced("1", "USD").withStock(1).create();
        String stale = "\"v2-0\"";
        String body = """
                {"name": "Guarded", "price": 2, "currency": "USD", "stock": 2}""";

        JsonNode put = api.put("/v2/products/" + id, body)
                .asAdmin()
                .header("If-Match", stale)
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        assertThat(put.get("details").asString()).isEqualTo("\"v2-1\"");
        api.patch("/v2/products/" + id, """
                {"stock": 9}""")
                .asAdmin()
                .header("If-Match", stale)
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        api.delete("/v2/products/" + id)
                .asAdmin()
                .header("If-Match", stale)
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        api.put("/v2/products/" + id, body)
                .asAdmin()
                .header("If-Match", "\"v1-1\"")
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        assertThat(api.get("/v2/products/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("stock")
                        .asInt())
                .isEqualTo(1);

        String afterPut = api.put("/v2/products/" + id, body)
                .asAdmin()
                .header("If-Match", "\"v2-1\"")
                .send()
                .expect(200)
                .header("ETag");
        assertThat(afterPut).isEqualTo("\"v2-2\"");
        String afterPatch = api.patch("/v2/products/" + id, """
                {"stock": 3}""")
                .asAdmin()
                .header("If-Match", afterPut)
                .send()
                .expect(200)
                .header("ETag");
        assertThat(afterPatch).isEqualTo("\"v2-3\"");
        api.delete("/v2/products/" + id)
                .asAdmin()
                .header("If-Match", afterPatch)
                .send()
                .expect(204);
    }

    // ---- search ----

    @Test
    void searchRanksNameMatchesAboveDescriptionMatches() {
        String word = uniqueWord();
        String inDescription = aProduct()
                .named("Plain gadget")
                .describedAs("Now with " + word + " inside")
                .priced("5", "USD")
                .withStock(1)
                .create();
        String inName = aProduct()
                .named("The " + word + " deluxe")
                .describedAs("Nothing special")
                .priced("5", "USD")
                .withStock(1)
                .create();
        String inBoth = aProduct()
                .named(word + " classic")
                .describedAs("The original " + word)
                .priced("5", "USD")
                .withStock(1)
                .create();
        aProduct()
                .named("Unrelated gadget")
                .describedAs("No match here")
                .priced("5", "USD")
                .withStock(1)
                .create();

        Response response =
                api.get("/v2/products/search?q=" + word).asAdmin().send().expect(200);

        assertThat(ids(response.json())).containsExactly(inBoth, inName, inDescription);
        assertThat(response.header("X-Total-Count")).isEqualTo("3");
        assertThat(fieldNames(response.json().get(0))).contains("created_at", "updated_at");
    }

    @Test
    void searchFiltersByPriceCurrencyAndStock() {
        String word = uniqueWord();
        String cheap = aProduct()
                .named(word + " cheap")
                .priced("5.00", "USD")
                .withStock(10)
                .create();
        String mid = aProduct()
                .named(word + " mid")
                .priced("20.00", "USD")
                .withStock(0)
                .create();
        String dear = aProduct()
                .named(word + " dear")
                .priced("100.00", "USD")
                .withStock(2)
                .create();
        String euro = aProduct()
                .named(word + " euro")
                .priced("20.00", "EUR")
                .withStock(3)
                .create();

        assertThat(search("q=" + word + "&min_price=20")).containsExactlyInAnyOrder(mid, dear, euro);
        assertThat(search("q=" + word + "&max_price=20")).containsExactlyInAnyOrder(cheap, mid, euro);
        assertThat(search("q=" + word + "&min_price=20&max_price=20")).containsExactlyInAnyOrder(mid, euro);
        assertThat(search("q=" + word + "&currency=EUR")).containsExactly(euro);
        assertThat(search("q=" + word + "&currency=USD&min_price=10")).containsExactlyInAnyOrder(mid, dear);
        assertThat(search("q=" + word + "&in_stock=true")).containsExactlyInAnyOrder(cheap, dear, euro);
        assertThat(search("q=" + word + "&in_stock=false")).containsExactly(mid);
        assertThat(search("q=" + word + "&in_stock=true&currency=USD&max_price=50"))
                .containsExactly(cheap);
    }

    @Test
    void searchWithoutQueryStillFilters() {
        String word = uniqueWord();
        String euro = aProduct()
                .named(word + " rare")
                .priced("987654.32", "CHF")
                .withStock(1)
                .create();

        List<String> found = search("currency=CHF&min_price=987654.32&max_price=987654.32&limit=100");

        assertThat(found).contains(euro);
    }

    @Test
    void searchPagesThroughResults() {
        String word = uniqueWord();
        for (int i = 0; i < 5; i++) {
            aProduct()
                    .named(word + " item " + i)
                    .priced("1", "USD")
                    .withStock(1)
                    .create();
        }

        Response first = api.get("/v2/products/search?q=" + word + "&limit=2")
                .asAdmin()
                .send()
                .expect(200);
        Response second = api.get("/v2/products/search?q=" + word + "&limit=2&offset=2")
                .asAdmin()
                .send()
                .expect(200);
        Response last = api.get("/v2/products/search?q=" + word + "&limit=2&offset=4")
                .asAdmin()
                .send()
                .expect(200);

        assertThat(first.header("X-Total-Count")).isEqualTo("5");
        assertThat(first.header("X-Limit")).isEqualTo("2");
        assertThat(first.header("X-Offset")).isEqualTo("0");
        assertThat(first.header("Link"))
                .contains("offset=2>; rel=\"next\"")
                .doesNotContain("rel=\"prev\"")
                .contains("q=" + word);
        assertThat(second.header("Link")).contains("offset=4>; rel=\"next\"").contains("offset=0>; rel=\"prev\"");
        assertThat(last.header("Link")).doesNotContain("rel=\"next\"").contains("offset=2>; rel=\"prev\"");
        assertThat(last.json()).hasSize(1);
        List<String> all = new java.util.ArrayList<>(ids(first.json()));
        all.addAll(ids(second.json()));
        all.addAll(ids(last.json()));
        assertThat(all).hasSize(5).doesNotHaveDuplicates();
        assertThat(search("q=" + word + "&limit=100")).containsExactlyElementsOf(all);
        // The total comes with a ranked page's rows; a page past the end has none and still tells it.
        assertThat(second.header("X-Total-Count")).isEqualTo("5");
        Response beyond = api.get("/v2/products/search?q=" + word + "&limit=2&offset=10")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(beyond.json()).isEmpty();
        assertThat(beyond.header("X-Total-Count")).isEqualTo("5");
    }

    @Test
    void searchRejectsInvalidParameters() {
        JsonNode reversed = api.get("/v2/products/search?min_price=10&max_price=5")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(reversed.get("details").asString()).isEqualTo("min_price (number)");
        JsonNode currency =
                api.get("/v2/products/search?currency=usd").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(currency.get("details").asString()).isEqualTo("currency (string)");
        api.get("/v2/products/search?currency=XYZ").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        JsonNode inStock =
                api.get("/v2/products/search?in_stock=maybe").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(inStock.get("details").asString()).isEqualTo("in_stock (boolean)");
        JsonNode price =
                api.get("/v2/products/search?min_price=cheap").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(price.get("details").asString()).isEqualTo("min_price (number)");
        JsonNode negative =
                api.get("/v2/products/search?max_price=-1").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(negative.get("details").asString()).isEqualTo("max_price (number)");
        api.get("/v2/products/search?limit=0").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        // Beyond what a price can be (and beyond PostgreSQL's numeric range): refused, not silently ignored.
        for (String huge : List.of(
                "min_price=1e131072",
                "max_price=1e999999999",
                "min_price=1e-200000",
                "max_price=1e2147483647",
                "max_price=10000000000000000",
                "min_price=0.00001")) {
            JsonNode range =
                    api.get("/v2/products/search?" + huge).asAdmin().send().expectError(400, "INVALID_PARAMETER");
            assertThat(range.get("details").asString()).isEqualTo(huge.substring(0, 9) + " (number)");
        }
        // Malformed percent-encoding in the query string is the client's error, on any endpoint.
        JsonNode encoding =
                api.get("/v2/products/search?q=%FF").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(encoding.get("message").asString()).contains("encoding");
        api.get("/users?status=%C3").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        JsonNode query = api.get("/v2/products/search?q=" + "w".repeat(201))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(query.get("details").asString()).isEqualTo("q (string)");
    }

    // ---- scopes ----

    @Test
    void writingProductsNeedsTheProductsWriteScope() {
        String reader = api.post("/v2/api-keys", """
                {"name": "catalog reader", "scopes": ["products:read"]}""")
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
        String id = aProduct().named("Scoped").priced("1", "USD").withStock(1).create();

        api.get("/v2/products/" + id).as(reader).send().expect(200);
        api.get("/v2/products/search?q=scoped").as(reader).send().expect(200);
        api.patch("/v2/products/" + id, """
                {"stock": 0}""").as(reader).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.delete("/v2/products/" + id).as(reader).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/v2/products/" + id).send().expectError(401, "UNAUTHORIZED");
    }

    // ---- fixtures ----

    private List<String> search(String query) {
        return ids(api.get("/v2/products/search?" + query)
                .asAdmin()
                .send()
                .expect(200)
                .json());
    }

    /** A made-up word no other test's product contains, letters only so full-text search keeps it whole. */
    private static String uniqueWord() {
        StringBuilder word = new StringBuilder("zq");
        for (int i = 0; i < 10; i++) {
            word.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return word.toString();
    }
}
