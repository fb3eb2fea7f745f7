package dev.mercato.logs;

import java.time.Instant;

/** One API request as the access log records it. */
public record AccessLogEntry(
        String id,
        Instant timestamp,
        String level,
        String message,
        String method,
        String path,
        int status,
        long durationMs,
        String requestId,
        String credentialId,
        String userId,
        String ipAddress) {

    static String levelOf(int status) {
        return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
    }
}
