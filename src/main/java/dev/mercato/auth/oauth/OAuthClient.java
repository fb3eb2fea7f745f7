package dev.mercato.auth.oauth;

import dev.mercato.web.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A registered OAuth 2.0 client as the API shows it: never its secret, which is stored only as a hash. */
record OAuthClient(String clientId, String name, Set<Scope> scopes, List<String> redirectUris, List<String> grantTypes,
        Instant createdAt) {
}
