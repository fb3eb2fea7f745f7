package dev.mercato.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets kept in the database (integration passwords and tokens, the OAuth signing keys, webhook signing
 * secrets) with AES-256-GCM under a key kept outside it ({@link EncryptionKeys}). A sealed value is
 * {@code 0x02 || key id (4 bytes) || 12-byte random nonce || ciphertext with 128-bit tag}, with the row it belongs
 * to as associated data ({@code context}), so a value copied to another row does not open. The key id names which
 * key sealed it (the first 4 bytes of the key's SHA-256), so a key can be rotated: the current key seals, the
 * previous ones still open what they sealed until it is sealed again. Values of the first format ({@code 0x01 ||
 * nonce || ciphertext}, no key id) still open with whichever key sealed them.
 */
public final class SecretBox {

    public static final int KEY_BYTES = 32;
    private static final byte FIRST_FORMAT = 1;
    private static final byte FORMAT = 2;
    private static final int KEY_ID_BYTES = 4;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private record Key(SecretKey key, byte[] id) {}

    private final Key current;
    private final List<Key> keys;
    private final SecureRandom random = new SecureRandom();

    /** Seals with {@code current}; opens with it and with {@code previous}. */
    public SecretBox(byte[] current, List<byte[]> previous) {
        this.current = key(current);
        List<Key> all = new ArrayList<>();
        all.add(this.current);
        previous.stream().map(SecretBox::key).forEach(all::add);
        this.keys = List.copyOf(all);
    }

    /** A value that cannot be opened: another key sealed it, it belongs to another row, or it was altered. */
    public static final class UnreadableException extends RuntimeException {

        UnreadableException(String reason) {
            super(reason);
        }
    }

    public byte[] seal(String context, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, current, nonce, context).doFinal(plaintext);
            return ByteBuffer.allocate(1 + KEY_ID_BYTES + NONCE_BYTES + sealed.length)
                    .put(FORMAT)
                    .put(current.id())
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            // AES-GCM is part of every JDK: failing to encrypt is a broken runtime, not a client error.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** @throws UnreadableException when none of this server's keys opens it for {@code context} */
    public byte[] open(String context, byte[] sealed) {
        if (sealed != null
                && sealed.length > 0
                && sealed[0] == FORMAT
                && sealed.length >= 1 + KEY_ID_BYTES + NONCE_BYTES + TAG_BITS / 8) {
            byte[] id = Arrays.copyOfRange(sealed, 1, 1 + KEY_ID_BYTES);
            Key key = keys.stream()
                    .filter(candidate -> Arrays.equals(candidate.id(), id))
                    .findFirst()
                    .orElseThrow(() -> new UnreadableException(
                            "it was encrypted with a key this server does not have (mercato.encryption-key, "
                                    + "mercato.encryption-previous-keys)"));
            return decrypt(key, context, sealed, 1 + KEY_ID_BYTES);
        }
        if (sealed != null && sealed.length >= 1 + NONCE_BYTES + TAG_BITS / 8 && sealed[0] == FIRST_FORMAT) {
            UnreadableException last = null;
            for (Key key : keys) {
                try {
                    return decrypt(key, context, sealed, 1);
                } catch (UnreadableException e) {
                    last = e;
                }
            }
            throw last;
        }
        throw new UnreadableException("the stored value is not in a known format");
    }

    /** Whether {@code sealed} was sealed by the current key: else it is worth sealing again, after a rotation. */
    public boolean sealedWithCurrentKey(byte[] sealed) {
        return sealed != null
                && sealed.length > KEY_ID_BYTES
                && sealed[0] == FORMAT
                && Arrays.equals(Arrays.copyOfRange(sealed, 1, 1 + KEY_ID_BYTES), current.id());
    }

    private static byte[] decrypt(Key key, String context, byte[] sealed, int nonceAt) {
        byte[] nonce = Arrays.copyOfRange(sealed, nonceAt, nonceAt + NONCE_BYTES);
        int from = nonceAt + NONCE_BYTES;
        try {
            return cipher(Cipher.DECRYPT_MODE, key, nonce, context).doFinal(sealed, from, sealed.length - from);
        } catch (AEADBadTagException e) {
            throw new UnreadableException("it was encrypted with another key, for another row, or altered");
        } catch (GeneralSecurityException e) {
            throw new UnreadableException(e.toString());
        }
    }

    private static Cipher cipher(int mode, Key key, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static Key key(byte[] bytes) {
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "An encryption key is " + KEY_BYTES + " bytes; this one has " + bytes.length + ".");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Key(new SecretKeySpec(bytes, "AES"), Arrays.copyOf(digest, KEY_ID_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
