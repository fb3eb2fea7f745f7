package dev.mercato.auth.oauth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.mercato.web.HtmlPages;
import java.time.Clock;
import java.util.Collections;
import javax.sql.DataSource;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The OAuth 2.0 authorization server, built on Spring Security's: its own filter chain, ahead of the API's,
 * for {@code /oauth/*} and the metadata documents. Clients, grants and signing keys live in PostgreSQL, so
 * any number of servers on one database issue, verify, introspect and revoke each other's tokens.
 *
 * <p>Supported: client_credentials (client_secret_basic or client_secret_post, or the v2 reference's JSON
 * body); authorization_code with PKCE (S256) and rotating refresh tokens for clients registered with redirect
 * URIs, the user signing in at {@code /login} ({@link SignInConfiguration}) and consenting at
 * {@code /oauth/consent} ({@link ConsentPageController}); RS256 JWT access tokens (RFC 9068), JWKS,
 * introspection (RFC 7662), revocation (RFC 7009), metadata (RFC 8414).
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

    static final String TOKEN_ENDPOINT = "/oauth/token";
    static final String JWKS_ENDPOINT = "/oauth/jwks";
    static final String INTROSPECTION_ENDPOINT = "/oauth/introspect";
    static final String REVOCATION_ENDPOINT = "/oauth/revoke";
    static final String AUTHORIZATION_ENDPOINT = "/oauth/authorize";
    static final String CONSENT_PAGE = "/oauth/consent";
    private static final String METADATA = "/.well-known/oauth-authorization-server";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain authorizationServer(
            HttpSecurity http,
            OAuthErrors errors,
            RegisteredClientRepository clients,
            OAuth2AuthorizationService authorizations)
            throws Exception {
        return http.securityMatcher("/oauth/**", METADATA, ServerMetadata.OPENID_CONFIGURATION)
                .oauth2AuthorizationServer(server -> server.clientAuthentication(authentication -> authentication
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof ClientSecretAuthenticationProvider secrets) {
                                        secrets.setPasswordEncoder(ClientSecrets.encoder());
                                    }
                                }))
                                .errorResponseHandler(errors))
                        .tokenEndpoint(
                                token -> token.accessTokenRequestConverter(new ClientCredentialsRequestConverter())
                                        .accessTokenResponseHandler(new TokenResponses())
                                        .errorResponseHandler(errors))
                        .authorizationEndpoint(authorization -> authorization
                                .authorizationRequestConverter(new AuthorizationRequestGuard(clients))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider
                                            instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                        codes.setAuthenticationValidator(
                                                new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                                        .andThen(EndUserScopes::validate));
                                    }
                                }))
                                .consentPage(CONSENT_PAGE)
                                .errorResponseHandler(new AuthorizationErrorResponses(errors)))
                        .tokenIntrospectionEndpoint(introspection -> introspection
                                .authenticationProviders(providers -> OwnTokensOnly.apply(providers, authorizations))
                                .errorResponseHandler(errors))
                        .tokenRevocationEndpoint(revocation -> revocation
                                .authenticationProviders(providers -> OwnTokensOnly.apply(providers, authorizations))
                                .errorResponseHandler(errors))
                        .authorizationServerMetadataEndpoint(
                                metadata -> metadata.authorizationServerMetadataCustomizer(ServerMetadata::describe)))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(AUTHORIZATION_ENDPOINT, CONSENT_PAGE)
                        .authenticated()
                        .anyRequest()
                        .permitAll())
                .addFilterBefore(
                        new ServerMetadata.OpenIdConfigurationFilter(), AbstractPreAuthenticatedProcessingFilter.class)
                // The consent form is protected by its state value, which Spring binds to the signed-in user's
                // pending authorization; the other endpoints authenticate clients, not browsers.
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                // The only stateful part of Mercato: a browser signs in (SignInConfiguration) and comes back to
                // the authorization request it started, kept in its servlet session. Nothing else creates one.
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(HtmlPages.CSP)))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(
                        new LoginUrlAuthenticationEntryPoint(SignInConfiguration.LOGIN_PAGE)))
                .build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(OAuthProperties properties) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder()
                .authorizationEndpoint(AUTHORIZATION_ENDPOINT)
                .tokenEndpoint(TOKEN_ENDPOINT)
                .jwkSetEndpoint(JWKS_ENDPOINT)
                .tokenIntrospectionEndpoint(INTROSPECTION_ENDPOINT)
                .tokenRevocationEndpoint(REVOCATION_ENDPOINT);
        if (properties.issuer() != null) {
            settings.issuer(properties.issuer());
        }
        return settings.build();
    }

    @Bean
    OAuthErrors oauthErrors() {
        return new OAuthErrors();
    }

    /** Ahead of the security filters, so the authorization server sees the JSON token request as a form. */
    @Bean
    FilterRegistrationBean<JsonTokenRequestFilter> jsonTokenRequestFilter(OAuthErrors errors) {
        FilterRegistrationBean<JsonTokenRequestFilter> registration =
                new FilterRegistrationBean<>(new JsonTokenRequestFilter(TOKEN_ENDPOINT, errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** Without a configured issuer, OAuth answers at loopback addresses only (see the filter). */
    @Bean
    FilterRegistrationBean<UnconfiguredIssuerFilter> unconfiguredIssuerFilter(
            OAuthProperties properties, OAuthErrors errors) {
        FilterRegistrationBean<UnconfiguredIssuerFilter> registration =
                new FilterRegistrationBean<>(new UnconfiguredIssuerFilter(errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3); // before the token endpoint's rate limits
        registration.setEnabled(properties.issuer() == null);
        return registration;
    }

    @Bean
    IssuerResolver issuerResolver(OAuthProperties properties) {
        return new IssuerResolver(properties.issuer());
    }

    // ---- storage: everything shared between servers is in PostgreSQL ----

    @Bean
    @DependsOnDatabaseInitialization
    CachedRegisteredClients registeredClientRepository(JdbcOperations jdbc, OAuthProperties properties) {
        return new CachedRegisteredClients(new ConfiguredTokenSettings(
                new JdbcRegisteredClientRepository(jdbc), properties.accessTokenTtl(), properties.refreshTokenTtl()));
    }

    @Bean
    @DependsOnDatabaseInitialization
    OAuth2AuthorizationService authorizationService(
            JdbcOperations jdbc,
            RegisteredClientRepository clients,
            AccessTokenVerifier tokens,
            RevocationRepository revocations,
            RevokedTokens revoked,
            PlatformTransactionManager transactions) {
        return new AuthorizationStore(
                new HashedTokenValues(new JdbcOAuth2AuthorizationService(jdbc, clients)),
                clients,
                tokens,
                revocations,
                revoked,
                new TransactionTemplate(transactions));
    }

    @Bean
    @DependsOnDatabaseInitialization
    OAuth2AuthorizationConsentService authorizationConsentService(
            JdbcOperations jdbc, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
    }

    // ---- signing keys and tokens ----

    @Bean
    @DependsOnDatabaseInitialization
    SigningKeyStore signingKeyStore(
            SigningKeyRepository repository,
            PlatformTransactionManager transactions,
            Clock clock,
            OAuthProperties properties) {
        SigningKeyStore store = new SigningKeyStore(
                repository,
                new TransactionTemplate(transactions),
                clock,
                properties.keyRotation(),
                properties.accessTokenTtl());
        store.ensureKeys();
        return store;
    }

    /** The JWKS endpoint publishes this. */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeyStore keys) {
        return keys.publishedKeys();
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKeyStore keys) {
        return new NimbusJwtEncoder(keys.currentSigningKey());
    }

    /**
     * RFC 9068 access tokens: {@code typ: at+jwt}, {@code aud} is the API, {@code client_id}, and {@code scope}
     * as one space-separated string (Spring writes an array). {@code iss}, {@code sub} (the client id for
     * client_credentials), {@code exp}, {@code iat}, {@code nbf} and {@code jti} are Spring's.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> accessTokenClaims(OAuthProperties properties) {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            context.getJwsHeader().type("at+jwt");
            context.getClaims()
                    // A list type Spring's stored-token JSON allows (List.of's is refused when read back).
                    .audience(Collections.singletonList(properties.audience()))
                    .claim("client_id", context.getRegisteredClient().getClientId())
                    .claims(claims -> claims.remove("scope"));
            if (!context.getAuthorizedScopes().isEmpty()) {
                context.getClaims().claim("scope", String.join(" ", context.getAuthorizedScopes()));
            }
        };
    }

    // ---- the resource side: verifying access tokens on API requests ----

    @Bean
    @DependsOnDatabaseInitialization
    RevokedTokens revokedTokens(RevocationRepository repository, Clock clock) {
        return new RevokedTokens(repository, clock);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @DependsOnDatabaseInitialization
    RevocationListener revocationListener(
            DataSource dataSource,
            OAuthProperties properties,
            Environment environment,
            RevokedTokens revoked,
            CachedRegisteredClients clients) {
        DataSource listening = properties.listenUrl() == null
                ? dataSource
                : new DriverManagerDataSource(
                        properties.listenUrl(),
                        environment.getProperty("spring.datasource.username"),
                        environment.getProperty("spring.datasource.password"));
        return new RevocationListener(listening, revoked, clients);
    }

    @Bean
    @Order(0)
    AccessTokenVerifier accessTokenVerifier(
            SigningKeyStore keys,
            RevokedTokens revoked,
            IssuerResolver issuers,
            OAuthProperties properties,
            OAuthClientService clients) {
        return new AccessTokenVerifier(keys, revoked, issuers::current, properties.audience(), clients::identityOf);
    }
}
