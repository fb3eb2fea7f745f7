package dev.mercato.auth.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps only hashes of the values the authorization server stores and finds again by value
 * ({@code oauth2_authorization}): authorization codes, access tokens, refresh tokens and the {@code state} of a
 * request waiting for the user's consent are written as {@code sha256:<hex>} of their value (the state in its
 * column and in the serialised attributes alike), so a copy of the database (a backup, a read-only leak) holds
 * nothing a client or a browser could present. Every look-up is by the hash of the value presented, and the
 * authorization found carries that value again, so Spring's checks that compare it (introspection, revocation,
 * refresh) work as before; its other values stay hashed, which no flow needs in clear. The hashes are SHA-256
 * without salt: the values are random and long, so nothing can be guessed from them.
 * ({@code V29__hashed_oauth_tokens.sql} hashed the tokens stored before. States were hashed later, with no
 * migration: a consent pending in clear is not found again, the user starts the authorization over, and its row is
 * purged within a day.) OpenID Connect and the device grant are not enabled, so no ID token, user code or device
 * code is ever stored.
 */
final class HashedTokenValues implements OAuth2AuthorizationService {

    static final String PREFIX = "sha256:";
    private static final List<Class<? extends OAuth2Token>> HASHED =
            List.of(OAuth2AuthorizationCode.class, OAuth2AccessToken.class, OAuth2RefreshToken.class);

    private final OAuth2AuthorizationService delegate;

    HashedTokenValues(OAuth2AuthorizationService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        delegate.save(withValues(authorization, value -> value.startsWith(PREFIX) ? value : hash(value)));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        String hashed = hash(token);
        OAuth2Authorization found = delegate.findByToken(hashed, tokenType);
        return found == null ? null : withValues(found, value -> value.equals(hashed) ? token : value);
    }

    static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The authorization with each hashed kind of value (tokens, state) mapped by {@code value}, the rest kept. */
    private static OAuth2Authorization withValues(OAuth2Authorization authorization, UnaryOperator<String> value) {
        OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
        for (Class<? extends OAuth2Token> kind : HASHED) {
            OAuth2Authorization.Token<? extends OAuth2Token> held = authorization.getToken(kind);
            if (held == null) {
                continue;
            }
            OAuth2Token token = held.getToken();
            String mapped = value.apply(token.getTokenValue());
            if (mapped.equals(token.getTokenValue())) {
                continue;
            }
            builder.token(copy(token, mapped), metadata -> metadata.putAll(held.getMetadata()));
        }
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        if (state != null) {
            builder.attribute(OAuth2ParameterNames.STATE, value.apply(state));
        }
        return builder.build();
    }

    private static OAuth2Token copy(OAuth2Token token, String value) {
        if (token instanceof OAuth2AccessToken access) {
            return new OAuth2AccessToken(
                    access.getTokenType(), value, access.getIssuedAt(), access.getExpiresAt(), access.getScopes());
        }
        if (token instanceof OAuth2RefreshToken) {
            return new OAuth2RefreshToken(value, token.getIssuedAt(), token.getExpiresAt());
        }
        return new OAuth2AuthorizationCode(value, token.getIssuedAt(), token.getExpiresAt());
    }
}
