package dev.mercato.auth.oauth;

import dev.mercato.security.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A registered OAuth 2.0 client as the API shows it: never its secret, which is stored only as a hash. */
record OAuthClient(
        String clientId,
        String name,
        Set<Scope> scopes,
        List<String> redirectUris,
        List<String> grantTypes,
        Integer rateLimitPerMinute,
        Instant createdAt) {

    /** What an API call made with one of the client's tokens needs to know of it. */
    record Identity(String name, Integer rateLimitPerMinute) {}
}
