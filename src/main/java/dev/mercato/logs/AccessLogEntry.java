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

    /**
     * The text with every control character (CR, LF, ESC, ...) and line separator written as {@code \\uXXXX}, so that
     * a name a caller chose cannot start a forged line or a terminal escape sequence in a log or a screen showing it.
     */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (control) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    static String levelOf(int status) {
        return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
    }
}
