package dev.mercato.auth.oauth;

import dev.mercato.security.Scope;
import dev.mercato.shared.InvalidRequestException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.modulith.NamedInterface;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * A client to register, as asked for: its name, scopes, redirect URIs (for the end-user flow), grant types and own
 * rate limit (null for the server's default).
 *
 * @param grantTypes {@code client_credentials} (the client acts as itself, on everyone's data its scopes reach),
 *     {@code authorization_code} (it acts for a signed-in user who consented, on that user's data only; needs
 *     redirect URIs; brings {@code refresh_token}); empty for what the redirect URIs say: {@code client_credentials}
 *     without them, the end-user flow alone with them
 */
@NamedInterface("clients")
public record NewOAuthClient(
        String name,
        Set<Scope> scopes,
        List<String> redirectUris,
        List<String> grantTypes,
        Integer rateLimitPerMinute) {

    static final String CLIENT_CREDENTIALS = AuthorizationGrantType.CLIENT_CREDENTIALS.getValue();
    static final String AUTHORIZATION_CODE = AuthorizationGrantType.AUTHORIZATION_CODE.getValue();
    static final String REFRESH_TOKEN = AuthorizationGrantType.REFRESH_TOKEN.getValue();

    public NewOAuthClient {
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        grantTypes = grantTypes == null ? List.of() : List.copyOf(grantTypes);
    }

    /**
     * The grants the client gets: as asked, checked against its redirect URIs, or by default what they say it is
     * for. A client for the end-user flow gets {@code client_credentials} only when it asks: an app users consented
     * to must not read everyone's data by another grant.
     */
    Set<String> grants() {
        if (grantTypes.isEmpty()) {
            return redirectUris.isEmpty() ? Set.of(CLIENT_CREDENTIALS) : Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN);
        }
        Set<String> grants = new LinkedHashSet<>();
        for (String grant : grantTypes) {
            if (!List.of(CLIENT_CREDENTIALS, AUTHORIZATION_CODE, REFRESH_TOKEN).contains(grant)) {
                throw invalid("Unknown grant type '" + grant
                        + "': use client_credentials, authorization_code or refresh_token.");
            }
            grants.add(grant);
        }
        if (grants.contains(REFRESH_TOKEN) && !grants.contains(AUTHORIZATION_CODE)) {
            throw invalid("The refresh_token grant comes with authorization_code only.");
        }
        if (grants.contains(AUTHORIZATION_CODE)) {
            if (redirectUris.isEmpty()) {
                throw invalid("The authorization_code grant needs at least one redirect URI.");
            }
            grants.add(REFRESH_TOKEN);
        } else if (!redirectUris.isEmpty()) {
            throw invalid("Redirect URIs are for the authorization_code grant: add it to grant_types, or leave "
                    + "the redirect URIs out.");
        }
        return grants;
    }

    private static InvalidRequestException invalid(String message) {
        return InvalidRequestException.field("grantTypes", message);
    }
}
