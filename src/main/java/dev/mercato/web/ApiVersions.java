package dev.mercato.web;

import jakarta.servlet.http.HttpServletRequest;

/** Which version of the API a request speaks: {@code v2} under {@code /v2/}, else {@code v1}. */
final class ApiVersions {

    private ApiVersions() {}

    static String of(HttpServletRequest request) {
        return Requests.path(request).startsWith("/v2/") ? "v2" : "v1";
    }
}
