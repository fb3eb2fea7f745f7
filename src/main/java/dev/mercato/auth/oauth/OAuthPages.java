package dev.mercato.auth.oauth;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;

/**
 * What the end users' pages (sign-in, consent) share: templates under {@code templates/oauth/} on the dashboard's
 * layout, never cached, and no referrer sent from them (their URLs carry authorization requests).
 */
final class OAuthPages {

    private OAuthPages() {}

    static void noStore(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    /** A page that only says something: a heading and a sentence. */
    static String message(Model model, String heading, String message) {
        model.addAttribute("heading", heading);
        model.addAttribute("message", message);
        return "oauth/message";
    }
}
