package dev.mercato.idempotency;

import dev.mercato.security.Caller;
import dev.mercato.security.RequestCallers;
import dev.mercato.web.ApiError;
import dev.mercato.web.BufferedBodyRequest;
import dev.mercato.web.ErrorResponseWriter;
import dev.mercato.web.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on POST requests: the first response to a key is stored and replayed, with
 * {@code Idempotent-Replayed: true}, to retries of the same request by the same credential; the same key on a
 * different request is refused with 422, and a retry while the first is still running with 409. Runs after
 * authentication (keys are scoped to the credential, and to the user a token acts for) and around everything
 * that does the work.
 */
@Component
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;
    private static final List<String> REPLAYED_HEADERS =
            List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION, HttpHeaders.ETAG);
    /**
     * Answers that are not kept, so the key can be retried: the request was malformed or not allowed (it did
     * nothing), or the server failed and the client should be able to try again.
     */
    private static final Set<Integer> NOT_STORED = Set.of(400, 401, 403, 405, 413, 415, 422, 429);
    /**
     * A key in use was claimed by a request that usually finishes within milliseconds: while that request is
     * younger than this, a retry is worth making in a second. An older one is slow, or its server died and its
     * claim is free once the lease runs out; retrying every few seconds is enough.
     */
    private static final Duration FRESH = Duration.ofSeconds(5);

    private static final String RETRY_FRESH = "1";
    private static final String RETRY_STALE = "5";

    private final IdempotencyStore store;
    private final ErrorResponseWriter errors;
    private final Clock clock;

    IdempotencyFilter(IdempotencyStore store, ErrorResponseWriter errors, Clock clock) {
        this.store = store;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller principal = RequestCallers.of(request);
        if (principal == null) {
            // Not an authenticated API call (the security filters have already answered those that need one).
            chain.doFilter(request, response);
            return;
        }
        String key = request.getHeader(HEADER);
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            errors.write(
                    response,
                    400,
                    ApiError.of(
                            "INVALID_PARAMETER",
                            "The Idempotency-Key header must be 1 to " + MAX_KEY_LENGTH + " characters.",
                            HEADER));
            return;
        }
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (PayloadTooLargeException tooLarge) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            errors.write(response, 413, ApiError.of("PAYLOAD_TOO_LARGE", tooLarge.getMessage(), ""));
            return;
        }
        String owner = keyOwner(principal);
        String hash = RequestFingerprint.of(
                request.getMethod(), request.getRequestURI(), request.getQueryString(), request.getContentType(), body);
        Optional<IdempotencyStore.Claim> claim = store.claim(owner, key, hash);
        if (claim.isEmpty()) {
            answerFromStore(owner, key, hash, request, response, chain, body);
            return;
        }
        run(claim.get(), new BufferedBodyRequest(request, body, null), response, chain);
    }

    private void answerFromStore(
            String owner,
            String key,
            String hash,
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            byte[] body)
            throws IOException, ServletException {
        var entry = store.find(owner, key);
        if (entry.isEmpty()) {
            // Released or purged between our claim and this read: claim afresh.
            Optional<IdempotencyStore.Claim> claim = store.claim(owner, key, hash);
            if (claim.isPresent()) {
                run(claim.get(), new BufferedBodyRequest(request, body, null), response, chain);
            } else {
                inUse(response, clock.instant());
            }
            return;
        }
        var stored = entry.get();
        if (!stored.requestHash().equals(hash)) {
            errors.write(
                    response,
                    422,
                    ApiError.of(
                            "IDEMPOTENCY_KEY_REUSED",
                            "This Idempotency-Key was already "
                                    + "used for a different request; use a new key for a new request.",
                            HEADER));
        } else if (!stored.completed()) {
            inUse(response, stored.claimedAt());
        } else {
            response.setStatus(stored.status());
            stored.headers().forEach(response::setHeader);
            response.setHeader(REPLAYED, "true");
            response.setContentLength(stored.body().length);
            response.getOutputStream().write(stored.body());
        }
    }

    private void inUse(HttpServletResponse response, Instant claimedAt) throws IOException {
        boolean fresh = clock.instant().isBefore(claimedAt.plus(FRESH));
        response.setHeader(HttpHeaders.RETRY_AFTER, fresh ? RETRY_FRESH : RETRY_STALE);
        errors.write(
                response,
                409,
                ApiError.of(
                        "IDEMPOTENCY_KEY_IN_USE",
                        "A request with this Idempotency-Key " + "is still being processed; retry after it finishes.",
                        HEADER));
    }

    private void run(
            IdempotencyStore.Claim claim, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        IdempotentCreation.bind(claim);
        try {
            chain.doFilter(request, recorded);
        } catch (IOException | ServletException | RuntimeException e) {
            store.release(claim);
            throw e;
        } finally {
            IdempotentCreation.unbind();
        }
        int status = recorded.getStatus();
        if (claim.createdResource() != null && status < 300) {
            // An earlier attempt created the resource and died before storing its answer: this is that answer.
            recorded.setHeader(REPLAYED, "true");
        }
        if (status < 300 && showsASecret(recorded)) {
            storeSecretShownOnce(claim, recorded);
        } else if (status >= 500 || NOT_STORED.contains(status) || mustNotBeStored(recorded)) {
            store.release(claim);
        } else {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : REPLAYED_HEADERS) {
                String value = recorded.getHeader(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            store.complete(claim, status, headers, recorded.getContentAsByteArray());
        }
        recorded.copyBodyToResponse();
    }

    /**
     * A creation whose answer shows a secret once (an API key, a client secret, a webhook signing secret) is not
     * run again by a retry, which would make a second live credential, nor replayed, which would keep the secret in
     * the store: a retry gets 409 {@code SECRET_SHOWN_ONCE} with the {@code Location} of what the first request
     * created, so a client that lost the first answer can delete it or rotate its secret.
     */
    private void storeSecretShownOnce(IdempotencyStore.Claim claim, HttpServletResponse created) {
        String location = created.getHeader(HttpHeaders.LOCATION);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.CONTENT_TYPE, "application/json");
        if (location != null) {
            headers.put(HttpHeaders.LOCATION, location);
        }
        ApiError error = ApiError.of(
                "SECRET_SHOWN_ONCE",
                "A request with this Idempotency-Key already created " + (location == null ? "this" : location)
                        + "; its secret was in that answer only and is not shown again. If that answer was lost, "
                        + "delete it (or rotate its secret) and create another with a new key.",
                location == null ? HEADER : location);
        store.complete(claim, 409, headers, errors.bytes(error));
    }

    /** A successful creation marked {@code Cache-Control: no-store}: its answer carries a secret shown once. */
    private static boolean showsASecret(HttpServletResponse response) {
        String cacheControl = response.getHeader(HttpHeaders.CACHE_CONTROL);
        return response.getHeader(HttpHeaders.RETRY_AFTER) == null
                && cacheControl != null
                && cacheControl.toLowerCase(java.util.Locale.ROOT).contains("no-store");
    }

    /**
     * Whose keys these are: the credential's, and for a token acting for a user, that user's within it. One OAuth
     * client holds the tokens of all the users who authorized it; were its keys shared, one user's retry could
     * replay another's stored response, past the ownership checks that the replay skips.
     */
    private static String keyOwner(Caller principal) {
        return principal
                .actingUser()
                .map(user -> principal.credentialId() + "/" + user)
                .orElse(principal.credentialId());
    }

    /**
     * An answer with {@code Retry-After} is temporary (a payment still in flight), and another marked
     * {@code Cache-Control: no-store} is not for keeping: neither is written to the store, so a retry under the key
     * runs again instead of replaying it.
     */
    private static boolean mustNotBeStored(HttpServletResponse response) {
        if (response.getHeader(HttpHeaders.RETRY_AFTER) != null) {
            return true;
        }
        String cacheControl = response.getHeader(HttpHeaders.CACHE_CONTROL);
        return cacheControl != null
                && cacheControl.toLowerCase(java.util.Locale.ROOT).contains("no-store");
    }
}
