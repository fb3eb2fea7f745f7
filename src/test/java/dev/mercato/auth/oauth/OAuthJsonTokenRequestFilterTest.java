package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class OAuthJsonTokenRequestFilterTest {

    private final JsonTokenRequestFilter filter = new JsonTokenRequestFilter("/oauth/token", new OAuthErrors());

    @Test
    void jsonBodyBecomesFormParameters() throws Exception {
        MockHttpServletRequest request = post("application/json", """
                {"grant_type": "client_credentials", "client_id": "cli_1", "client_secret": "mcs_2"}""");
        request.setQueryString("ignored=1");
        request.addParameter("ignored", "1");

        HttpServletRequest seen = run(request, new MockHttpServletResponse());

        assertThat(seen.getContentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(seen.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(seen.getParameter("grant_type")).isEqualTo("client_credentials");
        assertThat(seen.getParameter("client_id")).isEqualTo("cli_1");
        assertThat(seen.getParameterValues("client_secret")).containsExactly("mcs_2");
        assertThat(seen.getParameterMap()).containsKeys("grant_type", "client_id", "client_secret", "ignored");
        assertThat(seen.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void jsonWithACharsetIsJsonToo() throws Exception {
        HttpServletRequest seen = run(post("application/json; charset=UTF-8", """
                {"grant_type": "client_credentials"}"""), new MockHttpServletResponse());

        assertThat(seen.getParameter("grant_type")).isEqualTo("client_credentials");
    }

    @Test
    void formRequestsPassUntouched() throws Exception {
        MockHttpServletRequest request = post("application/x-www-form-urlencoded", "grant_type=client_credentials");
        request.addParameter("grant_type", "client_credentials");

        assertThat(run(request, new MockHttpServletResponse())).isSameAs(request);
    }

    @Test
    void otherPathsPassUntouched() throws Exception {
        MockHttpServletRequest request = post("application/json", "{}");
        request.setRequestURI("/v2/products");
        request.setServletPath("/v2/products");

        assertThat(run(request, new MockHttpServletResponse())).isSameAs(request);
    }

    @Test
    void anEncodedPathToTheTokenEndpointIsTheTokenEndpoint() throws Exception {
        // The container decodes /oauth/%74oken to the servlet path /oauth/token, and so does the endpoint.
        MockHttpServletRequest request = post("application/json", "{\"grant_type\": \"client_credentials\"}");
        request.setRequestURI("/oauth/%74oken");

        assertThat(run(request, new MockHttpServletResponse()).getParameter("grant_type"))
                .isEqualTo("client_credentials");
    }

    @Test
    void aWildcardContentTypeIsNotJson() throws Exception {
        MockHttpServletRequest request = post("*/*", "{\"grant_type\": \"client_credentials\"}");

        assertThat(run(request, new MockHttpServletResponse())).isSameAs(request);
    }

    @Test
    void bodyThatIsNotAnObjectOfStringsIsInvalidRequest() throws Exception {
        for (String body : new String[] {
            "[]",
            "\"x\"",
            "{\"client_id\": 1}",
            "{\"scope\": [\"a\"]}",
            "{",
            "",
            "{\"a\": \"1\", \"a\": \"2\"}",
            "{} {}"
        }) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            HttpServletRequest seen = run(post("application/json", body), response);

            assertThat(seen).as(body).isNull();
            assertThat(response.getStatus()).as(body).isEqualTo(400);
            assertThat(response.getContentAsString()).as(body).contains("\"error\":\"invalid_request\"");
            assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        }
    }

    private static MockHttpServletRequest post(String contentType, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth/token");
        request.setServletPath("/oauth/token");
        request.setContentType(contentType);
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    private HttpServletRequest run(MockHttpServletRequest request, MockHttpServletResponse response) throws Exception {
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
        filter.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                seen.set((HttpServletRequest) req);
            }
        });
        return seen.get();
    }
}
