package dev.mercato.auth.oauth;

import dev.mercato.security.SignInGuard;
import dev.mercato.users.UserService;
import dev.mercato.web.HtmlPages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The end user's sign-in page, {@code /login}: a form (username, password, CSRF token) checked by
 * {@link UserPasswordAuthenticationProvider}. Signing in starts a servlet session, shared with the
 * authorization server's chain, which sent the browser here and gets it back afterwards (the saved request).
 * This and the consent page are the only stateful part of Mercato; the API stays stateless.
 */
@Configuration(proxyBeanMethods = false)
class SignInConfiguration {

    static final String LOGIN_PAGE = "/login";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityFilterChain signIn(HttpSecurity http, UserService users, SignInGuard guard) throws Exception {
        return http.securityMatcher(LOGIN_PAGE)
                .authenticationManager(new ProviderManager(new UserPasswordAuthenticationProvider(users, guard)))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .formLogin(form -> form.loginPage(LOGIN_PAGE)
                        .failureUrl(LOGIN_PAGE + "?error")
                        .defaultSuccessUrl(LOGIN_PAGE + "?signed-in"))
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(HtmlPages.CSP)))
                .build();
    }
}
