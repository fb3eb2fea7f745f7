package dev.mercato.ratelimit;

import dev.mercato.web.PayloadTooLargeException;
import dev.mercato.web.Requests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits attempts at {@code POST /oauth/token} per client address and tokens issued per client_id.
 *
 * <p>Every attempt counts against its address, before anything checks the client's secret, failed ones included:
 * this is what bounds guessing from one address (and a client secret is 256 random bits: guessing it is hopeless
 * from any number of addresses). A client's own bucket counts only what it was issued: the attempt takes a token
 * from it before it is checked and gives it back when the request fails (a wrong secret, a refused grant), so
 * anyone who knows a client's public client_id cannot use up its limit, and shut it out, with failing attempts.
 * An attempt refused for its address is not counted against the client at all.
 *
 * <p>The address is {@code request.getRemoteAddr()}: the peer's, or the one {@code X-Forwarded-For} names when
 * {@code server.forward-headers-strategy} says to trust a proxy. Refusals use the OAuth 2.0 error form
 * ({@code {"error": "rate_limited", ...}}), which OAuth client libraries parse.
 */
final class TokenEndpointRateLimitFilter extends OncePerRequestFilter {

    static final String PATH = "/oauth/token";
    static final String IP_POLICY = "ip";
    static final String CLIENT_POLICY = "client";

    private final RateLimitStore store;
    private final Quota perIp;
    private final Quota perClient;
    private final OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();
    private final Counter rejectedByIp;
    private final Counter rejectedByClient;

    TokenEndpointRateLimitFilter(
            RateLimitStore store, int perIpPerMinute, int perClientPerMinute, MeterRegistry meters) {
        this.store = store;
        this.perIp = new Quota(IP_POLICY, perIpPerMinute);
        this.perClient = new Quota(CLIENT_POLICY, perClientPerMinute);
        this.rejectedByIp = RateLimitMetrics.rejected(meters, "token-" + IP_POLICY);
        this.rejectedByClient = RateLimitMetrics.rejected(meters, "token-" + CLIENT_POLICY);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !PATH.equals(Requests.path(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // The address first, before the body is read: a refused address costs no parsing at all.
        List<Consumption> used = new ArrayList<>(2);
        Consumption byIp = new Consumption(perIp, store.tryConsume("token-ip:" + request.getRemoteAddr(), perIp));
        used.add(byIp);
        HttpServletRequest handedOn = request;
        String clientSubject = null;
        if (byIp.allowed()) {
            TokenRequests.TokenRequest attempt;
            try {
                attempt = TokenRequests.read(request);
            } catch (PayloadTooLargeException tooLarge) {
                response.setHeader(HttpHeaders.CONNECTION, "close");
                writeError(response, 413, new OAuth2Error("invalid_request", tooLarge.getMessage(), null));
                return;
            }
            handedOn = attempt.request();
            if (attempt.clientId() != null) {
                clientSubject = "token-client:" + attempt.clientId();
                used.add(new Consumption(perClient, store.tryConsume(clientSubject, perClient)));
            }
        }
        RateLimitHeaders.write(response, used);
        if (used.stream().allMatch(Consumption::allowed)) {
            try {
                chain.doFilter(handedOn, response);
            } finally {
                if (used.size() == 2 && response.getStatus() >= 400) {
                    store.refund(clientSubject, perClient);
                }
            }
            return;
        }
        (byIp.allowed() ? rejectedByClient : rejectedByIp).increment();
        long retryAfter = RateLimitHeaders.writeRetryAfter(response, used);
        String limited = byIp.allowed() ? "for this client" : "from this address";
        writeError(
                response,
                429,
                new OAuth2Error(
                        "rate_limited",
                        "Too many token requests " + limited + "; retry after " + retryAfter + " s.",
                        null));
    }

    /** In RFC 6749's form, written by Spring's own converter, as the authorization server writes its errors. */
    private void writeError(HttpServletResponse response, int status, OAuth2Error error) throws IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        http.setStatusCode(HttpStatusCode.valueOf(status));
        errors.write(error, null, http);
    }
}
