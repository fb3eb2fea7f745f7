package dev.mercato.integrations;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals integration secrets with AES-256-GCM: {@code 0x01 || 12-byte random nonce || ciphertext with 128-bit tag},
 * the integration id as associated data, so a sealed value copied to another integration's row does not open.
 * The version byte leaves room for another format or key scheme later.
 */
final class SecretsCipher {

    static final int KEY_BYTES = 32;
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretsCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "An integrations encryption key is " + KEY_BYTES + " bytes; this one has " + key.length + ".");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    byte[] seal(String integrationId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, integrationId);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            // AES-GCM is part of every JDK: failing to encrypt is a broken runtime, not a client error.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** @throws UnreadableSecretsException when the value was sealed with another key, altered, or is not ours */
    byte[] open(String integrationId, byte[] sealed) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new UnreadableSecretsException(integrationId, "the stored value is not in a known format");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        System.arraycopy(sealed, 1, nonce, 0, NONCE_BYTES);
        try {
            return cipher(Cipher.DECRYPT_MODE, nonce, integrationId)
                    .doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UnreadableSecretsException(
                    integrationId,
                    "they were encrypted with another key (mercato.integrations.encryption-key) or altered");
        } catch (GeneralSecurityException e) {
            throw new UnreadableSecretsException(integrationId, e.toString());
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String integrationId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(integrationId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
