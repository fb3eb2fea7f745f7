package dev.mercato.orders;

import static dev.mercato.support.JsonLists.fieldNames;
import static dev.mercato.support.JsonLists.ids;
import static dev.mercato.support.Orders.ADDRESS_V1;
import static dev.mercato.support.Orders.ADDRESS_V2;
import static dev.mercato.support.Orders.v1Body;
import static dev.mercato.support.Orders.v2Body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.events.DomainEvent;
import dev.mercato.events.DomainEvents;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Race;
import dev.mercato.support.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Orders end to end over HTTP: both API versions, validation (with nothing half-written on rejection), stock
 * reservation under concurrency, the status lifecycle and the domain events it records. Every test makes its
 * own users and products, so it depends on no other test.
 */
class OrdersIT extends ApiTestSupport {

    /** What an error adds about an id that cannot be one (a product id with a suffix, a made-up user id). */
    private static final String USER_ID_FORMAT =
            " User ids are 'usr_' followed by 24 letters and digits; the ids in the API references are examples.";

    private static final String PRODUCT_ID_FORMAT =
            " Product ids are 'prod_' followed by 24 letters and digits; the ids in the API references are examples.";

    private static final String ISO_SECONDS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    @Autowired
    DomainEvents domainEvents;

    @Autowired
    JdbcClient jdbc;

    // ---- v1 ----

    @Test
    void v1CreateReturns201WithLocationAndTheServerComputedTotal() {
        String user = aUser().create();
        String widget = aProduct().priced("12.50", "USD").withStock(10).create();
        String gadget = aProduct().priced("3.99", "USD").withStock(5).create();

        Response created = api.post("/orders", """
                {"userId": "%s",
                 "items": [{"productId": "%s", "quantity": 2}, {"productId": "%s", "quantity": 3}],
                 "shippingAddress": %s}""".formatted(user, widget, gadget, ADDRESS_V1))
                .asAdmin()
                .send()
                .expect(201);

        JsonNode order = created.json();
        String id = order.get("id").asString();
        assertThat(id).matches("ord_[A-Za-z0-9]{24}");
        assertThat(created.header("Location")).endsWith("/orders/" + id);
        assertThat(fieldNames(order))
                .containsExactlyInAnyOrder(
                        "id", "userId", "status", "items", "totalAmount", "currency", "shippingAddress", "createdAt");
        assertThat(order.get("userId").asString()).isEqualTo(user);
        assertThat(order.get("status").asString()).isEqualTo("pending");
        assertThat(order.get("currency").asString()).isEqualTo("USD");
        assertThat(order.get("createdAt").asString()).matches(ISO_SECONDS);
        assertThat(order.get("items")).hasSize(2);
        JsonNode first = order.get("items").get(0);
        assertThat(fieldNames(first))
                .containsExactlyInAnyOrder("productId", "productName", "quantity", "unitPrice", "lineTotal");
        assertThat(first.get("productId").asString()).isEqualTo(widget);
        assertThat(first.get("productName").asString()).isEqualTo(productName(widget));
        assertThat(first.get("quantity").asInt()).isEqualTo(2);
        assertThat(first.get("unitPrice").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(first.get("lineTotal").decimalValue()).isEqualByComparingTo("25.00");
        JsonNode second = order.get("items").get(1);
        assertThat(second.get("productId").asString()).isEqualTo(gadget);
        assertThat(second.get("quantity").asInt()).isEqualTo(3);
        assertThat(second.get("unitPrice").decimalValue()).isEqualByComparingTo("3.99");
        assertThat(second.get("lineTotal").decimalValue()).isEqualByComparingTo("11.97");
        assertThat(order.get("totalAmount").decimalValue()).isEqualByComparingTo("36.97");
        assertThat(created.body()).contains("\"totalAmount\":36.97").contains("\"unitPrice\":12.50");
        assertThat(order.get("shippingAddress")).isEqualTo(readJson(ADDRESS_V1));

        assertThat(stockOf(widget)).isEqualTo(8);
        assertThat(stockOf(gadget)).isEqualTo(2);
        assertThat(api.get("/orders/" + id).asAdmin().send().expect(200).json()).isEqualTo(order);
        assertThat(api.get("/v1/orders/" + id).asAdmin().send().expect(200).json())
                .isEqualTo(order);
    }

    @Test
    void v1PrefixedPathCreatesTooAndBothVersionsShowTheSameOrder() {
        String user = aUser().create();
        String product = aProduct().priced("7.25", "EUR").withStock(4).create();

        Response created = api.post("/v1/orders", """
                {"userId": "%s", "items": [{"productId": "%s", "quantity": 4}], "shippingAddress": %s}""".formatted(user, product, ADDRESS_V1))
                .asAdmin()
                .send()
                .expect(201);

        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).endsWith("/orders/" + id);
        assertThat(created.json().get("totalAmount").decimalValue()).isEqualByComparingTo("29.00");
        assertThat(created.json().get("currency").asString()).isEqualTo("EUR");
        JsonNode v2 = api.get("/v2/orders/" + id).asAdmin().send().expect(200).json();
        assertThat(v2.get("user_id").asString()).isEqualTo(user);
        assertThat(v2.get("total_amount").decimalValue()).isEqualByComparingTo("29.00");
        assertThat(v2.get("items").get(0).get("product_id").asString()).isEqualTo(product);
        assertThat(stockOf(product)).isZero();
    }

    @Test
    void linesKeepThePriceOfTheMomentTheOrderWasPlaced() {
        String user = aUser().create();
        String product = aProduct().priced("10.00", "USD").withStock(5).create();
        String id = placeOrder(user, product, 2).expect(201).json().get("id").asString();

        api.patch("/v2/products/" + product, """
                {"price": 99.00, "name": "Renamed"}""").asAdmin().send().expect(200);

        JsonNode order = api.get("/orders/" + id).asAdmin().send().expect(200).json();
        assertThat(order.get("items").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(order.get("items").get(0).get("productName").asString()).isNotEqualTo("Renamed");
        assertThat(order.get("totalAmount").decimalValue()).isEqualByComparingTo("20.00");
    }

    @Test
    void v1RequestsUseCamelCaseAndCannotSetPrices() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(5).create();

        JsonNode snake = api.post("/orders", """
                {"user_id": "%s", "items": [{"productId": "%s", "quantity": 1}], "shippingAddress": %s}""".formatted(user, product, ADDRESS_V1))
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        assertThat(snake.get("details").asString()).isEqualTo("user_id (string)");
        JsonNode price = api.post("/orders", """
                {"userId": "%s", "items": [{"productId": "%s", "quantity": 1, "unitPrice": 0.01}],
                 "shippingAddress": %s}""".formatted(user, product, ADDRESS_V1))
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        assertThat(price.get("details").asString()).isEqualTo("items[0].unitPrice (number)");
        JsonNode missing = api.post("/orders", """
                {"items": [{"productId": "%s", "quantity": 1}], "shippingAddress": %s}""".formatted(product, ADDRESS_V1))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(missing.get("details").asString()).isEqualTo("userId (string)");
        JsonNode zip = api.post("/orders", """
                {"userId": "%s", "items": [{"productId": "%s", "quantity": 1}],
                 "shippingAddress": {"street": "1 Main St", "city": "Anytown", "country": "USA"}}""".formatted(user, product))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(zip.get("details").asString()).isEqualTo("shippingAddress.zipCode (string)");

        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(orderCountOf(user)).isZero();
    }

    @Test
    void unknownOrderReturns404InBothVersions() {
        for (String path :
                List.of("/orders/ord_doesnotexist", "/v1/orders/ord_doesnotexist", "/v2/orders/ord_doesnotexist")) {
            JsonNode error = api.get(path).asAdmin().send().expectError(404, "NOT_FOUND");
            assertThat(error.get("details").asString()).as(path).isEqualTo("ord_doesnotexist");
        }
        api.patch("/v2/orders/ord_doesnotexist", """
                {"status": "cancelled"}""").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void v1GetCarriesAnETagThatChangesWithTheStatus() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(5).create();
        String id = placeOrder(user, product, 1).expect(201).json().get("id").asString();

        Response fetched = api.get("/orders/" + id).asAdmin().send().expect(200);
        assertThat(fetched.header("ETag")).isEqualTo("\"v1-1\"");
        Response notModified = api.get("/v1/orders/" + id)
                .asAdmin()
                .header("If-None-Match", "\"v1-1\"")
                .send()
                .expect(304);
        assertThat(notModified.body()).isEmpty();
        // A v2 tag names other bytes: never a match for the v1 representation.
        api.get("/orders/" + id)
                .asAdmin()
                .header("If-None-Match", "\"v2-1\"")
                .send()
                .expect(200);

        changeStatus(id, "cancelled").expect(200);
        Response changed = api.get("/orders/" + id)
                .asAdmin()
                .header("If-None-Match", "\"v1-1\"")
                .send()
                .expect(200);
        assertThat(changed.header("ETag")).isEqualTo("\"v1-2\"");
        assertThat(changed.json().get("status").asString()).isEqualTo("cancelled");
    }

    // ---- v2 ----

    @Test
    void v2CreateReturns201WithSnakeCaseBodyLocationAndETag() {
        String user = aUser().create();
        String product = aProduct().priced("19.99", "USD").withStock(10).create();

        Response created = api.post("/v2/orders", """
                {"user_id": "%s", "items": [{"product_id": "%s", "quantity": 3}],
                 "shipping_address": {"street": "  9 High St ", "city": "Springfield", "zip_code": "99999",
                                      "country": "US"}}""".formatted(user, product))
                .asAdmin()
                .send()
                .expect(201);

        JsonNode order = created.json();
        String id = order.get("id").asString();
        assertThat(id).startsWith("ord_");
        assertThat(created.header("Location")).endsWith("/v2/orders/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(fieldNames(order))
                .containsExactlyInAnyOrder(
                        "id",
                        "user_id",
                        "status",
                        "items",
                        "total_amount",
                        "currency",
                        "shipping_address",
                        "created_at",
                        "updated_at");
        assertThat(order.get("status").asString()).isEqualTo("pending");
        assertThat(order.get("user_id").asString()).isEqualTo(user);
        JsonNode line = order.get("items").get(0);
        assertThat(fieldNames(line))
                .containsExactlyInAnyOrder("product_id", "product_name", "quantity", "unit_price", "line_total");
        assertThat(line.get("line_total").decimalValue()).isEqualByComparingTo("59.97");
        assertThat(order.get("total_amount").decimalValue()).isEqualByComparingTo("59.97");
        assertThat(order.get("created_at").asString()).matches(ISO_SECONDS);
        JsonNode address = order.get("shipping_address");
        assertThat(address.get("street").asString()).isEqualTo("9 High St");
        assertThat(address.get("zip_code").asString()).isEqualTo("99999");
        assertThat(stockOf(product)).isEqualTo(7);

        Response fetched = api.get("/v2/orders/" + id).asAdmin().send().expect(200);
        assertThat(fetched.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(fetched.json()).isEqualTo(order);
        Response notModified = api.get("/v2/orders/" + id)
                .asAdmin()
                .header("If-None-Match", "\"v2-1\"")
                .send()
                .expect(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo("\"v2-1\"");
        api.get("/v2/orders/" + id)
                .asAdmin()
                .header("If-None-Match", "\"v2-0\"")
                .send()
                .expect(200);
    }

    @Test
    void totalsUseTheCurrencysPrecision() {
        String user = aUser().create();
        String yen = aProduct().priced("1500", "JPY").withStock(5).create();

        Response created = placeOrder(user, yen, 3).expect(201);

        assertThat(created.body()).contains("\"total_amount\":4500,").contains("\"unit_price\":1500,");
        assertThat(created.json().get("currency").asString()).isEqualTo("JPY");
    }

    @Test
    void v2ListFiltersByUserAndStatusNewestFirstWithPaginationHeaders() {
        String user = aUser().create();
        String other = aUser().create();
        String product = aProduct().priced("2.00", "USD").withStock(20).create();
        String oldest =
                placeOrder(user, product, 1).expect(201).json().get("id").asString();
        String middle =
                placeOrder(user, product, 1).expect(201).json().get("id").asString();
        String newest =
                placeOrder(user, product, 1).expect(201).json().get("id").asString();
        String othersOrder =
                placeOrder(other, product, 1).expect(201).json().get("id").asString();
        changeStatus(middle, "cancelled").expect(200);

        Response all = api.get("/v2/orders?user_id=" + user).asAdmin().send().expect(200);
        assertThat(ids(all.json())).containsExactly(newest, middle, oldest);
        assertThat(all.header("X-Total-Count")).isEqualTo("3");
        assertThat(all.header("X-Limit")).isEqualTo("20");
        assertThat(all.header("X-Offset")).isEqualTo("0");
        assertThat(all.header("Link")).isNull();
        assertThat(all.json().get(0).get("items").get(0).get("product_id").asString())
                .isEqualTo(product);

        Response cancelled = api.get("/v2/orders?user_id=" + user + "&status=cancelled")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(ids(cancelled.json())).containsExactly(middle);
        assertThat(cancelled.header("X-Total-Count")).isEqualTo("1");
        Response pending = api.get("/v2/orders?status=pending&user_id=" + user)
                .asAdmin()
                .send()
                .expect(200);
        assertThat(ids(pending.json())).containsExactly(newest, oldest);

        JsonNode everyCancelled = api.get("/v2/orders?status=cancelled&limit=100")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(everyCancelled)
                .allSatisfy(order -> assertThat(order.get("status").asString()).isEqualTo("cancelled"));
        assertThat(ids(everyCancelled)).contains(middle).doesNotContain(othersOrder, newest);

        Response page = api.get("/v2/orders?user_id=" + user + "&limit=1&offset=1")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(ids(page.json())).containsExactly(middle);
        assertThat(page.header("X-Total-Count")).isEqualTo("3");
        assertThat(page.header("X-Limit")).isEqualTo("1");
        assertThat(page.header("X-Offset")).isEqualTo("1");
        assertThat(page.header("Link"))
                .contains("<" + api.base() + "/v2/orders?user_id=" + user + "&limit=1&offset=2>; rel=\"next\"")
                .contains("<" + api.base() + "/v2/orders?user_id=" + user + "&limit=1&offset=0>; rel=\"prev\"");

        Response none =
                api.get("/v2/orders?user_id=usr_nobodyatall").asAdmin().send().expect(200);
        assertThat(none.json()).isEmpty();
        assertThat(none.header("X-Total-Count")).isEqualTo("0");
    }

    @Test
    void v2ListRejectsInvalidFilters() {
        JsonNode status = api.get("/v2/orders?status=shipping").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(status.get("details").asString()).isEqualTo("status (string)");
        api.get("/v2/orders?status=PENDING").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.get("/v2/orders?limit=0").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.get("/v2/orders?limit=101").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.get("/v2/orders?offset=-1").asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    @Test
    void aHugeOffsetHasNoNextLink() {
        Response page = api.get("/v2/orders?limit=100&offset=2147483647")
                .asAdmin()
                .send()
                .expect(200);

        assertThat(page.header("Link")).doesNotContain("rel=\"next\"");
    }

    // ---- validation: each rejection names the problem and writes nothing ----

    @Test
    void unknownUserIsAnInvalidBodyNamingTheFieldAndTheId() {
        String product = aProduct().priced("1.00", "USD").withStock(5).create();

        JsonNode error = placeOrder("usr_doesnotexist", product, 1).expectError(400, "USER_NOT_FOUND");
        assertThat(error.get("details").asString()).isEqualTo("user_id (string)");
        assertThat(error.get("message").asString())
                .isEqualTo("No user with id 'usr_doesnotexist' exists (user_id)." + USER_ID_FORMAT);
        JsonNode v1 = api.post("/v1/orders", v1Body("usr_doesnotexist", product, 1))
                .asAdmin()
                .send()
                .expectError(400, "USER_NOT_FOUND");
        assertThat(v1.get("details").asString()).isEqualTo("userId (string)");
        assertThat(v1.get("message").asString())
                .isEqualTo("No user with id 'usr_doesnotexist' exists (userId)." + USER_ID_FORMAT);

        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(orderCountOf("usr_doesnotexist")).isZero();
        JsonNode blank = placeOrder(" ", product, 1).expectError(400, "INVALID_PARAMETER");
        assertThat(blank.get("details").asString()).isEqualTo("user_id (string)");
        assertThat(stockOf(product)).isEqualTo(5);
    }

    @Test
    void inactiveUserIsRejectedWith409() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(5).create();
        api.patch("/v2/users/" + user, """
                {"status": "inactive"}""").asAdmin().send().expect(200);

        JsonNode error = placeOrder(user, product, 1).expectError(409, "USER_INACTIVE");
        assertThat(error.get("details").asString()).isEqualTo(user);
        api.post("/orders", v1Body(user, product, 1)).asAdmin().send().expectError(409, "USER_INACTIVE");

        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(orderCountOf(user)).isZero();

        api.patch("/v2/users/" + user, """
                {"status": "active"}""").asAdmin().send().expect(200);
        placeOrder(user, product, 1).expect(201);
    }

    @Test
    void unknownProductIsAnInvalidBodyNamingItsLineAndTheOtherLinesKeepTheirStock() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(5).create();
        // Sorts after the real product, so a reservation in product order would take the real one first.
        String missing = product + "Missing";

        JsonNode error = placeOrder(user, product, 2, missing, 1).expectError(400, "PRODUCT_NOT_FOUND");
        assertThat(error.get("details").asString()).isEqualTo("items[1].product_id (string)");
        assertThat(error.get("message").asString())
                .isEqualTo("No product with id '" + missing + "' exists (items[1].product_id)." + PRODUCT_ID_FORMAT);
        JsonNode v1 = api.post("/orders", """
                {"userId": "%s", "items": [{"productId": "%s", "quantity": 1}, {"productId": "%s", "quantity": 2}],
                 "shippingAddress": %s}""".formatted(user, missing, product, ADDRESS_V1))
                .asAdmin()
                .send()
                .expectError(400, "PRODUCT_NOT_FOUND");
        assertThat(v1.get("details").asString()).isEqualTo("items[0].productId (string)");
        assertThat(v1.get("message").asString()).contains("'" + missing + "'");

        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(orderCountOf(user)).isZero();
    }

    /** Unknown products are looked for only once a reservation fails; they still win over a shortage. */
    @Test
    void anUnknownProductWinsOverAShortOne() {
        String user = aUser().create();
        String short1 = aProduct().priced("1.00", "USD").withStock(1).create();
        String missing = short1 + "Missing";

        placeOrder(user, short1, 2, missing, 1).expectError(400, "PRODUCT_NOT_FOUND");
        placeOrder(user, missing, 1, short1, 2).expectError(400, "PRODUCT_NOT_FOUND");
        placeOrder(user, short1, 2).expectError(409, "INSUFFICIENT_STOCK");

        assertThat(stockOf(short1)).isEqualTo(1);
        assertThat(orderCountOf(user)).isZero();
    }

    @Test
    void emptyOrMissingItemsAreRejected() {
        String user = aUser().create();

        JsonNode empty = api.post("/v2/orders", """
                {"user_id": "%s", "items": [], "shipping_address": %s}""".formatted(user, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(empty.get("details").asString()).isEqualTo("items (array)");
        JsonNode missing = api.post("/v2/orders", """
                {"user_id": "%s", "shipping_address": %s}""".formatted(user, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(missing.get("details").asString()).isEqualTo("items (array)");
        JsonNode nullLine = api.post("/v2/orders", """
                {"user_id": "%s", "items": [null], "shipping_address": %s}""".formatted(user, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(nullLine.get("details").asString()).startsWith("items[0]");
        Object[] tooMany = new Object[202];
        for (int i = 0; i < 101; i++) {
            tooMany[2 * i] = "prod_line" + i;
            tooMany[2 * i + 1] = 1;
        }
        JsonNode many = placeOrder(user, tooMany).expectError(400, "INVALID_PARAMETER");
        assertThat(many.get("details").asString()).isEqualTo("items (array)");

        assertThat(orderCountOf(user)).isZero();
    }

    @Test
    void quantitiesOutsideOneToAThousandOrNotIntegersAreRejected() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(2000).create();
        String other = aProduct().priced("1.00", "USD").withStock(2000).create();

        for (String quantity : List.of("0", "-1", "1001", "1.5", "\"2\"", "null", "3000000000", "true")) {
            JsonNode error = api.post("/v2/orders", """
                    {"user_id": "%s", "items": [{"product_id": "%s", "quantity": 1},
                                                {"product_id": "%s", "quantity": %s}],
                     "shipping_address": %s}""".formatted(user, product, other, quantity, ADDRESS_V2))
                    .asAdmin()
                    .send()
                    .expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString())
                    .as("quantity " + quantity)
                    .isEqualTo("items[1].quantity (integer)");
        }
        JsonNode v1 =
                api.post("/orders", v1Body(user, product, 0)).asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(v1.get("details").asString()).isEqualTo("items[0].quantity (integer)");
        JsonNode missing = api.post("/v2/orders", """
                {"user_id": "%s", "items": [{"product_id": "%s"}], "shipping_address": %s}""".formatted(user, product, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(missing.get("details").asString()).isEqualTo("items[0].quantity (integer)");
        JsonNode noProduct = api.post("/v2/orders", """
                {"user_id": "%s", "items": [{"product_id": " ", "quantity": 1}], "shipping_address": %s}""".formatted(user, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(noProduct.get("details").asString()).isEqualTo("items[0].product_id (string)");

        assertThat(stockOf(product)).isEqualTo(2000);
        assertThat(stockOf(other)).isEqualTo(2000);
        assertThat(orderCountOf(user)).isZero();

        // The bounds themselves are accepted.
        placeOrder(user, product, 1000, other, 1).expect(201);
        assertThat(stockOf(product)).isEqualTo(1000);
    }

    @Test
    void aProductListedTwiceIsRejected() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(10).create();
        String other = aProduct().priced("1.00", "USD").withStock(10).create();

        JsonNode error = placeOrder(user, product, 1, other, 1, product, 2).expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("message").asString()).contains(product);
        assertThat(error.get("details").asString()).isEqualTo("items[2] (object)");
        JsonNode v1 = api.post("/orders", """
                {"userId": "%s", "items": [{"productId": "%s", "quantity": 1}, {"productId": "%s", "quantity": 1}],
                 "shippingAddress": %s}""".formatted(user, other, other, ADDRESS_V1))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(v1.get("details").asString()).isEqualTo("items[1] (object)");

        assertThat(stockOf(product)).isEqualTo(10);
        assertThat(stockOf(other)).isEqualTo(10);
        assertThat(orderCountOf(user)).isZero();
    }

    @Test
    void productsInDifferentCurrenciesAreRejectedAndNoStockIsTaken() {
        String user = aUser().create();
        String dollars = aProduct().priced("5.00", "USD").withStock(10).create();
        String euros = aProduct().priced("5.00", "EUR").withStock(10).create();

        JsonNode error = placeOrder(user, dollars, 2, euros, 3).expectError(400, "CURRENCY_MISMATCH");
        assertThat(error.get("details").asString()).isEqualTo("items (array)");
        assertThat(error.get("message").asString()).contains("USD").contains("EUR");

        assertThat(stockOf(dollars)).isEqualTo(10);
        assertThat(stockOf(euros)).isEqualTo(10);
        assertThat(orderCountOf(user)).isZero();
    }

    @Test
    void missingOrBlankAddressFieldsAreRejected() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(5).create();
        String item = "[{\"product_id\": \"" + product + "\", \"quantity\": 1}]";

        Map<String, String> cases = Map.of(
                "{\"street\": \"1 Main St\", \"zip_code\": \"1\", \"country\": \"US\"}",
                "shipping_address.city (string)",
                "{\"street\": \"1 Main St\", \"city\": \"X\", \"zip_code\": \"  \", \"country\": \"US\"}",
                "shipping_address.zip_code (string)",
                "{\"street\": \"\", \"city\": \"X\", \"zip_code\": \"1\", \"country\": \"US\"}",
                "shipping_address.street (string)",
                "{\"street\": \"1 Main St\", \"city\": \"X\", \"zip_code\": \"1\", \"country\": null}",
                "shipping_address.country (string)",
                "{\"street\": \"" + "s".repeat(201) + "\", \"city\": \"X\", \"zip_code\": \"1\", \"country\": \"US\"}",
                "shipping_address.street (string)");
        cases.forEach((address, details) -> {
            JsonNode error = api.post("/v2/orders", """
                    {"user_id": "%s", "items": %s, "shipping_address": %s}""".formatted(user, item, address))
                    .asAdmin()
                    .send()
                    .expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString()).as(address).isEqualTo(details);
        });
        JsonNode missing = api.post("/v2/orders", """
                {"user_id": "%s", "items": %s}""".formatted(user, item))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(missing.get("details").asString()).isEqualTo("shipping_address (object)");
        JsonNode notObject = api.post("/v2/orders", """
                {"user_id": "%s", "items": %s, "shipping_address": "123 Main St"}""".formatted(user, item))
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(notObject.get("details").asString()).isEqualTo("shipping_address (object)");

        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(orderCountOf(user)).isZero();
    }

    @Test
    void unknownFieldsAreRejectedByName() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(5).create();

        JsonNode top = api.post("/v2/orders", """
                {"user_id": "%s", "items": [{"product_id": "%s", "quantity": 1}], "shipping_address": %s,
                 "coupon": "FREE"}""".formatted(user, product, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        assertThat(top.get("details").asString()).isEqualTo("coupon (string)");
        JsonNode line = api.post("/v2/orders", """
                {"user_id": "%s", "items": [{"product_id": "%s", "quantity": 1, "unit_price": 0}],
                 "shipping_address": %s}""".formatted(user, product, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        assertThat(line.get("details").asString()).isEqualTo("items[0].unit_price (integer)");
        JsonNode total = api.post("/v2/orders", """
                {"user_id": "%s", "items": [{"product_id": "%s", "quantity": 1}], "shipping_address": %s,
                 "total_amount": 0}""".formatted(user, product, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        assertThat(total.get("details").asString()).isEqualTo("total_amount (integer)");
        JsonNode camel = api.post("/v2/orders", """
                {"userId": "%s", "items": [{"product_id": "%s", "quantity": 1}], "shipping_address": %s}""".formatted(user, product, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        assertThat(camel.get("details").asString()).isEqualTo("userId (string)");
        JsonNode address = api.post("/v2/orders", """
                {"user_id": "%s", "items": [{"product_id": "%s", "quantity": 1}],
                 "shipping_address": {"street": "1 Main St", "city": "X", "zipCode": "1", "country": "US"}}""".formatted(user, product))
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        assertThat(address.get("details").asString()).isEqualTo("shipping_address.zipCode (string)");

        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(orderCountOf(user)).isZero();
    }

    @Test
    void missingOrMalformedBodiesAreRejected() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(5).create();

        api.method("POST", "/v2/orders")
                .asAdmin()
                .header("Content-Type", "application/json")
                .send()
                .expectError(400, "MALFORMED_JSON");
        api.method("POST", "/orders")
                .asAdmin()
                .header("Content-Type", "application/json")
                .send()
                .expectError(400, "MALFORMED_JSON");
        api.post("/v2/orders", "").asAdmin().send().expectError(400, "MALFORMED_JSON");
        api.post("/v2/orders", "{\"user_id\": \"" + user + "\", ")
                .asAdmin()
                .send()
                .expectError(400, "MALFORMED_JSON");
        api.post("/v2/orders", "[]").asAdmin().send().expectError(400, "MALFORMED_JSON");
        api.post("/v2/orders", "null").asAdmin().send().expectError(400, "MALFORMED_JSON");
        api.post("/v2/orders", """
                {"user_id": "%s", "user_id": "%s", "items": [{"product_id": "%s", "quantity": 1}],
                 "shipping_address": %s}""".formatted(user, user, product, ADDRESS_V2))
                .asAdmin()
                .send()
                .expectError(400, "MALFORMED_JSON");
        api.post("/v2/orders", v2Body(user, product, 1) + " {}")
                .asAdmin()
                .send()
                .expectError(400, "MALFORMED_JSON");
        api.method("POST", "/v2/orders")
                .asAdmin()
                .body("text/plain", v2Body(user, product, 1))
                .send()
                .expectError(415, "UNSUPPORTED_MEDIA_TYPE");

        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(orderCountOf(user)).isZero();
    }

    @Test
    void aTotalTooLargeToStoreIsABadRequestAndTakesNothing() {
        String userId = aUser().create();
        String product =
                aProduct().priced("999999999999999.99", "USD").withStock(2000).create();

        JsonNode error = placeOrder(userId, product, 1000).expectError(400, "INVALID_PARAMETER");

        assertThat(error.get("details").asString()).isEqualTo("items (array)");
        assertThat(stockOf(product)).isEqualTo(2000);
        assertThat(orderCountOf(userId)).isZero();
    }

    // ---- stock ----

    @Test
    void insufficientStockIsRejectedWith409NamingTheProduct() {
        String user = aUser().create();
        String product = aProduct().priced("4.00", "USD").withStock(2).create();

        JsonNode error = placeOrder(user, product, 3).expectError(409, "INSUFFICIENT_STOCK");
        assertThat(error.get("details").asString()).isEqualTo(product);
        assertThat(error.get("message").asString()).contains(product);
        assertThat(stockOf(product)).isEqualTo(2);

        placeOrder(user, product, 2).expect(201);
        assertThat(stockOf(product)).isZero();
        placeOrder(user, product, 1).expectError(409, "INSUFFICIENT_STOCK");
        api.post("/orders", v1Body(user, product, 1)).asAdmin().send().expectError(409, "INSUFFICIENT_STOCK");
        assertThat(stockOf(product)).isZero();
        assertThat(orderCountOf(user)).isEqualTo(1);
    }

    @Test
    void theSchemaItselfRefusesNegativeStock() {
        String product = aProduct().priced("4.00", "USD").withStock(1).create();

        assertThatThrownBy(() -> jdbc.sql("update products set stock = stock - 2 where id = ?")
                        .param(product)
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("products_stock_check");
        assertThat(stockOf(product)).isEqualTo(1);
    }

    @Test
    void aShortLineReservesNothingForTheOtherLines() {
        String user = aUser().create();
        String a = aProduct().priced("1.00", "USD").withStock(10).create();
        String b = aProduct().priced("1.00", "USD").withStock(10).create();
        // The server takes stock in product-id order; make the plentiful product the one taken first, so that
        // its reservation has really happened when the short line fails and must be rolled back.
        String plentiful = a.compareTo(b) < 0 ? a : b;
        String scarce = plentiful.equals(a) ? b : a;
        api.patch("/v2/products/" + scarce, """
                {"stock": 1}""").asAdmin().send().expect(200);

        JsonNode error = placeOrder(user, plentiful, 5, scarce, 2).expectError(409, "INSUFFICIENT_STOCK");
        assertThat(error.get("details").asString()).isEqualTo(scarce);
        JsonNode reversed = placeOrder(user, scarce, 2, plentiful, 5).expectError(409, "INSUFFICIENT_STOCK");
        assertThat(reversed.get("details").asString()).isEqualTo(scarce);

        assertThat(stockOf(plentiful)).isEqualTo(10);
        assertThat(stockOf(scarce)).isEqualTo(1);
        assertThat(orderCountOf(user)).isZero();
    }

    // ---- lifecycle ----

    @Test
    void cancellingAPendingOrderReleasesItsStockOnce() {
        String user = aUser().create();
        String a = aProduct().priced("2.00", "USD").withStock(5).create();
        String b = aProduct().priced("3.00", "USD").withStock(5).create();
        String id = placeOrder(user, a, 3, b, 1).expect(201).json().get("id").asString();
        assertThat(stockOf(a)).isEqualTo(2);
        assertThat(stockOf(b)).isEqualTo(4);

        Response cancelled = changeStatus(id, "cancelled").expect(200);

        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        assertThat(cancelled.header("ETag")).isEqualTo("\"v2-2\"");
        assertThat(stockOf(a)).isEqualTo(5);
        assertThat(stockOf(b)).isEqualTo(5);
        assertThat(api.get("/orders/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("cancelled");

        // Cancelled is final; cancelling again is a no-op that gives nothing back twice.
        for (String target : List.of("pending", "paid", "shipped", "delivered")) {
            changeStatus(id, target).expectError(409, "INVALID_STATUS_TRANSITION");
        }
        Response again = changeStatus(id, "cancelled").expect(200);
        assertThat(again.header("ETag")).isEqualTo("\"v2-2\"");
        assertThat(stockOf(a)).isEqualTo(5);
        assertThat(stockOf(b)).isEqualTo(5);
    }

    @Test
    void aPendingOrderCannotSkipAheadOrBeMarkedPaidByHand() {
        String user = aUser().create();
        String product = aProduct().priced("2.00", "USD").withStock(5).create();
        String id = placeOrder(user, product, 1).expect(201).json().get("id").asString();

        JsonNode shipped = changeStatus(id, "shipped").expectError(409, "INVALID_STATUS_TRANSITION");
        assertThat(shipped.get("details").asString()).isEqualTo("shipped");
        changeStatus(id, "delivered").expectError(409, "INVALID_STATUS_TRANSITION");
        JsonNode paid = changeStatus(id, "paid").expectError(409, "INVALID_STATUS_TRANSITION");
        assertThat(paid.get("message").asString()).contains("payment");

        Response order = api.get("/v2/orders/" + id).asAdmin().send().expect(200);
        assertThat(order.json().get("status").asString()).isEqualTo("pending");
        assertThat(order.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(stockOf(product)).isEqualTo(4);
    }

    @Test
    void changingToTheCurrentStatusIsANoOp() {
        String user = aUser().create();
        String product = aProduct().priced("2.00", "USD").withStock(5).create();
        JsonNode created = placeOrder(user, product, 2).expect(201).json();
        String id = created.get("id").asString();

        Response same = changeStatus(id, "pending").expect(200);

        assertThat(same.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(same.json()).isEqualTo(created);
        assertThat(stockOf(product)).isEqualTo(3);
        assertThat(domainEvents.of(id)).extracting(DomainEvent::type).containsExactly("order.created");
    }

    @Test
    void staleIfMatchIsRefusedWith412() {
        String user = aUser().create();
        String product = aProduct().priced("2.00", "USD").withStock(5).create();
        String id = placeOrder(user, product, 2).expect(201).json().get("id").asString();

        JsonNode error = api.patch("/v2/orders/" + id, """
                {"status": "cancelled"}""")
                .asAdmin()
                .header("If-Match", "\"v2-0\"")
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        assertThat(error.get("details").asString()).isEqualTo("\"v2-1\"");
        api.patch("/v2/orders/" + id, """
                {"status": "cancelled"}""")
                .asAdmin()
                .header("If-Match", "\"v1-1\"")
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        assertThat(api.get("/v2/orders/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("pending");
        assertThat(stockOf(product)).isEqualTo(3);

        Response cancelled = api.patch("/v2/orders/" + id, """
                {"status": "cancelled"}""")
                .asAdmin()
                .header("If-Match", "\"v2-1\"")
                .send()
                .expect(200);
        assertThat(cancelled.header("ETag")).isEqualTo("\"v2-2\"");
        assertThat(stockOf(product)).isEqualTo(5);
        api.patch("/v2/orders/" + id, """
                {"status": "cancelled"}""")
                .asAdmin()
                .header("If-Match", "\"v2-1\"")
                .send()
                .expectError(412, "PRECONDITION_FAILED");
    }

    @Test
    void invalidStatusChangesAreRejectedWith400() {
        String user = aUser().create();
        String product = aProduct().priced("2.00", "USD").withStock(5).create();
        String id = placeOrder(user, product, 1).expect(201).json().get("id").asString();

        for (String status : List.of("\"refunded\"", "\"CANCELLED\"", "\"\"", "null", "1")) {
            JsonNode error = api.patch("/v2/orders/" + id, "{\"status\": " + status + "}")
                    .asAdmin()
                    .send()
                    .expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString()).as(status).isEqualTo("status (string)");
        }
        api.patch("/v2/orders/" + id, "{}").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        JsonNode unknown = api.patch("/v2/orders/" + id, """
                {"status": "cancelled", "total_amount": 0}""").asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(unknown.get("details").asString()).isEqualTo("total_amount (integer)");
        api.patch("/v2/orders/" + id, "{\"status\": ").asAdmin().send().expectError(400, "MALFORMED_JSON");

        Response order = api.get("/v2/orders/" + id).asAdmin().send().expect(200);
        assertThat(order.json().get("status").asString()).isEqualTo("pending");
        assertThat(order.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(stockOf(product)).isEqualTo(4);
    }

    @Test
    void putWithTheStatusChangesItAsPatchDoesWithTheSameChecks() {
        String user = aUser().create();
        String product = aProduct().priced("2.00", "USD").withStock(5).create();
        String id = placeOrder(user, product, 2).expect(201).json().get("id").asString();

        JsonNode skipped =
                api.put("/v2/orders/" + id, """
                {"status": "shipped"}""").asAdmin().send().expectError(409, "INVALID_STATUS_TRANSITION");
        assertThat(skipped.get("details").asString()).isEqualTo("shipped");
        api.put("/v2/orders/" + id, """
                {"status": "refunded"}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.put("/v2/orders/" + id, """
                {"status": "cancelled", "total_amount": 0}""").asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        JsonNode stale = api.put("/v2/orders/" + id, """
                {"status": "cancelled"}""")
                .asAdmin()
                .header("If-Match", "\"v2-0\"")
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        assertThat(stale.get("details").asString()).isEqualTo("\"v2-1\"");
        assertThat(stockOf(product)).isEqualTo(3);

        Response cancelled = api.put("/v2/orders/" + id, """
                {"status": "cancelled"}""")
                .asAdmin()
                .header("If-Match", "\"v2-1\"")
                .send()
                .expect(200);

        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        assertThat(cancelled.header("ETag")).isEqualTo("\"v2-2\"");
        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(api.get("/v2/orders/" + id).asAdmin().send().expect(200).json())
                .isEqualTo(cancelled.json());
        api.put("/v2/orders/ord_doesnotexist", """
                {"status": "cancelled"}""").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void aPaidOrderShipsAndIsDeliveredAndThenCannotBeCancelled() {
        String user = aUser().create();
        String product = aProduct().priced("24.50", "USD").withStock(5).create();
        JsonNode order = placeOrder(user, product, 2).expect(201).json();
        String id = order.get("id").asString();
        pay(order);

        Response paid = api.get("/v2/orders/" + id).asAdmin().send().expect(200);
        assertThat(paid.json().get("status").asString()).isEqualTo("paid");
        assertThat(paid.header("ETag")).isEqualTo("\"v2-2\"");
        changeStatus(id, "pending").expectError(409, "INVALID_STATUS_TRANSITION");
        changeStatus(id, "delivered").expectError(409, "INVALID_STATUS_TRANSITION");
        changeStatus(id, "paid").expect(200);

        Response shipped = changeStatus(id, "shipped").expect(200);
        assertThat(shipped.json().get("status").asString()).isEqualTo("shipped");
        assertThat(shipped.header("ETag")).isEqualTo("\"v2-3\"");
        changeStatus(id, "cancelled").expectError(409, "INVALID_STATUS_TRANSITION");
        changeStatus(id, "paid").expectError(409, "INVALID_STATUS_TRANSITION");

        Response delivered = changeStatus(id, "delivered").expect(200);
        assertThat(delivered.json().get("status").asString()).isEqualTo("delivered");
        for (String target : List.of("cancelled", "shipped", "paid", "pending")) {
            changeStatus(id, target).expectError(409, "INVALID_STATUS_TRANSITION");
        }
        assertThat(api.get("/orders/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("delivered");
        assertThat(stockOf(product)).isEqualTo(3);
        assertThat(domainEvents.of(id))
                .extracting(DomainEvent::type)
                .containsExactly("order.created", "order.paid", "order.shipped", "order.delivered");
    }

    @Test
    void cancellingAPaidOrderRefundsItAndReleasesTheStock() {
        String user = aUser().create();
        String product = aProduct().priced("8.00", "USD").withStock(5).create();
        JsonNode order = placeOrder(user, product, 2).expect(201).json();
        String id = order.get("id").asString();
        String payment = pay(order);

        changeStatus(id, "cancelled").expect(200);

        assertThat(stockOf(product)).isEqualTo(5);
        assertThat(api.get("/v2/payments/" + payment)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("refunded_amount")
                        .decimalValue())
                .isEqualByComparingTo("16.00");
        assertThat(domainEvents.of(id))
                .extracting(DomainEvent::type)
                .containsExactly("order.created", "order.paid", "order.cancelled");
        api.post("/v2/payments", """
                {"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": 16.00, "currency": "USD"}""".formatted(id)).asAdmin().send().expectError(409, "ORDER_CANCELLED");
    }

    // ---- domain events ----

    @Test
    void creatingAndCancellingRecordsOrderCreatedThenOrderCancelled() {
        String user = aUser().create();
        String product = aProduct().priced("6.00", "USD").withStock(5).create();
        String id = placeOrder(user, product, 2).expect(201).json().get("id").asString();
        changeStatus(id, "cancelled").expect(200);

        List<DomainEvent> events = domainEvents.of(id);

        assertThat(events).extracting(DomainEvent::type).containsExactly("order.created", "order.cancelled");
        DomainEvent created = events.get(0);
        assertThat(created.aggregateId()).isEqualTo(id);
        assertThat(created.payload())
                .containsEntry("order_id", id)
                .containsEntry("user_id", user)
                .containsEntry("currency", "USD");
        assertThat(new java.math.BigDecimal(
                        created.payload().get("total_amount").toString()))
                .isEqualByComparingTo("12.00");
        assertThat(events.get(1).occurredAt()).isAfterOrEqualTo(created.occurredAt());
    }

    @Test
    void aRejectedOrderLeavesNoEvent() {
        String user = aUser().create();
        String dollars = aProduct().priced("1.00", "USD").withStock(5).create();
        String euros = aProduct().priced("1.00", "EUR").withStock(5).create();

        placeOrder(user, dollars, 1, euros, 1).expectError(400, "CURRENCY_MISMATCH");
        placeOrder(user, dollars, 6).expectError(409, "INSUFFICIENT_STOCK");
        placeOrder(user, dollars, 1, dollars + "Missing", 1).expectError(400, "PRODUCT_NOT_FOUND");
        assertThat(eventCountOfUser(user)).isZero();

        String id = placeOrder(user, dollars, 1).expect(201).json().get("id").asString();
        assertThat(eventCountOfUser(user)).isEqualTo(1);
        assertThat(domainEvents.of(id)).extracting(DomainEvent::type).containsExactly("order.created");
    }

    // ---- concurrency ----

    @Test
    void parallelOrdersNeverOversell() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(10).create();

        List<Response> responses = Race.run(50, i -> placeOrder(user, product, 1));

        assertThat(responses)
                .noneSatisfy(response -> assertThat(response.status()).isGreaterThanOrEqualTo(500));
        assertThat(responses).filteredOn(response -> response.status() == 201).hasSize(10);
        assertThat(responses)
                .filteredOn(response -> response.status() != 201)
                .hasSize(40)
                .allSatisfy(response -> assertThat(response.expectError(409, "INSUFFICIENT_STOCK")
                                .get("details")
                                .asString())
                        .isEqualTo(product));
        assertThat(stockOf(product)).isZero();
        assertThat(orderCountOf(user)).isEqualTo(10);
    }

    @Test
    void parallelOrdersListingTheSameProductsInOppositeOrdersDoNotDeadlock() {
        String user = aUser().create();
        String a = aProduct().priced("1.00", "USD").withStock(100).create();
        String b = aProduct().priced("2.00", "USD").withStock(100).create();

        List<Response> responses =
                Race.run(40, i -> i % 2 == 0 ? placeOrder(user, a, 1, b, 2) : placeOrder(user, b, 2, a, 1));

        assertThat(responses).allSatisfy(response -> response.expect(201));
        assertThat(responses)
                .allSatisfy(response -> assertThat(
                                response.json().get("total_amount").decimalValue())
                        .isEqualByComparingTo("5.00"));
        assertThat(stockOf(a)).isEqualTo(60);
        assertThat(stockOf(b)).isEqualTo(20);
        assertThat(orderCountOf(user)).isEqualTo(40);
    }

    @Test
    void retriesWithOneIdempotencyKeyPlaceOneOrder() {
        String user = aUser().create();
        String product = aProduct().priced("3.00", "USD").withStock(10).create();
        String body = v2Body(user, product, 2);
        String key = "order-" + UUID.randomUUID();

        Response first = api.post("/v2/orders", body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expect(201);
        Response replay = api.post("/v2/orders", body)
                .asAdmin()
                .header("Idempotency-Key", key)
                .send()
                .expect(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json()).isEqualTo(first.json());
        assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
        assertThat(stockOf(product)).isEqualTo(8);

        // Retries that race each other: still one order, one reservation.
        String racedKey = "order-" + UUID.randomUUID();
        List<Response> raced =
                Race.requests(10, i -> api.post("/v2/orders", body).asAdmin().header("Idempotency-Key", racedKey));
        assertThat(raced).allSatisfy(response -> assertThat(response.status()).isIn(201, 409));
        assertThat(raced)
                .filteredOn(response -> response.status() == 409)
                .allSatisfy(response -> response.expectError(409, "IDEMPOTENCY_KEY_IN_USE"));
        assertThat(raced)
                .filteredOn(response -> response.status() == 201)
                .extracting(response -> response.json().get("id").asString())
                .hasSizeGreaterThanOrEqualTo(1)
                .containsOnly(raced.stream()
                        .filter(response -> response.status() == 201)
                        .findFirst()
                        .orElseThrow()
                        .json()
                        .get("id")
                        .asString());
        assertThat(stockOf(product)).isEqualTo(6);
        assertThat(orderCountOf(user)).isEqualTo(2);
    }

    @Test
    void parallelCancellationsReleaseTheStockOnce() {
        String user = aUser().create();
        String product = aProduct().priced("1.00", "USD").withStock(10).create();
        String id = placeOrder(user, product, 4).expect(201).json().get("id").asString();

        List<Response> responses = Race.run(10, i -> changeStatus(id, "cancelled"));

        assertThat(responses).allSatisfy(response -> response.expect(200));
        assertThat(stockOf(product)).isEqualTo(10);
        assertThat(domainEvents.of(id))
                .extracting(DomainEvent::type)
                .containsExactly("order.created", "order.cancelled");
    }

    // ---- fixtures ----

    private String productName(String productId) {
        return api.get("/v2/products/" + productId)
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get("name")
                .asString();
    }

    private long orderCountOf(String userId) {
        return Long.parseLong(api.get("/v2/orders?limit=1&user_id=" + userId)
                .asAdmin()
                .send()
                .expect(200)
                .header("X-Total-Count"));
    }

    private long eventCountOfUser(String userId) {
        return jdbc.sql("select count(*) from domain_events where payload ->> 'user_id' = :userId")
                .param("userId", userId)
                .query(Long.class)
                .single();
    }

    private Response changeStatus(String orderId, String status) {
        return api.patch("/v2/orders/" + orderId, "{\"status\": \"" + status + "\"}")
                .asAdmin()
                .send();
    }

    /** Pays the whole order with the simulated processor's succeeding card; returns the payment id. */
    private String pay(JsonNode order) {
        JsonNode payment = api.post("/v2/payments", """
                {"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": %s, "currency": "%s"}""".formatted(
                                order.get("id").asString(),
                                order.get("total_amount").decimalValue().toPlainString(),
                                order.get("currency").asString()))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        assertThat(payment.get("status").asString()).isEqualTo("succeeded");
        return payment.get("id").asString();
    }

    private static JsonNode readJson(String json) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
    }
}
