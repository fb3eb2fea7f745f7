package dev.mercato.ratelimit;

import dev.mercato.web.ErrorResponseWriter;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Rate limits ({@code mercato.rate-limit.*}, on unless {@code enabled=false}): one filter per credential behind
 * the security chain, one on the token endpoint in front of it, both over the configured store.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "mercato.rate-limit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

    /** Right behind the security chain (-100), which identifies the credential; before every other filter. */
    static final int CREDENTIAL_FILTER_ORDER = SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1;
    /**
     * Behind request ids, the access log and the body-size limit; in front of everything that reads a token request
     * (the JSON-to-form filter, the security chain), so every attempt is counted before any work is done for it.
     */
    static final int TOKEN_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 4;

    @Bean
    RateLimitStore rateLimitStore(RateLimitProperties properties, ObjectProvider<DataSource> dataSource) {
        return switch (properties.store()) {
            case MEMORY -> new MemoryRateLimitStore();
            case POSTGRESQL -> new PostgresRateLimitStore(dataSource.getObject());
        };
    }

    @Bean
    FilterRegistrationBean<CredentialRateLimitFilter> credentialRateLimits(RateLimitStore store,
            RateLimitProperties properties, ErrorResponseWriter errors, MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(
                new CredentialRateLimitFilter(store, properties.requestsPerMinute(), errors, meters));
        registration.setOrder(CREDENTIAL_FILTER_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<TokenEndpointRateLimitFilter> tokenEndpointRateLimits(RateLimitStore store,
            RateLimitProperties properties, MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(new TokenEndpointRateLimitFilter(store,
                properties.token().perIpPerMinute(), properties.token().perClientPerMinute(), meters));
        registration.addUrlPatterns(TokenEndpointRateLimitFilter.PATH);
        registration.setOrder(TOKEN_FILTER_ORDER);
        return registration;
    }
}
