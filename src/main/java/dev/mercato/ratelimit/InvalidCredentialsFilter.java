package dev.mercato.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mercato.web.ApiError;
import dev.mercato.web.ErrorResponseWriter;
import dev.mercato.web.Requests;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles addresses that present bearer credentials the server refuses: each such request (answered 401) takes a
 * token from its address's bucket; once the bucket is empty, that address's requests with a credential are
 * answered 429 at once, before the credential is looked up, until a token is back. Requests with valid credentials
 * pay one look-up in this server's memory and nothing else. The token endpoint has its own limits.
 */
final class InvalidCredentialsFilter extends OncePerRequestFilter {

    static final String POLICY = "invalid-credentials";

    private final RateLimitStore store;
    private final Quota quota;
    private final ErrorResponseWriter errors;
    private final Counter rejected;
    private final Ticker ticker;
    /** Addresses refused until the time they map to: what this server learnt from the (maybe shared) bucket. */
    private final Cache<String, Long> refusedUntil;

    InvalidCredentialsFilter(RateLimitStore store, int perMinute, ErrorResponseWriter errors, MeterRegistry meters) {
        this(store, perMinute, errors, meters, Ticker.systemTicker());
    }

    /** With a test's clock. */
    InvalidCredentialsFilter(
            RateLimitStore store, int perMinute, ErrorResponseWriter errors, MeterRegistry meters, Ticker ticker) {
        this.store = store;
        this.quota = new Quota(POLICY, perMinute);
        this.errors = errors;
        this.rejected = RateLimitMetrics.rejected(meters, POLICY);
        this.ticker = ticker;
        this.refusedUntil = Caffeine.newBuilder()
                .maximumSize(MemoryRateLimitStore.MAX_BUCKETS)
                .expireAfterWrite(Quota.MINUTE)
                .ticker(ticker)
                .build();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.AUTHORIZATION) == null
                || TokenEndpointRateLimitFilter.PATH.equals(Requests.path(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        Long until = refusedUntil.getIfPresent(address);
        long now = ticker.read();
        if (until != null && until - now > 0) {
            refuse(response, TimeUnit.NANOSECONDS.toSeconds(until - now) + 1);
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            ConsumptionProbe probe = store.tryConsume("invalid-credentials-ip:" + address, quota);
            if (!probe.isConsumed() || probe.getRemainingTokens() == 0) {
                // Empty now: refused until the next token is back.
                long wait =
                        probe.isConsumed() ? quota.window().toNanos() / quota.limit() : probe.getNanosToWaitForRefill();
                refusedUntil.put(address, ticker.read() + wait);
            }
        }
    }

    private void refuse(HttpServletResponse response, long retryAfter) throws IOException {
        rejected.increment();
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        String limit = quota.limit() + " requests with refused credentials per minute";
        errors.write(
                response,
                429,
                ApiError.of(
                        "RATE_LIMITED",
                        "Too many requests with invalid credentials from this address; retry after " + retryAfter
                                + " s.",
                        limit));
    }
}
