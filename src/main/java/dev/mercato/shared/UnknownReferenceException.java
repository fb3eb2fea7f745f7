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
        super(code, message(resource, id, field), field, field);
        this.resource = resource;
        this.id = id;
    }

    /** The message, naming the field as {@code field} (the client's spelling of it, once the web layer knows it). */
    public String messageNaming(String field) {
        return message(resource, id, field);
    }

    private static String message(String resource, String id, String field) {
        return "No " + resource + " with id '" + id + "' exists (" + field + ")." + Ids.formatHint(resource, id);
    }
}
