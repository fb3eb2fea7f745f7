package dev.mercato.auth.oauth;

import java.time.Instant;
import java.util.Optional;

/**
 * One revocation: a single access token (by {@code jti}) or every token of a deleted client, and when it stops
 * mattering because the tokens it covers have expired. Servers tell each other about it in a NOTIFY payload.
 */
record Revocation(Kind kind, String id, Instant expiresAt) {

    enum Kind {
        TOKEN,
        CLIENT
    }

    static Revocation token(String jti, Instant expiresAt) {
        return new Revocation(Kind.TOKEN, jti, expiresAt);
    }

    static Revocation client(String clientId, Instant expiresAt) {
        return new Revocation(Kind.CLIENT, clientId, expiresAt);
    }

    /** {@code "token <jti> <epoch second>"} or {@code "client <client id> <epoch second>"}. */
    String payload() {
        return kind.name().toLowerCase() + " " + id + " " + expiresAt.getEpochSecond();
    }

    static Optional<Revocation> parse(String payload) {
        String[] parts = payload == null ? new String[0] : payload.split(" ");
        if (parts.length != 3 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        try {
            Kind kind = Kind.valueOf(parts[0].toUpperCase());
            return Optional.of(new Revocation(kind, parts[1], Instant.ofEpochSecond(Long.parseLong(parts[2]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
