package dev.mercato.ratelimit;

import dev.mercato.web.ErrorResponseWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Rate limits ({@code mercato.rate-limit.*}, on unless {@code enabled=false}): one filter per credential inside
 * the security chain, right after authentication, one on the token endpoint in front of it, both over the
 * configured store.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RateLimitConfiguration.Enabled.class)
class RateLimitConfiguration {

    /**
     * Behind request ids, the access log and the body-size limit; in front of everything that reads a token request
     * (the JSON-to-form filter, the security chain), so every attempt is counted before any work is done for it.
     */
    static final int TOKEN_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 4;

    /** Placed in the security chain, right behind authentication (it needs the credential). */
    @Bean
    CredentialRateLimitFilter credentialRateLimits(
            RateLimitStore store, RateLimitProperties properties, ErrorResponseWriter errors, MeterRegistry meters) {
        return new CredentialRateLimitFilter(store, properties.requestsPerMinute(), errors, meters);
    }

    @Bean
    FilterRegistrationBean<CredentialRateLimitFilter> credentialRateLimitsOnlyInTheSecurityChain(
            CredentialRateLimitFilter filter) {
        var registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    FilterRegistrationBean<TokenEndpointRateLimitFilter> tokenEndpointRateLimits(
            RateLimitStore store, RateLimitProperties properties, MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(new TokenEndpointRateLimitFilter(
                store, properties.token().perIpPerMinute(), properties.token().perClientPerMinute(), meters));
        registration.addUrlPatterns(TokenEndpointRateLimitFilter.PATH);
        registration.setOrder(TOKEN_FILTER_ORDER);
        return registration;
    }

    /** In front of the security chain, which looks the credential up. */
    @Bean
    FilterRegistrationBean<InvalidCredentialsFilter> invalidCredentialLimits(
            RateLimitStore store, RateLimitProperties properties, ErrorResponseWriter errors, MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(
                new InvalidCredentialsFilter(store, properties.invalidCredentialsPerIpPerMinute(), errors, meters));
        registration.setOrder(TOKEN_FILTER_ORDER);
        return registration;
    }

    /** Decided before any bean exists, so bound here from the environment as the properties bean will be. */
    static final class Enabled implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment())
                    .bindOrCreate(RateLimitProperties.PREFIX, RateLimitProperties.class)
                    .enabled();
        }
    }
}
