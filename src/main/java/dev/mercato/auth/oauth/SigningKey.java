package dev.mercato.auth.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;

/**
 * One RS256 key pair and its schedule: it signs new tokens from {@code activatesAt} to {@code retiresAt} and
 * verifies tokens until {@code expiresAt}, when the last token it signed has expired.
 */
record SigningKey(RSAKey jwk, RSAPublicKey publicKey, Instant activatesAt, Instant retiresAt, Instant expiresAt) {

    private static final int RSA_BITS = 2048;

    String kid() {
        return jwk.getKeyID();
    }

    boolean signsAt(Instant now) {
        return !activatesAt.isAfter(now) && retiresAt.isAfter(now);
    }

    boolean verifiesAt(Instant now) {
        return expiresAt.isAfter(now);
    }

    RSAKey publicJwk() {
        return jwk.toPublicJWK();
    }

    byte[] encodedPublicKey() {
        return publicKey.getEncoded();
    }

    byte[] encodedPrivateKey() {
        try {
            return jwk.toRSAPrivateKey().getEncoded();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static SigningKey generate(String kid, Instant activatesAt, Instant retiresAt, Instant expiresAt) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            KeyPair pair = generator.generateKeyPair();
            RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
            return new SigningKey(
                    jwk(kid, publicKey, (RSAPrivateKey) pair.getPrivate()),
                    publicKey,
                    activatesAt,
                    retiresAt,
                    expiresAt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every Java runtime", e);
        }
    }

    /** A key as stored: X.509 SubjectPublicKeyInfo and PKCS#8, both DER. */
    static SigningKey decode(
            String kid,
            byte[] publicKey,
            byte[] privateKey,
            Instant activatesAt,
            Instant retiresAt,
            Instant expiresAt) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(publicKey));
            RSAPrivateKey priv = (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(privateKey));
            return new SigningKey(jwk(kid, pub, priv), pub, activatesAt, retiresAt, expiresAt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing key " + kid + " is not a readable RSA key", e);
        }
    }

    private static RSAKey jwk(String kid, RSAPublicKey publicKey, RSAPrivateKey privateKey) {
        return new RSAKey.Builder(publicKey)
                .privateKey(privateKey)
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .build();
    }
}
