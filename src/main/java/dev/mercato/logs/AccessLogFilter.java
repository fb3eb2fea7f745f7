package dev.mercato.logs;

import dev.mercato.security.Caller;
import dev.mercato.security.RequestCallers;
import dev.mercato.shared.Ids;
import dev.mercato.web.RequestIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records every API request (not health checks, metrics or documentation) and hands the entry to the
 * {@link AccessLogWriter}; nothing on the request's path waits for the database.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class AccessLogFilter extends OncePerRequestFilter {

    private static final String[] UNLOGGED = {"/health", "/metrics", "/openapi", "/docs", "/swagger-ui", "/favicon"};

    private final AccessLogWriter writer;
    private final Clock clock;
    private final boolean enabled;

    AccessLogFilter(AccessLogWriter writer, Clock clock, LogsProperties properties) {
        this.writer = writer;
        this.clock = clock;
        this.enabled = properties.enabled();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!enabled) {
            return true;
        }
        String path = request.getRequestURI();
        for (String prefix : UNLOGGED) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant started = clock.instant();
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long durationMs = (System.nanoTime() - start) / 1_000_000;
            Caller principal = RequestCallers.of(request);
            int status = response.getStatus();
            writer.submit(new PendingEntry(
                    started,
                    request.getMethod(),
                    request.getRequestURI(),
                    status,
                    durationMs,
                    RequestIdFilter.of(request),
                    principal,
                    request.getRemoteAddr()));
        }
    }

    /** What the request thread knows; the writer thread finishes the entry (id, message) off the hot path. */
    record PendingEntry(
            Instant timestamp,
            String method,
            String path,
            int status,
            long durationMs,
            String requestId,
            Caller principal,
            String ipAddress) {

        AccessLogEntry complete() {
            String caller = principal == null ? "Anonymous caller" : "User '" + principal.name() + "'";
            String message = AccessLogEntry.printable(
                    caller + " accessed " + method + " " + path + " (" + status + ", " + durationMs + " ms).");
            return new AccessLogEntry(
                    Ids.generate("log"),
                    timestamp,
                    AccessLogEntry.levelOf(status),
                    message,
                    method,
                    path,
                    status,
                    durationMs,
                    requestId == null ? "" : requestId,
                    principal == null ? null : principal.credentialId(),
                    principal == null ? null : principal.userId(),
                    ipAddress);
        }
    }
}
