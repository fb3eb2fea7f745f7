package dev.mercato.auth.oauth;

import dev.mercato.security.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.modulith.NamedInterface;

/**
 * A registered OAuth 2.0 client as the API shows it: never its secret, which is stored only as a hash.
 *
 * @param ownerUserId the developer who registered it in the dashboard, or {@code null} when an admin did
 */
@NamedInterface("clients")
public record OAuthClient(
        String clientId,
        String name,
        Set<Scope> scopes,
        List<String> redirectUris,
        List<String> grantTypes,
        Integer rateLimitPerMinute,
        Instant createdAt,
        String ownerUserId) {

    /** What an API call made with one of the client's tokens needs to know of it. */
    public record Identity(String name, Integer rateLimitPerMinute) {}
}
