package dev.mercato.auth.oauth;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * The few HTML pages Mercato serves (sign-in and consent): one plain layout, no scripts, every value escaped.
 * Small enough that a template engine would add a dependency and nothing else.
 */
final class Pages {

    /** No scripts, no frames, nothing from elsewhere; the inline style below is the only one. */
    static final String CSP =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; " + "base-uri 'none'";

    private static final String STYLE = """
            body{font:16px/1.5 system-ui,sans-serif;background:#f5f5f4;color:#1c1917;margin:0}
            main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.5rem;
            box-shadow:0 1px 3px rgba(0,0,0,.15)}
            h1{font-size:1.4rem;margin:0 0 1rem}
            label{display:block;font-weight:600;margin-top:1rem}
            input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;
            font:inherit;border:1px solid #78716c;border-radius:.25rem}
            button{font:inherit;padding:.5rem 1.25rem;margin-top:1.5rem;border-radius:.25rem;cursor:pointer;
            border:1px solid #1d4ed8;background:#1d4ed8;color:#fff}
            button.secondary{background:#fff;color:#1d4ed8}
            .actions{display:flex;gap:.75rem;align-items:end}
            .error{color:#b91c1c;background:#fef2f2;border:1px solid #fecaca;padding:.5rem;border-radius:.25rem}
            :focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
            """;

    private Pages() {}

    static String escape(String value) {
        return value == null ? "" : HtmlUtils.htmlEscape(value);
    }

    /** A page; {@code title} is plain text, {@code body} HTML whose values the caller escaped. */
    static ResponseEntity<String> page(int status, String title, String body) {
        String html = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="referrer" content="no-referrer">
                <title>%s - Mercato</title>
                <style>%s</style>
                </head>
                <body>
                <main>
                %s
                </main>
                </body>
                </html>
                """.formatted(escape(title), STYLE, body);
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", CSP)
                .body(html);
    }
}
