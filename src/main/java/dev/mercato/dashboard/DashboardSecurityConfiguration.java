package dev.mercato.dashboard;

import dev.mercato.web.HtmlPages;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The dashboard's own security chain, apart from the API's: form sign-in at {@code /dashboard/login} against
 * {@link DashboardAccounts}, a servlet session (a new one at sign-in, so a session id planted before it is worthless),
 * CSRF tokens on every form, sign-out by POST, and a Content-Security-Policy that allows no inline script or style.
 * The session cookie is {@code HttpOnly} and {@code SameSite=Strict}, and {@code Secure} whenever the request came
 * over HTTPS (application.yml).
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurityConfiguration {

    static final String HOME = "/dashboard";
    static final String LOGIN = "/dashboard/login";
    static final String LOGOUT = "/dashboard/logout";
    /** Where a refused request (a missing or wrong CSRF token, a page for the admin only) is shown, with 403. */
    static final String FORBIDDEN = "/dashboard/forbidden";
    /**
     * Pages only the admin sees. Every other page shows a developer what the scopes they hold let them see over the
     * API (the page's controller checks), and of credentials only their own.
     */
    static final String ADMIN_ONLY = HOME + "/developers/**";

    private static AccessDeniedHandlerImpl forwardTo(String page) {
        AccessDeniedHandlerImpl handler = new AccessDeniedHandlerImpl();
        handler.setErrorPage(page);
        return handler;
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 2)
    SecurityFilterChain dashboard(HttpSecurity http, DashboardAccounts accounts, DeveloperService developers)
            throws Exception {
        return http.securityMatcher(HOME, HOME + "/**")
                .authenticationManager(new ProviderManager(accounts))
                .addFilterBefore(new DeveloperSessionCheck(developers), AuthorizationFilter.class)
                .authorizeHttpRequests(authorize -> authorize
                        .dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(LOGIN, HOME + "/assets/**")
                        .permitAll()
                        .requestMatchers(ADMIN_ONLY)
                        .hasRole("ADMIN")
                        .anyRequest()
                        .authenticated())
                .formLogin(form ->
                        form.loginPage(LOGIN).defaultSuccessUrl(HOME, true).failureUrl(LOGIN + "?error"))
                .exceptionHandling(denied -> denied.accessDeniedHandler(forwardTo(FORBIDDEN)))
                .logout(logout -> logout.logoutUrl(LOGOUT).logoutSuccessUrl(LOGIN + "?signed-out"))
                .httpBasic(basic -> basic.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED)
                        .sessionFixation(fixation -> fixation.newSession()))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(HtmlPages.CSP_OWN_FORMS))
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }
}
