package dev.mercato.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/** What filters that look at a request before the endpoint does must agree on with it. */
public final class Requests {

    private Requests() {}

    /**
     * True for {@code application/json} and {@code application/*+json} (with any parameters); false for wildcards
     * such as {@code *}{@code /*}, for other types and for a malformed or missing header. Filters that read a body
     * before the endpoint does must agree on this, or one of them could be sidestepped with a vague type.
     */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.includes(type)
                    || ("application".equals(type.getType())
                            && type.getSubtype().endsWith("+json"));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /**
     * The request's path without the context path, decoded and normalised as the container and Spring match it
     * ({@code /oauth/%74oken} is {@code /oauth/token}): comparing the raw URI instead would let an encoded path slip
     * past a check that the endpoint itself does not miss.
     */
    public static String path(HttpServletRequest request) {
        return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }
}
