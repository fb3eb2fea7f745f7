package dev.mercato.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.mercato.security.Caller;
import dev.mercato.security.RequestCallers;
import dev.mercato.security.Scope;
import dev.mercato.web.ApiError;
import dev.mercato.web.ErrorResponseWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The per-credential limit against a moving clock: exact Retry-After and refill times. */
class CredentialRateLimitFilterTest {

    private final TestClock clock = new TestClock();
    private final ErrorResponseWriter errors = mock(ErrorResponseWriter.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CredentialRateLimitFilter filter =
            new CredentialRateLimitFilter(new MemoryRateLimitStore(clock, clock), 120, errors, meters);

    @Test
    void credentialWithoutALimitOfItsOwnHasTheDefault() throws Exception {
        MockHttpServletResponse response = call(principal("key_default", null));

        assertThat(response.getHeader("RateLimit-Policy")).isEqualTo("\"default\";q=120;w=60");
        assertThat(response.getHeader("RateLimit")).isEqualTo("\"default\";r=119;t=1");
    }

    @Test
    void credentialWithItsOwnLimitIsRefusedUntilATokenIsBack() throws Exception {
        Caller principal = principal("key_small", 4);
        for (int remaining = 3; remaining >= 0; remaining--) {
            MockHttpServletResponse allowed = call(principal);
            assertThat(allowed.getHeader("RateLimit")).startsWith("\"default\";r=" + remaining + ";");
        }
        clock.advance(Duration.ofSeconds(2));

        MockHttpServletResponse refused = call(principal);

        verify(errors).write(eq(refused), eq(429), any(ApiError.class));
        assertThat(refused.getHeader("Retry-After")).isEqualTo("13");
        assertThat(refused.getHeader("RateLimit-Policy")).isEqualTo("\"default\";q=4;w=60");
        assertThat(refused.getHeader("RateLimit")).isEqualTo("\"default\";r=0;t=58");
        assertThat(meters.get("mercato.rate_limit.rejected")
                        .tag("policy", "default")
                        .counter()
                        .count())
                .isEqualTo(1);

        clock.advance(Duration.ofSeconds(13));
        MockHttpServletResponse again = call(principal);
        assertThat(again.getHeader("Retry-After")).isNull();
        assertThat(again.getHeader("RateLimit")).isEqualTo("\"default\";r=0;t=60");
    }

    @Test
    void anAppActingForItsUsersHasABucketPerUser() throws Exception {
        Caller forAlice = new Caller("cli_app", "usr_alice", "app", Set.of(Scope.ORDERS_READ), 2, true);
        Caller forBob = new Caller("cli_app", "usr_bob", "app", Set.of(Scope.ORDERS_READ), 2, true);
        call(forAlice);
        call(forAlice);

        MockHttpServletResponse refused = call(forAlice);
        MockHttpServletResponse bob = call(forBob);

        verify(errors).write(eq(refused), eq(429), any(ApiError.class));
        assertThat(bob.getHeader("RateLimit")).isEqualTo("\"default\";r=1;t=30");
    }

    @Test
    void requestsWithoutACredentialAreNotCounted() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/health"), response, new MockFilterChain());

        assertThat(response.getHeader("RateLimit")).isNull();
        verify(errors, never()).write(any(), eq(429), any());
    }

    private MockHttpServletResponse call(Caller principal) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v2/products");
        RequestCallers.set(request, principal);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    private static Caller principal(String credentialId, Integer perMinute) {
        return new Caller(credentialId, null, "test", Set.of(Scope.PRODUCTS_READ), perMinute);
    }
}
