package dev.mercato.auth.oauth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Without {@code mercato.oauth.issuer}, the issuer is derived from the address a request names (its {@code Host},
 * or forwarded headers), which a client chooses: it would decide the issuer in the tokens, the metadata's URLs and
 * where the sign-in page sends a browser back. That is safe on a developer's machine only, so the OAuth endpoints
 * and the sign-in page then answer requests addressed to a loopback host alone ({@code localhost}, 127.0.0.0/8,
 * {@code ::1}); any other is refused with 421 and the setting to make. With the issuer set, nothing here applies.
 */
final class UnconfiguredIssuerFilter extends OncePerRequestFilter {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]+]?");

    private final OAuthErrors errors;

    UnconfiguredIssuerFilter(OAuthErrors errors) {
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.startsWith("/oauth/")
                || path.startsWith("/.well-known/")
                || path.equals(SignInConfiguration.LOGIN_PAGE));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isLoopback(request.getServerName())) {
            chain.doFilter(request, response);
            return;
        }
        errors.write(
                response,
                HttpStatus.MISDIRECTED_REQUEST,
                "invalid_request",
                "This server has no configured issuer (mercato.oauth.issuer, e.g. https://shop.example.com), so it "
                        + "serves OAuth only at a loopback address such as localhost; set it to serve it at "
                        + request.getServerName() + ".");
    }

    static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true; // RFC 6761: always the loopback interface
        }
        if (!IP_LITERAL.matcher(name).matches()) {
            return false; // a name: never resolved for this, it is the client's to choose
        }
        try {
            return InetAddress.getByName(name.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
