package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Behind a proxy that terminates TLS and says so ({@code X-Forwarded-Proto: https}, from a loopback or private
 * address): the request is secure here too, so responses carry HSTS and the session cookie is Secure. A plain
 * http request gets neither (HSTS over http would be ignored, and a Secure cookie never sent back).
 */
class SecureRequestsIT extends ApiTestSupport {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void anHttpsRequestGetsHstsAndAPlainOneDoesNot() throws Exception {
        HttpResponse<String> secure = get("/v2/products?limit=1", true);
        HttpResponse<String> plain = get("/v2/products?limit=1", false);

        assertThat(secure.statusCode()).isEqualTo(200);
        assertThat(secure.headers().firstValue("Strict-Transport-Security"))
                .hasValueSatisfying(
                        hsts -> assertThat(hsts).contains("max-age=").contains("includeSubDomains"));
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void theDashboardsSessionCookieIsSecureOverHttps() throws Exception {
        List<String> secure = get("/dashboard/login", true).headers().allValues("Set-Cookie");
        List<String> plain = get("/dashboard/login", false).headers().allValues("Set-Cookie");

        assertThat(secure)
                .anySatisfy(cookie -> assertThat(cookie)
                        .startsWith("JSESSIONID=")
                        .contains("Secure")
                        .contains("HttpOnly"));
        assertThat(plain)
                .anySatisfy(
                        cookie -> assertThat(cookie).startsWith("JSESSIONID=").doesNotContain("Secure"));
    }

    private HttpResponse<String> get(String path, boolean overHttps) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(api.base() + path)).header("Authorization", "Bearer " + ADMIN_KEY);
        if (overHttps) {
            request.header("X-Forwarded-Proto", "https");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
