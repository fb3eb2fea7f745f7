package dev.mercato.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Order request bodies for the tests, in both API versions and shipped to one address; {@link
 * ApiTestSupport#placeOrder} places one.
 */
public final class Orders {

    public static final String ADDRESS_V1 = """
            {"street": "1 Main St", "city": "Anytown", "zipCode": "12345", "country": "USA"}""";
    public static final String ADDRESS_V2 = """
            {"street": "1 Main St", "city": "Anytown", "zip_code": "12345", "country": "USA"}""";

    private Orders() {}

    /** The v2 body of an order by {@code userId} of (product id, quantity) pairs: {@code v2Body(user, a, 2, b, 1)}. */
    public static String v2Body(String userId, Object... productsAndQuantities) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < productsAndQuantities.length; i += 2) {
            items.add("{\"product_id\": \"" + productsAndQuantities[i] + "\", \"quantity\": "
                    + productsAndQuantities[i + 1] + "}");
        }
        return """
                {"user_id": "%s", "items": [%s], "shipping_address": %s}""".formatted(userId, String.join(", ", items), ADDRESS_V2);
    }

    /** The v1 body of an order by {@code userId} of one product. */
    public static String v1Body(String userId, String productId, int quantity) {
        return """
                {"userId": "%s", "items": [{"productId": "%s", "quantity": %d}], "shippingAddress": %s}""".formatted(userId, productId, quantity, ADDRESS_V1);
    }
}
