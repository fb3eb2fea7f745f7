package dev.mercato.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;

/** A configured admin key that could not be a key stops the server at start, before anything is created. */
class AdminBootstrapTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "short",
                "has spaces in it but is long enough to pass the length",
                "päss-wörd-päss-wörd-päss-wörd-12345",
                "mk_looksGeneratedButHasNoValidChecksum0000"
            })
    void anUnusableConfiguredKeyFailsTheStart(String configured) {
        assertThatThrownBy(() -> bootstrap(configured, ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mercato.admin.api-key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "it_admin_key_0123456789_abcdefghijklmnopqrstuvwxyz"})
    void noKeyOrAUsableOneIsAccepted(String configured) {
        assertThatCode(() -> bootstrap(configured, "")).doesNotThrowAnyException();
        assertThatCode(() -> bootstrap(ApiKeyFormat.generate(), "ecs")).doesNotThrowAnyException();
    }

    private static AdminBootstrap bootstrap(String configuredKey, String consoleFormat) {
        return new AdminBootstrap(
                null,
                new AdminProperties(configuredKey),
                new MockEnvironment().withProperty("logging.structured.format.console", consoleFormat));
    }
}
