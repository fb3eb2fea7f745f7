package dev.mercato.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsEncryptionTest {

    private static final byte[] PLAIN = "{\"auth_token\":\"s3cret\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealedSecretsOpenWithTheSameKeyAndIntegration() {
        SecretsCipher cipher = new SecretsCipher(key());
        byte[] sealed = cipher.seal("sms", PLAIN);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
        assertThat(cipher.open("sms", sealed)).isEqualTo(PLAIN);
    }

    @Test
    void everyWriteUsesAFreshNonce() {
        SecretsCipher cipher = new SecretsCipher(key());
        assertThat(cipher.seal("sms", PLAIN)).isNotEqualTo(cipher.seal("sms", PLAIN));
    }

    @Test
    void anotherKeyFailsCleanly() {
        byte[] sealed = new SecretsCipher(key()).seal("sms", PLAIN);

        assertThatThrownBy(() -> new SecretsCipher(key()).open("sms", sealed))
                .isInstanceOf(UnreadableSecretsException.class)
                .hasMessageContaining("sms integration")
                .hasMessageContaining("another key");
    }

    @Test
    void tamperedCiphertextFailsCleanly() {
        SecretsCipher cipher = new SecretsCipher(key());
        byte[] sealed = cipher.seal("sms", PLAIN);
        sealed[sealed.length - 5] ^= 1;

        assertThatThrownBy(() -> cipher.open("sms", sealed)).isInstanceOf(UnreadableSecretsException.class);
    }

    @Test
    void secretsMovedToAnotherIntegrationDoNotOpen() {
        SecretsCipher cipher = new SecretsCipher(key());
        byte[] sealed = cipher.seal("sms", PLAIN);

        assertThatThrownBy(() -> cipher.open("push", sealed)).isInstanceOf(UnreadableSecretsException.class);
    }

    @Test
    void truncatedOrForeignValuesFailCleanly() {
        SecretsCipher cipher = new SecretsCipher(key());

        assertThatThrownBy(() -> cipher.open("sms", new byte[] {1, 2, 3}))
                .isInstanceOf(UnreadableSecretsException.class)
                .hasMessageContaining("known format");
    }

    @Test
    void aConfiguredKeyMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> IntegrationsKey.decode("not base64!", "mercato.integrations.encryption-key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> IntegrationsKey.decode("AAAA", "mercato.integrations.encryption-key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32");
    }

    @Test
    void aGeneratedKeyIsKeptOwnerOnlyAndReused(@TempDir Path dataDir) throws Exception {
        Path file = dataDir.resolve(IntegrationsKey.FILE);

        byte[] first = IntegrationsKey.fromFile(file);

        assertThat(first).hasSize(SecretsCipher.KEY_BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(IntegrationsKey.fromFile(file)).isEqualTo(first);
        try (var files = Files.list(dataDir)) {
            assertThat(files).containsExactly(file);
        }
    }

    private static byte[] key() {
        byte[] key = new byte[SecretsCipher.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
