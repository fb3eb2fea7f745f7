package dev.mercato.auth.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/**
 * Access tokens made in a test as the server makes them (RS256 with its current signing key, {@code typ at+jwt}),
 * for what would otherwise take a browser (a token a user authorized) or cannot be had (an expired one), and forged
 * ones (another key, no signature) that must be refused.
 */
public final class TestTokens {

    private final SigningKeyStore keys;
    private final String issuer;

    public TestTokens(ApplicationContext context, String issuer) {
        this.keys = context.getBean(SigningKeyStore.class);
        this.issuer = issuer;
    }

    /** As issued to {@code clientId} acting for {@code userId} (authorization code), with {@code scopes}. */
    public String forUser(String clientId, String userId, String scopes) {
        return sign(claims(clientId, userId, scopes, Duration.ofMinutes(10)), keys.signingKey());
    }

    /** As issued, but expired an hour ago. */
    public String expired(String clientId, String scopes) {
        return sign(claims(clientId, clientId, scopes, Duration.ofHours(-1)), keys.signingKey());
    }

    /** Signed by a key of its own that names the server's key id. */
    public String forged(String clientId, String scopes) {
        try {
            RSAKey other = new RSAKeyGenerator(2048)
                    .keyID(keys.signingKey().getKeyID())
                    .generate();
            return sign(claims(clientId, clientId, scopes, Duration.ofMinutes(10)), other);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unsigned, {@code alg: none}. */
    public String unsigned(String clientId, String scopes) {
        return new com.nimbusds.jwt.PlainJWT(claims(clientId, clientId, scopes, Duration.ofMinutes(10))).serialize();
    }

    private JWTClaimsSet claims(String clientId, String subject, String scopes, Duration validFor) {
        Instant now = Instant.now();
        Instant start = validFor.isNegative() ? now.minus(Duration.ofHours(2)) : now;
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience("mercato-api")
                .claim("client_id", clientId)
                .claim("scope", scopes)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(start))
                .notBeforeTime(Date.from(start))
                .expirationTime(Date.from(now.plus(validFor)))
                .build();
    }

    /** {@code claims} signed RS256 with {@code key}, typed {@code at+jwt}, as the server signs. */
    public static String sign(JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .type(new JOSEObjectType("at+jwt"))
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
