package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.shared.DomainException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OAuthRedirectUrisTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://app.example.com/callback",
                "https://app.example.com:8443/cb?x=1",
                "http://127.0.0.1:8765/callback",
                "http://localhost/cb",
                "http://[::1]:9000/cb"
            })
    void acceptable(String uri) {
        assertThatCode(() -> RedirectUris.check(uri)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://app.example.com/cb",
                "https://app.example.com/cb#top",
                "/callback",
                "app.example.com/cb",
                "https://app.example.com/a,b",
                "javascript:alert(1)",
                "http://10.0.0.1/cb",
                "ftp://example.com/cb",
                "https:///no-host",
                "not a uri",
                "http://cafe/cb",
                "http://dead:80/cb"
            })
    void refused(String uri) {
        assertThatThrownBy(() -> RedirectUris.check(uri))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("redirect URI");
    }
}
