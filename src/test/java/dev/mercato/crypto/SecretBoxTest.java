package dev.mercato.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.database.DataDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Sealing secrets kept in the database: what opens, what does not, and a key's rotation. */
class SecretBoxTest {

    private static final byte[] PLAIN = "{\"auth_token\":\"s3cret\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealedSecretsOpenWithTheSameKeyAndIntegration() {
        SecretBox cipher = box(key());
        byte[] sealed = cipher.seal("sms", PLAIN);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
        assertThat(cipher.open("sms", sealed)).isEqualTo(PLAIN);
    }

    @Test
    void everyWriteUsesAFreshNonce() {
        SecretBox cipher = box(key());
        assertThat(cipher.seal("sms", PLAIN)).isNotEqualTo(cipher.seal("sms", PLAIN));
    }

    @Test
    void anotherKeyFailsCleanly() {
        byte[] sealed = box(key()).seal("sms", PLAIN);

        assertThatThrownBy(() -> box(key()).open("sms", sealed))
                .isInstanceOf(SecretBox.UnreadableException.class)
                .hasMessageContaining("a key this server does not have");
    }

    @Test
    void tamperedCiphertextFailsCleanly() {
        SecretBox cipher = box(key());
        byte[] sealed = cipher.seal("sms", PLAIN);
        sealed[sealed.length - 5] ^= 1;

        assertThatThrownBy(() -> cipher.open("sms", sealed)).isInstanceOf(SecretBox.UnreadableException.class);
    }

    @Test
    void secretsMovedToAnotherIntegrationDoNotOpen() {
        SecretBox cipher = box(key());
        byte[] sealed = cipher.seal("sms", PLAIN);

        assertThatThrownBy(() -> cipher.open("push", sealed)).isInstanceOf(SecretBox.UnreadableException.class);
    }

    @Test
    void truncatedOrForeignValuesFailCleanly() {
        SecretBox cipher = box(key());

        assertThatThrownBy(() -> cipher.open("sms", new byte[] {1, 2, 3}))
                .isInstanceOf(SecretBox.UnreadableException.class)
                .hasMessageContaining("known format");
    }

    @Test
    void aConfiguredKeyMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> EncryptionKeys.decode("not base64!", "mercato.encryption-key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> EncryptionKeys.decode("AAAA", "mercato.encryption-key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32");
    }

    @Test
    void aGeneratedKeyIsKeptOwnerOnlyAndReused(@TempDir Path dataDir) throws Exception {
        Path file = dataDir.resolve(EncryptionKeys.FILE);

        byte[] first = EncryptionKeys.fromFile(file);

        assertThat(first).hasSize(SecretBox.KEY_BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(EncryptionKeys.fromFile(file)).isEqualTo(first);
        try (var files = Files.list(dataDir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aRotatedKeyStillOpensWhatItSealedUntilItIsSealedAgain() {
        byte[] old = key();
        byte[] sealedBefore = box(old).seal("sms", PLAIN);
        byte[] current = key();
        SecretBox rotated = new SecretBox(current, List.of(old));

        assertThat(rotated.sealedWithCurrentKey(sealedBefore)).isFalse();
        assertThat(rotated.open("sms", sealedBefore)).isEqualTo(PLAIN);
        byte[] sealedAgain = rotated.seal("sms", rotated.open("sms", sealedBefore));
        assertThat(rotated.sealedWithCurrentKey(sealedAgain)).isTrue();

        SecretBox oldKeyGone = box(current);
        assertThat(oldKeyGone.open("sms", sealedAgain)).isEqualTo(PLAIN);
        assertThatThrownBy(() -> oldKeyGone.open("sms", sealedBefore))
                .isInstanceOf(SecretBox.UnreadableException.class)
                .hasMessageContaining("a key this server does not have");
    }

    @Test
    void theFormerSettingNameAndThePreviousKeysAreRead(@TempDir Path dataDir) {
        byte[] old = key();
        byte[] current = key();
        byte[] sealedBefore = box(old).seal("sms", PLAIN);

        SecretBox configured = new EncryptionKeys()
                .secretBox(
                        new MockEnvironment()
                                .withProperty(EncryptionKeys.FORMER_PROPERTY, base64(current))
                                .withProperty(
                                        EncryptionKeys.PREVIOUS_PROPERTY, " " + base64(key()) + " , " + base64(old)),
                        new DataDirectory(dataDir));

        assertThat(configured.open("sms", sealedBefore)).isEqualTo(PLAIN);
        assertThat(box(current).open("sms", configured.seal("sms", PLAIN))).isEqualTo(PLAIN);
        assertThat(dataDir.resolve(EncryptionKeys.FILE)).as("no key generated").doesNotExist();
    }

    @Test
    void aGeneratedKeyLeftInTheDataDirectoryOpensWhatItSealedOnceAKeyIsConfigured(@TempDir Path dataDir) {
        DataDirectory directory = new DataDirectory(dataDir);
        byte[] sealedBefore =
                new EncryptionKeys().secretBox(new MockEnvironment(), directory).seal("sms", PLAIN);

        SecretBox configured = new EncryptionKeys()
                .secretBox(new MockEnvironment().withProperty(EncryptionKeys.PROPERTY, base64(key())), directory);

        assertThat(configured.sealedWithCurrentKey(sealedBefore)).isFalse();
        assertThat(configured.open("sms", sealedBefore)).isEqualTo(PLAIN);
        assertThat(configured.sealedWithCurrentKey(configured.seal("sms", PLAIN)))
                .isTrue();
    }

    /** Integration secrets stored before keys had ids: 0x01, the nonce, the ciphertext, the integration as AAD. */
    @Test
    void valuesOfTheFirstFormatStillOpen() throws Exception {
        byte[] key = key();
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                javax.crypto.Cipher.ENCRYPT_MODE,
                new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        cipher.updateAAD("sms".getBytes(StandardCharsets.UTF_8));
        byte[] body = cipher.doFinal(PLAIN);
        byte[] first = java.nio.ByteBuffer.allocate(1 + 12 + body.length)
                .put((byte) 1)
                .put(nonce)
                .put(body)
                .array();

        assertThat(new SecretBox(key(), List.of(key)).open("sms", first)).isEqualTo(PLAIN);
        assertThatThrownBy(() -> box(key()).open("sms", first)).isInstanceOf(SecretBox.UnreadableException.class);
    }

    private static SecretBox box(byte[] key) {
        return new SecretBox(key, List.of());
    }

    private static String base64(byte[] key) {
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    private static byte[] key() {
        byte[] key = new byte[SecretBox.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
