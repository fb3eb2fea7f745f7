package dev.mercato.crypto;

import dev.mercato.support.Api;
import tools.jackson.databind.JsonNode;

/** An access token of a new client (client_credentials, products:read), as a server signs it. */
final class ClientTokens {

    private ClientTokens() {}

    static String issue(Api api, String clientName) {
        JsonNode client = api.post(
                        "/v2/oauth-clients", "{\"name\": \"" + clientName + "\", \"scopes\": [\"products:read\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        return api.post(
                        "/oauth/token",
                        "{\"grant_type\": \"client_credentials\", \"client_id\": \"%s\", \"client_secret\": \"%s\"}"
                                .formatted(
                                        client.get("client_id").asString(),
                                        client.get("client_secret").asString()))
                .unvalidated()
                .send()
                .expect(200)
                .json()
                .get("access_token")
                .asString();
    }
}
