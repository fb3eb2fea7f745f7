package dev.mercato.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The token endpoint's limits, with 3 attempts a minute per address and 5 tokens per client: an attacker at one
 * address uses up that address, not the client; every attempt counts against its address, and only tokens issued
 * count against the client, so failing attempts from any number of addresses never shut it out.
 */
class TokenEndpointRateLimitFilterTest {

    private static final String ATTACKER = "203.0.113.66";
    private static final String CLIENT_SERVER = "198.51.100.7";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TokenEndpointRateLimitFilter filter =
            new TokenEndpointRateLimitFilter(new MemoryRateLimitStore(clock, clock), 3, 5, meters);

    @Test
    void anAttackerAtOneAddressExhaustsThatAddressNotTheClient() throws Exception {
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(attempt(form(ATTACKER, "client_id=cli_victim&client_secret=guess" + attempt))
                            .getStatus())
                    .isEqualTo(401);
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            MockHttpServletResponse refused = attempt(form(ATTACKER, "client_id=cli_victim&client_secret=guess"));
            assertThat(refused.getStatus()).isEqualTo(429);
            assertThat(refused.getHeader("Retry-After")).isEqualTo("20");
            assertThat(refused.getHeader("RateLimit-Policy")).isEqualTo("\"ip\";q=3;w=60");
            assertThat(refused.getHeader("RateLimit")).isEqualTo("\"ip\";r=0;t=60");
        }

        // Neither the 3 failed attempts nor the 20 refused ones were counted against the client.
        MockHttpServletResponse legitimate = issue(form(CLIENT_SERVER, "client_id=cli_victim&client_secret=right"));
        assertThat(legitimate.getStatus()).isEqualTo(200);
        assertThat(legitimate.getHeader("RateLimit-Policy")).isEqualTo("\"ip\";q=3;w=60, \"client\";q=5;w=60");
        assertThat(legitimate.getHeader("RateLimit")).isEqualTo("\"ip\";r=2;t=20, \"client\";r=4;t=12");
        assertThat(meters.get("mercato.rate_limit.rejected")
                        .tag("policy", "token-ip")
                        .counter()
                        .count())
                .isEqualTo(20);
    }

    @Test
    void tokensIssuedAreCappedPerClientAndFailuresFromAnyAddressDoNotCount() throws Exception {
        for (int address = 1; address <= 50; address++) {
            assertThat(attempt(form("192.0.2." + address, "client_id=cli_victim"))
                            .getStatus())
                    .isEqualTo(401);
        }
        for (int issued = 1; issued <= 5; issued++) {
            assertThat(issue(form("198.51.100." + issued, "client_id=cli_victim"))
                            .getStatus())
                    .isEqualTo(200);
        }

        MockHttpServletResponse refused = issue(form("198.51.100.6", "client_id=cli_victim"));

        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("RateLimit")).isEqualTo("\"ip\";r=2;t=20, \"client\";r=0;t=60");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("12");
        JsonNode body = JSON.readTree(refused.getContentAsString());
        assertThat(body.get("error").asString()).isEqualTo("rate_limited");
        assertThat(body.get("error_description").asString())
                .contains("for this client")
                .contains("12 s");
        assertThat(refused.getHeader("Cache-Control")).isEqualTo("no-store");
        // Another client is not affected.
        assertThat(issue(form("198.51.100.6", "client_id=cli_other")).getStatus())
                .isEqualTo(200);
    }

    @Test
    void aRefusedAddressMayTryAgainOnceATokenIsBack() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            attempt(form(ATTACKER, "client_id=cli_a"));
        }
        assertThat(attempt(form(ATTACKER, "client_id=cli_a")).getStatus()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(20));

        assertThat(attempt(form(ATTACKER, "client_id=cli_a")).getStatus()).isEqualTo(401);
        assertThat(attempt(form(ATTACKER, "client_id=cli_a")).getStatus()).isEqualTo(429);
    }

    @Test
    void clientIdIsReadFromHttpBasic() throws Exception {
        MockHttpServletRequest request = request(CLIENT_SERVER);
        String user = URLEncoder.encode("cli_basic:odd", StandardCharsets.UTF_8);
        request.addHeader(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8)));
        request.setContentType("application/x-www-form-urlencoded");
        request.setContent("grant_type=client_credentials&client_id=cli_other".getBytes(StandardCharsets.UTF_8));

        for (int attempt = 0; attempt < 2; attempt++) {
            issue(request);
        }

        assertThat(issue(form(ATTACKER, "client_id=cli_basic%3Aodd")).getHeader("RateLimit"))
                .endsWith("\"client\";r=2;t=36");
    }

    @Test
    void formBodyStaysReadableAsParametersAndAsBytes() throws Exception {
        String body = "grant_type=client_credentials&client_id=cli_form&scope=products%3Aread+orders%3Aread";
        MockHttpServletRequest request = form(CLIENT_SERVER, body);
        request.setQueryString("from=query");
        request.addParameter("from", "query");
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();

        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> seen.set((HttpServletRequest) req));

        HttpServletRequest handed = seen.get();
        assertThat(handed.getParameter("client_id")).isEqualTo("cli_form");
        assertThat(handed.getParameter("scope")).isEqualTo("products:read orders:read");
        assertThat(handed.getParameter("from")).isEqualTo("query");
        assertThat(handed.getParameterMap()).containsKeys("grant_type", "client_id", "scope", "from");
        assertThat(new String(handed.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(body);
        assertThat(response.getHeader("RateLimit")).contains("\"client\";r=4");
    }

    @Test
    void jsonBodyIsReadForTheClientIdAndHandedOnWhole() throws Exception {
        String body = "{\"grant_type\": \"client_credentials\", \"client_id\": \"cli_json\", \"client_secret\": \"s\"}";
        MockHttpServletRequest request = request(CLIENT_SERVER);
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        AtomicReference<String> seen = new AtomicReference<>();

        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(
                request,
                response,
                (req, res) -> seen.set(req.getReader().lines().reduce("", String::concat)));

        assertThat(seen.get()).isEqualTo(body);
        assertThat(response.getHeader("RateLimit-Policy")).contains("\"client\";q=5");
        assertThat(response.getHeader("RateLimit")).contains("\"client\";r=4");
    }

    @Test
    void malformedOrAnonymousAttemptsStillCountAgainstTheirAddress() throws Exception {
        MockHttpServletRequest malformed = request(ATTACKER);
        malformed.setContentType("application/json");
        malformed.setContent("{\"client_id\": ".getBytes(StandardCharsets.UTF_8));
        attempt(malformed);
        attempt(request(ATTACKER));
        attempt(form(ATTACKER, "client_id=" + "x".repeat(300)));

        MockHttpServletResponse refused = attempt(form(ATTACKER, "grant_type=client_credentials"));
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("RateLimit-Policy")).isEqualTo("\"ip\";q=3;w=60");
    }

    @Test
    void otherRequestsAreLeftAlone() throws Exception {
        MockHttpServletRequest get = request(ATTACKER);
        get.setMethod("GET");
        MockHttpServletRequest elsewhere = request(ATTACKER);
        elsewhere.setRequestURI("/v2/products");
        elsewhere.setServletPath("/v2/products");
        for (int i = 0; i < 10; i++) {
            assertThat(attempt(get).getHeader("RateLimit")).isNull();
            assertThat(attempt(elsewhere).getHeader("RateLimit")).isNull();
        }
    }

    @Test
    void anEncodedPathIsCountedLikeThePlainOne() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            MockHttpServletRequest encoded = form(ATTACKER, "client_id=cli_a");
            encoded.setRequestURI("/oauth/%74oken"); // decoded by the container to the servlet path /oauth/token
            assertThat(attempt(encoded).getStatus()).isEqualTo(401);
        }

        assertThat(attempt(form(ATTACKER, "client_id=cli_a")).getStatus()).isEqualTo(429);
    }

    @Test
    void aWildcardContentTypeNamesNoClientFromItsBody() throws Exception {
        // Not read as JSON here, and not by the endpoint either: only the address is charged, consistently.
        MockHttpServletRequest vague = request(CLIENT_SERVER);
        vague.setContentType("*/*");
        vague.setContent("{\"client_id\": \"cli_a\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(attempt(vague).getHeader("RateLimit-Policy")).isEqualTo("\"ip\";q=3;w=60");
    }

    @Test
    void aFormBodyIsReadOnlyUpToTheContainersParameterLimit() throws Exception {
        String padding = "a=1&".repeat(TokenRequests.MAX_PARAMETERS);

        MockHttpServletResponse early = attempt(form(CLIENT_SERVER, "client_id=cli_early&" + padding));
        MockHttpServletResponse late = attempt(form("192.0.2.99", padding + "client_id=cli_late"));

        assertThat(early.getHeader("RateLimit-Policy")).contains("\"client\"");
        assertThat(late.getHeader("RateLimit-Policy")).isEqualTo("\"ip\";q=3;w=60");
    }

    // ---- fixtures ----

    /** Runs the filter in front of a token endpoint that refuses every client (a failed attempt). */
    private MockHttpServletResponse attempt(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain failingEndpoint = (req, res) -> ((MockHttpServletResponse) res).setStatus(401);
        filter.doFilter(request, response, failingEndpoint);
        return response;
    }

    /** Runs the filter in front of a token endpoint that issues a token. */
    private MockHttpServletResponse issue(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> ((MockHttpServletResponse) res).setStatus(200));
        return response;
    }

    private static MockHttpServletRequest form(String address, String body) {
        MockHttpServletRequest request = request(address);
        request.setContentType("application/x-www-form-urlencoded");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    private static MockHttpServletRequest request(String address) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth/token");
        request.setServletPath("/oauth/token");
        request.setRemoteAddr(address);
        return request;
    }
}
