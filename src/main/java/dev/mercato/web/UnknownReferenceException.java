package dev.mercato.web;

import org.springframework.http.HttpStatus;

/**
 * A request body names something that does not exist, such as an order's user or product: 400, since 404 is kept
 * for the resource the URL names. The field is the request record's property path ({@code items[1].productId});
 * the error handler writes it as the client spelt it in its API version ({@code items[1].product_id} in v2).
 */
public class UnknownReferenceException extends ApiException {

    private final String resource;
    private final String id;
    private final String field;

    public UnknownReferenceException(String code, String resource, String id, String field) {
        super(HttpStatus.BAD_REQUEST, code, "No " + resource + " with id '" + id + "' exists (" + field + ").", field);
        this.resource = resource;
        this.id = id;
        this.field = field;
    }

    public String resource() {
        return resource;
    }

    public String id() {
        return id;
    }

    public String field() {
        return field;
    }
}
