package dev.mercato.web;

/** What every HTML page Mercato serves (the dashboard, the OAuth sign-in and consent pages) has in common. */
public final class HtmlPages {

    /**
     * The pages' Content-Security-Policy: scripts, styles and fonts from the application's own static files only
     * (no inline script or style, nothing from elsewhere), no framing. It leaves out {@code form-action}, because
     * browsers apply it to the redirects after a post too, and the OAuth pages' forms end at the application's
     * redirect URI.
     */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** {@link #CSP} for pages whose forms post, and are redirected, only to the application itself. */
    public static final String CSP_OWN_FORMS = CSP + "; form-action 'self'";

    private HtmlPages() {}
}
