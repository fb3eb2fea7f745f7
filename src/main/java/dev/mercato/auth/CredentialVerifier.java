package dev.mercato.auth;

import dev.mercato.security.Caller;

/**
 * Turns a bearer token into the caller it stands for. One implementation per kind of credential (API keys
 * here, OAuth 2.0 access tokens beside them); the first that {@link #supports} a token decides.
 */
public interface CredentialVerifier {

    boolean supports(String token);

    /** The caller, or an {@link InvalidCredentialException} when the token is unknown, expired or revoked. */
    Caller verify(String token);
}
