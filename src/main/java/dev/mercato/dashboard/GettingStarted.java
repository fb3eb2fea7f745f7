package dev.mercato.dashboard;

import dev.mercato.security.Scope;
import java.util.List;
import java.util.Set;

/**
 * The commands a credential's getting-started section shows: the token request (for an OAuth client) and a first
 * API call that the credential's scopes allow, against this server's own address.
 *
 * @param tokenRequest the {@code curl} that gets an access token, or {@code null} for an API key
 * @param firstCall the {@code curl} of a first API call
 */
record GettingStarted(String tokenRequest, String firstCall) {

    /** The first call's path for a credential of these scopes: a read it may make. */
    private static final List<FirstCall> FIRST_CALLS = List.of(
            new FirstCall(Scope.PRODUCTS_READ, "/v2/products?limit=5"),
            new FirstCall(Scope.ORDERS_READ, "/v2/orders?limit=5"),
            new FirstCall(Scope.USERS_READ, "/v2/users?limit=5"),
            new FirstCall(Scope.REPORTS_READ, "/v2/reports"),
            new FirstCall(Scope.LOGS_READ, "/v2/logs?limit=5"),
            new FirstCall(Scope.INTEGRATIONS_READ, "/v2/integrations"));

    private record FirstCall(Scope scope, String path) {}

    static GettingStarted forClient(String serverAddress, String clientId, String secret, Set<Scope> scopes) {
        String tokenRequest = "curl -s -X POST " + serverAddress + "/oauth/token \\\n"
                + "  -H \"Content-Type: application/json\" \\\n"
                + "  -d '{\"grant_type\": \"client_credentials\", \"client_id\": \"" + clientId
                + "\", \"client_secret\": \"" + (secret == null ? "YOUR_CLIENT_SECRET" : secret) + "\"}'";
        return new GettingStarted(tokenRequest, firstCall(serverAddress, "YOUR_ACCESS_TOKEN", scopes));
    }

    static GettingStarted forApiKey(String serverAddress, String key, Set<Scope> scopes) {
        return new GettingStarted(null, firstCall(serverAddress, key == null ? "YOUR_API_KEY" : key, scopes));
    }

    private static String firstCall(String serverAddress, String bearer, Set<Scope> scopes) {
        String path = FIRST_CALLS.stream()
                .filter(call -> scopes.contains(call.scope()) || scopes.contains(Scope.ADMIN))
                .map(FirstCall::path)
                .findFirst()
                .orElse("/v2/products?limit=5");
        return "curl -s \"" + serverAddress + path + "\" \\\n  -H \"Authorization: Bearer " + bearer + "\"";
    }
}
