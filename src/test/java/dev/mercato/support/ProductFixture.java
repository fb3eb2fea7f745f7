package dev.mercato.support;

import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * A product to create over the API as the admin, {@code aProduct().create()}: a unique name, no description,
 * 10.00 USD, 10 in stock. Each method sets what a test cares about; {@link #create()} returns the id.
 */
public final class ProductFixture {

    private final Api api;
    private String name = "Product " + Fixtures.unique();
    private String description;
    private String price = "10.00";
    private String currency = "USD";
    private int stock = 10;

    ProductFixture(Api api) {
        this.api = api;
    }

    public ProductFixture named(String name) {
        this.name = name;
        return this;
    }

    public ProductFixture describedAs(String description) {
        this.description = description;
        return this;
    }

    /** The price as the JSON number it is written as here ({@code "12.5"}, {@code "1500"}), in this currency. */
    public ProductFixture priced(String price, String currency) {
        this.price = price;
        this.currency = currency;
        return this;
    }

    public ProductFixture withStock(int stock) {
        this.stock = stock;
        return this;
    }

    /** Creates the product; returns the id. */
    public String create() {
        ObjectNode body = Fixtures.JSON.createObjectNode().put("name", name);
        if (description != null) {
            body.put("description", description);
        }
        // Sent as written: a number parsed and printed again could lose its trailing zeros or become 1.5E+3.
        body.putRawValue("price", new RawValue(price)).put("currency", currency).put("stock", stock);
        return Fixtures.create(api, "/v2/products", body);
    }
}
