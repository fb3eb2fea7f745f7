package dev.mercato.shared;

/**
 * A request names something that does not exist, such as an order's user or product. The field is the request's
 * property path ({@code items[1].productId}); the web layer writes it as the client spelt it in its API version
 * ({@code items[1].product_id} in v2).
 */
public class UnknownReferenceException extends InvalidRequestException {

    private final String resource;
    private final String id;

    public UnknownReferenceException(String code, String resource, String id, String field) {
        super(code, "No " + resource + " with id '" + id + "' exists (" + field + ").", field, field);
        this.resource = resource;
        this.id = id;
    }

    public String resource() {
        return resource;
    }

    public String id() {
        return id;
    }
}
