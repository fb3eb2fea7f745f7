package dev.mercato.ratelimit;

import dev.mercato.security.Caller;
import dev.mercato.security.CallerFilter;
import dev.mercato.security.RequestCallers;
import dev.mercato.web.ApiError;
import dev.mercato.web.ErrorResponseWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One token per API request from the bucket of the credential that made it (an API key, an OAuth client; for a
 * token a user authorized, the bucket of that client and user), sized by the credential's own limit or else the
 * default. Runs after authentication, so it knows the credential, and
 * before anything that does work; requests the security chain refused never get here, and nor do the open
 * endpoints (health, metrics, documentation), which have no credential.
 */
final class CredentialRateLimitFilter extends OncePerRequestFilter implements CallerFilter {

    static final String POLICY = "default";

    private final RateLimitStore store;
    private final int defaultPerMinute;
    private final ErrorResponseWriter errors;
    private final Counter rejected;

    CredentialRateLimitFilter(
            RateLimitStore store, int defaultPerMinute, ErrorResponseWriter errors, MeterRegistry meters) {
        this.store = store;
        this.defaultPerMinute = defaultPerMinute;
        this.errors = errors;
        this.rejected = RateLimitMetrics.rejected(meters, POLICY);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller principal = RequestCallers.of(request);
        if (principal == null) {
            chain.doFilter(request, response);
            return;
        }
        Integer own = principal.rateLimitPerMinute();
        Quota quota = new Quota(POLICY, own == null ? defaultPerMinute : own);
        // An application acting for its users has a bucket per user, so one busy (or hostile) user cannot use up
        // every other user's share of the app.
        String subject = "credential:" + principal.credentialId()
                + principal.actingUser().map(user -> ":user:" + user).orElse("");
        Consumption used = new Consumption(quota, store.tryConsume(subject, quota));
        RateLimitHeaders.write(response, List.of(used));
        if (used.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        rejected.increment();
        long retryAfter = RateLimitHeaders.writeRetryAfter(response, List.of(used));
        String limit = quota.limit() + " requests per minute";
        errors.write(
                response,
                429,
                ApiError.of(
                        "RATE_LIMITED",
                        "This credential may make " + limit + "; retry after " + retryAfter + " s.",
                        limit));
    }
}
