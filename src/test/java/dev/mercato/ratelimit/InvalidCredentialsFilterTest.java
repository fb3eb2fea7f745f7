package dev.mercato.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.mercato.web.ErrorResponseWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Addresses presenting refused credentials, with 3 a minute allowed: the fourth request from that address with any
 * credential is refused before the credential is looked up, until a token is back; other addresses and valid
 * credentials are untouched.
 */
class InvalidCredentialsFilterTest {

    private static final String GUESSER = "203.0.113.9";

    private final TestClock clock = new TestClock();
    private final ErrorResponseWriter errors = mock(ErrorResponseWriter.class);
    private final InvalidCredentialsFilter filter = new InvalidCredentialsFilter(
            new MemoryRateLimitStore(clock, clock), 3, errors, new SimpleMeterRegistry(), clock);
    /** How many requests reached the security chain, which would have looked their credential up. */
    private final AtomicInteger lookedUp = new AtomicInteger();

    @Test
    void anAddressGuessingCredentialsIsRefusedBeforeAnyLookUp() throws Exception {
        for (int guess = 0; guess < 3; guess++) {
            assertThat(send(GUESSER, "Bearer guess" + guess, 401).getStatus()).isEqualTo(401);
        }

        MockHttpServletResponse refused = send(GUESSER, "Bearer valid", 200);

        assertThat(refused.getHeader("Retry-After")).isEqualTo("21");
        verify(errors).write(eq(refused), eq(429), any());
        assertThat(lookedUp).hasValue(3);
        assertThat(send("198.51.100.4", "Bearer guess", 401).getStatus())
                .as("another address")
                .isEqualTo(401);

        clock.advance(Duration.ofSeconds(21));
        assertThat(send(GUESSER, "Bearer valid", 200).getStatus()).isEqualTo(200);
    }

    @Test
    void validCredentialsAndRequestsWithoutOneAreNotCounted() throws Exception {
        for (int request = 0; request < 10; request++) {
            assertThat(send(GUESSER, "Bearer valid", 200).getStatus()).isEqualTo(200);
            assertThat(send(GUESSER, null, 401).getStatus()).isEqualTo(401);
        }
        assertThat(lookedUp).hasValue(20);
    }

    private MockHttpServletResponse send(String address, String authorization, int answer) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v2/products");
        request.setRemoteAddr(address);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            lookedUp.incrementAndGet();
            ((MockHttpServletResponse) res).setStatus(answer);
        });
        return response;
    }
}
