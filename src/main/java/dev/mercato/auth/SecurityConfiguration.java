package dev.mercato.auth;

import dev.mercato.security.CallerFilter;
import dev.mercato.security.Scope;
import dev.mercato.security.ScopeAuthorization;
import dev.mercato.web.ApiError;
import dev.mercato.web.DatabaseUnavailable;
import dev.mercato.web.ErrorResponseWriter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The API is stateless: every call carries a bearer credential, authenticated by Spring Security's OAuth 2.0
 * resource server with Mercato's own credentials ({@link BearerCredentials}: API keys and JWT access tokens).
 * Operational and documentation endpoints are open; everything else needs an authenticated caller holding the
 * scope of the endpoint's {@code @RequiresScope} (checked by {@code security.ScopeAuthorization} once Spring MVC knows the
 * endpoint).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String[] OPEN_PATHS = {
        "/health",
        "/health/**",
        "/openapi/**",
        "/docs",
        "/docs/**",
        "/swagger-ui/**",
        "/error",
        "/favicon.ico",
        // Stripe's events: signed with the endpoint's secret instead of a credential (payments.StripeEvents).
        "/webhooks/stripe"
    };

    /** The actuator's Prometheus endpoint, which Spring MVC's own routes do not know. */
    static final String METRICS = "/metrics";

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            List<CredentialVerifier> verifiers,
            ObjectProvider<CallerFilter> callerFilters,
            AuthenticationEntryPoint entryPoint,
            AccessDeniedHandler accessDeniedHandler)
            throws Exception {
        BearerCredentials credentials = new BearerCredentials(verifiers);
        callerFilters.orderedStream().forEach(filter -> http.addFilterBefore(filter, AuthorizationFilter.class));
        return http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                // Responses carry ETags for revalidation; Spring Security's blanket no-store would defeat them.
                .headers(headers -> headers.cacheControl(cache -> cache.disable()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(OPEN_PATHS)
                        .permitAll()
                        // The JVM, the data directory, per-route traffic: for the operator's scraper, not the public.
                        .requestMatchers(METRICS)
                        .access(ScopeAuthorization.requiring(Scope.METRICS_READ))
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .authenticationConverter(credentials)
                        .authenticationManagerResolver(credentials)
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDeniedHandler))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDeniedHandler))
                .build();
    }

    /**
     * No observation of each security filter, authentication and authorization: with an observation registry
     * present, Spring Security otherwise wraps every filter of every chain in an observing one, which cost about
     * 3% of a request for traces nobody reads. Request metrics ({@code http.server.requests}) stay.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Whether no endpoint serves the request's path with any method (a wrong method is still a route: 405). */
    private static boolean routeless(RequestMappingHandlerMapping routes, HttpServletRequest request) {
        try {
            if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
                ServletRequestPathUtils.parseAndCache(request);
            }
            return routes.getHandler(request) == null;
        } catch (Exception routedWithAnotherMethodOrMediaType) {
            return false;
        }
    }

    @Bean
    AuthenticationEntryPoint bearerEntryPoint(
            ErrorResponseWriter errors,
            @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping routes) {
        return (request, response, exception) -> {
            // A path no endpoint serves is 404 with or without a credential: the OpenAPI documents are public, so a
            // 401 would hide nothing and only mislead. Asked only here, so authenticated requests pay nothing for it.
            if (!METRICS.equals(request.getRequestURI()) && routeless(routes, request)) {
                errors.write(
                        response,
                        404,
                        ApiError.of("NOT_FOUND", "No endpoint matches this path.", request.getRequestURI()));
                return;
            }
            if (DatabaseUnavailable.is(exception)) {
                errors.writeDatabaseUnavailable(response); // the credential could not be looked up
                return;
            }
            boolean tokenGiven = request.getHeader("Authorization") != null;
            response.setHeader("WWW-Authenticate", tokenGiven ? "Bearer error=\"invalid_token\"" : "Bearer");
            String message = tokenGiven
                    ? exception.getMessage()
                    : "Authentication is required: send 'Authorization: Bearer <API key or access token>'.";
            errors.write(response, 401, ApiError.of(tokenGiven ? "INVALID_TOKEN" : "UNAUTHORIZED", message, ""));
        };
    }

    @Bean
    AccessDeniedHandler accessDeniedHandler(ErrorResponseWriter errors) {
        return (request, response, exception) -> {
            if (exception instanceof AuthorizationDeniedException denied
                    && denied.getAuthorizationResult() instanceof ScopeAuthorization.MissingScope missing) {
                response.setHeader("WWW-Authenticate", missing.challenge());
                errors.write(response, 403, missing.error());
                return;
            }
            errors.write(
                    response, 403, ApiError.of("FORBIDDEN", "This credential may not perform this operation.", ""));
        };
    }
}
