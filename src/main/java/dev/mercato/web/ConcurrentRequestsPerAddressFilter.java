package dev.mercato.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request at once, with 429 {@code TOO_MANY_CONCURRENT_REQUESTS}, when its client address already has
 * {@code mercato.http.max-concurrent-requests-per-address} requests in progress: before anything reads its body, so a
 * client that sends bodies a byte at a time holds at most that many of the server's worker threads, and the others
 * (health checks included) keep answering. Behind a reverse proxy every client has the proxy's address: set
 * {@code server.forward-headers-strategy} so that the client's own address counts, or raise the limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ConcurrentRequestsPerAddressFilter extends OncePerRequestFilter {

    private final int limit;
    private final ErrorResponseWriter errors;
    private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    ConcurrentRequestsPerAddressFilter(HttpProperties properties, ErrorResponseWriter errors) {
        this.limit = properties.maxConcurrentRequestsPerAddress();
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        AtomicInteger count = inProgress.compute(address, (key, current) -> {
            AtomicInteger counter = current == null ? new AtomicInteger() : current;
            counter.incrementAndGet();
            return counter;
        });
        try {
            if (count.get() > limit) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                response.setHeader(HttpHeaders.CONNECTION, "close");
                errors.write(
                        response,
                        429,
                        ApiError.of(
                                "TOO_MANY_CONCURRENT_REQUESTS",
                                "This address already has " + limit + " requests in progress: wait for them to end.",
                                ""));
                return;
            }
            chain.doFilter(request, response);
        } finally {
            inProgress.computeIfPresent(address, (key, counter) -> counter.decrementAndGet() == 0 ? null : counter);
        }
    }

    /** Requests in progress per address, for tests of the limit. */
    int inProgress(String address) {
        AtomicInteger count = inProgress.get(address);
        return count == null ? 0 : count.get();
    }
}
