package dev.mercato.auth;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * API key authentication ({@code mercato.auth.*}).
 *
 * @param apiKeyCacheTtl how long a verified API key is cached; a revocation clears it at once on the server that
 *     revoked it, on other servers within this time
 */
@ConfigurationProperties("mercato.auth")
@Validated
record AuthProperties(
        @DefaultValue("30s") @DurationMin(nanos = 0) Duration apiKeyCacheTtl) {}
