package dev.mercato.support;

import java.util.List;

/**
 * The paths Mercato serves outside the two API documents: operations, the dashboard, the OAuth 2.0 endpoints (RFC 6749 errors,
 * their own metadata), the sign-in page, the documents and the browsable reference themselves, the error page.
 * Everything else is API and must be in {@code /openapi/v1.json} or {@code /openapi/v2.json}.
 */
public final class ApiPaths {

    private static final List<String> OUTSIDE = List.of(
            "/health",
            "/metrics",
            "/oauth",
            "/.well-known",
            "/login",
            "/docs",
            "/swagger-ui",
            "/openapi",
            "/error",
            "/webhooks",
            "/dashboard");

    private ApiPaths() {}

    public static boolean isOutsideTheApi(String path) {
        return OUTSIDE.stream()
                .anyMatch(prefix ->
                        path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + "."));
    }
}
