package dev.mercato.auth.oauth;

import dev.mercato.auth.CredentialVerifier;
import dev.mercato.auth.InvalidCredentialException;
import dev.mercato.web.ApiPrincipal;
import dev.mercato.web.Scope;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies OAuth 2.0 access tokens (RFC 9068 JWTs) for the API: signature by one of our RS256 keys (found by
 * {@code kid}), {@code typ at+jwt}, our issuer and audience, not expired, not revoked. Nothing on this path
 * reads the database: keys and revocations are held in memory ({@link SigningKeyStore}, {@link RevokedTokens})
 * and the client's name is cached.
 */
class AccessTokenVerifier implements CredentialVerifier {

    /** A compact JWS: three base64url parts (the last empty for "alg": "none", which is then refused). */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private final JwtDecoder decoder;
    private final RevokedTokens revoked;
    private final Function<String, Optional<String>> clientNames;

    /**
     * @param expectedIssuer the issuer tokens must name, for the request being served
     * @param clientNames a client's display name by client id; empty when the client no longer exists
     */
    AccessTokenVerifier(SigningKeyStore keys, RevokedTokens revoked, Supplier<String> expectedIssuer, String audience,
            Function<String, Optional<String>> clientNames) {
        this.revoked = revoked;
        this.clientNames = clientNames;
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys.verificationKeys())
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator()
                .audience(audience)
                .issuer("unused") // replaced below: the issuer may depend on the request
                .validators(validators -> validators.put(JwtClaimNames.ISS, issuer(expectedIssuer)))
                .build());
        this.decoder = decoder;
    }

    @Override
    public boolean supports(String token) {
        return COMPACT_JWS.matcher(token).matches();
    }

    @Override
    public ApiPrincipal verify(String token) {
        Jwt jwt = decode(token);
        String clientId = jwt.getClaimAsString("client_id");
        if (revoked.isRevoked(jwt.getId(), clientId)) {
            throw new InvalidCredentialException("The access token has been revoked.");
        }
        String name = clientNames.apply(clientId)
                .orElseThrow(() -> new InvalidCredentialException("The access token's client no longer exists."));
        return new ApiPrincipal(clientId, null, name, scopes(jwt.getClaim("scope")));
    }

    private Jwt decode(String token) {
        try {
            return decoder.decode(token);
        } catch (JwtValidationException e) {
            boolean expired = e.getErrors().stream()
                    .anyMatch(error -> error.getDescription() != null && error.getDescription().contains("expired"));
            throw new InvalidCredentialException(expired ? "The access token has expired."
                    : "The access token is not valid for this API (issuer, audience or type).");
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
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                    "The iss claim is not valid", null));
        };
    }
}
