package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

class OAuthClientSecretsTest {

    private final PasswordEncoder encoder = ClientSecrets.encoder();

    @Test
    void secretsAreLongRandomAndRecognisable() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = ClientSecrets.generate();
            assertThat(secret).matches("mcs_[0-9A-Za-z]{43}");
            assertThat(seen.add(secret)).isTrue();
        }
    }

    @Test
    void secretIsStoredAsItsSha256AndMatchesOnlyItself() {
        String secret = ClientSecrets.generate();

        String stored = encoder.encode(secret);

        assertThat(stored).matches("\\{sha256}[0-9a-f]{64}").doesNotContain(secret);
        assertThat(encoder.matches(secret, stored)).isTrue();
        assertThat(encoder.matches(secret + "x", stored)).isFalse();
        assertThat(encoder.matches(ClientSecrets.generate(), stored)).isFalse();
        assertThat(encoder.upgradeEncoding(stored)).isFalse();
    }

    @Test
    void knownSha256ValueMatches() {
        // printf abc | sha256sum
        assertThat(encoder.matches("abc", "{sha256}ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
                .isTrue();
    }

    @Test
    void otherOrBrokenEncodingsNeverMatch() {
        String secret = "mcs_plain";
        assertThat(encoder.matches(secret, "{noop}" + secret)).isFalse();
        assertThat(encoder.matches(secret, secret)).isFalse();
        assertThat(encoder.matches(secret, "{sha256}not-hex")).isFalse();
        assertThat(encoder.matches(secret, "{bcrypt}$2a$10$abcdefghijklmnopqrstuv"))
                .isFalse();
        assertThat(encoder.matches(secret, null)).isFalse();
    }
}
