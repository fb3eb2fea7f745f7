package dev.mercato.auth;

import org.springframework.security.core.AuthenticationException;

/** A bearer token that is malformed, unknown, expired, revoked or tampered with. */
public class InvalidCredentialException extends AuthenticationException {

    public InvalidCredentialException(String message) {
        super(message);
    }
}
