package dev.mercato.auth;

import org.springframework.security.core.AuthenticationException;

/** A bearer token that is malformed, unknown, expired, revoked or tampered with. */
class InvalidCredentialException extends AuthenticationException {

    InvalidCredentialException(String message) {
        super(message);
    }
}
