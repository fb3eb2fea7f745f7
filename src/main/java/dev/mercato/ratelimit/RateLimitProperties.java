package dev.mercato.ratelimit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code mercato.rate-limit.*}: every limit is a number of requests per minute, with a burst of as many.
 *
 * @param enabled whether any limit applies
 * @param store where the buckets live: in this server's memory, or in PostgreSQL shared by every server
 * @param requestsPerMinute the limit of a credential that has none of its own
 * @param token the limits of the OAuth 2.0 token endpoint
 * @param invalidCredentialsPerIpPerMinute requests one client address may make with a bearer credential that is
 *     refused (401); past it, that address's requests with a credential are refused with 429 before the credential
 *     is looked up, until the bucket refills
 */
@ConfigurationProperties(RateLimitProperties.PREFIX)
@Validated
record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("memory") @NotNull Store store,
        @DefaultValue("1200") @Positive int requestsPerMinute,
        @DefaultValue @Valid Token token,
        @DefaultValue("60") @Positive int invalidCredentialsPerIpPerMinute) {

    static final String PREFIX = "mercato.rate-limit";

    enum Store {
        MEMORY,
        POSTGRESQL
    }

    /**
     * @param perIpPerMinute attempts from one client address, whatever client they name
     * @param perClientPerMinute tokens issued to one client_id, from any address (failed attempts are not counted)
     */
    record Token(
            @DefaultValue("60") @Positive int perIpPerMinute,
            @DefaultValue("600") @Positive int perClientPerMinute) {}
}
