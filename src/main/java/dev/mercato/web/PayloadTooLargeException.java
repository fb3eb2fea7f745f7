package dev.mercato.web;

import java.io.IOException;

/** Raised while reading a request body that exceeds {@code mercato.http.max-body-size}. */
public class PayloadTooLargeException extends IOException {

    private final long limit;

    PayloadTooLargeException(long limit) {
        super("The request body exceeds the limit of " + limit + " bytes.");
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
