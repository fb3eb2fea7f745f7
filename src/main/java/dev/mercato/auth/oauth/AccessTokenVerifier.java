package dev.mercato.auth.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTProcessor;
import dev.mercato.auth.CredentialVerifier;
import dev.mercato.auth.InvalidCredentialException;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies OAuth 2.0 access tokens (RFC 9068 JWTs) for the API with Spring's {@link NimbusJwtDecoder}: signature
 * by one of our RS256 keys (found by {@code kid}), {@code typ at+jwt}, our issuer and audience, not expired, not
 * revoked. Nothing on this path
 * reads the database: keys and revocations are held in memory ({@link SigningKeyStore}, {@link RevokedTokens})
 * and the client's name is cached.
 */
class AccessTokenVerifier implements CredentialVerifier {

    /** Tokens verified before, so a client's every request does not parse and check the signature again. */
    private static final int VERIFIED_CACHE_SIZE = 10_000;

    private static final String NOT_FOR_THIS_API =
            "The access token is not valid for this API (issuer, audience or type).";

    private final JwtDecoder decoder;
    private final RevokedTokens revoked;
    private final Supplier<String> expectedIssuer;
    private final Function<String, Optional<OAuthClient.Identity>> clients;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(VERIFIED_CACHE_SIZE)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    /**
     * What a verified token says; the time-, issuer- and revocation-dependent checks are made on every use.
     * {@code userId} is the {@code sub} of a token an end user authorized (RFC 9068: the resource owner), null for
     * a client_credentials token, whose {@code sub} is the client itself.
     */
    private record Verified(
            String jti, String clientId, String userId, String issuer, Instant expiresAt, Set<Scope> scopes) {}

    /**
     * @param expectedIssuer the issuer tokens must name, for the request being served
     * @param clients a client's name and rate limit by client id; empty when the client no longer exists
     */
    AccessTokenVerifier(
            SigningKeyStore keys,
            RevokedTokens revoked,
            Supplier<String> expectedIssuer,
            String audience,
            Function<String, Optional<OAuthClient.Identity>> clients) {
        this.revoked = revoked;
        this.expectedIssuer = expectedIssuer;
        this.clients = clients;
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor(keys));
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator()
                .audience(audience)
                .issuer("unused") // replaced below: the issuer may depend on the request
                .validators(validators -> validators.put(JwtClaimNames.ISS, issuer(expectedIssuer)))
                .build());
        this.decoder = decoder;
    }

    /**
     * Nimbus's processing, narrowed: RS256 only, the key found by {@code kid} among ours (so "alg": "none",
     * HMAC keyed with our public key, or a key the token brings along never verify), {@code typ at+jwt}.
     * Spring's validators then check the claims.
     */
    private static JWTProcessor<SecurityContext> processor(SigningKeyStore keys) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector((header, context) -> JWSAlgorithm.RS256.equals(header.getAlgorithm())
                ? keys.verificationKey(header.getKeyID())
                        .<List<Key>>map(List::of)
                        .orElse(List.of())
                : List.of());
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt")));
        processor.setJWTClaimsSetVerifier((claims, context) -> {});
        return processor;
    }

    /**
     * A compact JWS: three base64url parts, the first two not empty (the last is empty for "alg": "none", which
     * is then refused). A loop rather than a regular expression, which cost about 5% of a request over a token
     * of 700 characters.
     */
    @Override
    public boolean supports(String token) {
        return compactJws(token);
    }

    static boolean compactJws(String token) {
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (++dots > 2 || partLength == 0) {
                    return false;
                }
                partLength = 0;
            } else if (isBase64Url(c)) {
                partLength++;
            } else {
                return false;
            }
        }
        return dots == 2;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public Caller verify(String token) {
        Verified entry = verified.getIfPresent(token);
        if (entry == null) {
            Jwt jwt = decode(token);
            String clientId = jwt.getClaimAsString("client_id");
            String subject = jwt.getSubject();
            String userId = subject == null || subject.equals(clientId) ? null : subject;
            Set<Scope> scopes = scopes(jwt.getClaim("scope"));
            if (userId != null) {
                scopes.removeIf(scope -> !EndUserScopes.grantable(scope)); // never issued; refused all the same
            }
            entry = new Verified(
                    jwt.getId(), clientId, userId, jwt.getClaimAsString("iss"), jwt.getExpiresAt(), scopes);
            verified.put(token, entry);
        } else if (Instant.now().isAfter(entry.expiresAt().plus(OAuthProperties.CLOCK_SKEW))) {
            throw new InvalidCredentialException("The access token has expired.");
        } else if (!entry.issuer().equals(expectedIssuer.get())) {
            throw new InvalidCredentialException(NOT_FOR_THIS_API);
        }
        if (revoked.isRevoked(entry.jti(), entry.clientId())) {
            throw new InvalidCredentialException("The access token has been revoked.");
        }
        OAuthClient.Identity client = clients.apply(entry.clientId())
                .orElseThrow(() -> new InvalidCredentialException("The access token's client no longer exists."));
        return new Caller(
                entry.clientId(),
                entry.userId(),
                client.name(),
                entry.scopes(),
                client.rateLimitPerMinute(),
                entry.userId() != null);
    }

    /**
     * A client_credentials token of ours ({@code sub} is the client), fully verified except for revocation;
     * empty for anything else. Such tokens are not stored ({@link AuthorizationStore}), so this is how
     * introspection and revocation find them.
     */
    Optional<Jwt> decodeClientCredentialsToken(String token) {
        if (!supports(token)) {
            return Optional.empty();
        }
        try {
            Jwt jwt = decode(token);
            String clientId = jwt.getClaimAsString("client_id");
            return clientId != null && clientId.equals(jwt.getSubject()) ? Optional.of(jwt) : Optional.empty();
        } catch (InvalidCredentialException e) {
            return Optional.empty();
        }
    }

    private Jwt decode(String token) {
        try {
            return decoder.decode(token);
        } catch (JwtValidationException e) {
            boolean expired = e.getErrors().stream()
                    .anyMatch(error -> error.getDescription() != null
                            && error.getDescription().contains("expired"));
            throw new InvalidCredentialException(expired ? "The access token has expired." : NOT_FOR_THIS_API);
        } catch (BadJwtException e) {
            throw new InvalidCredentialException("The access token is malformed or its signature does not verify.");
        } catch (JwtException e) {
            throw new InvalidCredentialException("The access token could not be verified.");
        }
    }

    /** RFC 9068: a space-separated string. Scopes this server does not know are ignored. */
    private static Set<Scope> scopes(Object claim) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (claim instanceof String value) {
            for (String item : value.split(" ")) {
                Scope.parse(item).ifPresent(scopes::add);
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(item -> Scope.parse(String.valueOf(item)).ifPresent(scopes::add));
        }
        return scopes;
    }

    private static OAuth2TokenValidator<Jwt> issuer(Supplier<String> expectedIssuer) {
        return jwt -> {
            String expected = expectedIssuer.get();
            if (expected != null && expected.equals(jwt.getClaimAsString(JwtClaimNames.ISS))) {
                return OAuth2TokenValidatorResult.success();
            }
            return OAuth2TokenValidatorResult.failure(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The iss claim is not valid", null));
        };
    }
}
