package dev.mercato.auth.oauth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.DefaultOAuth2AccessTokenResponseMapConverter;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * The token response, {@code {"access_token", "token_type": "Bearer", "expires_in", "scope"}}, as Spring writes it
 * but for {@code expires_in}: the token's lifetime (3600), where Spring counts from the moment of writing and
 * says 3599.
 */
final class TokenResponses implements AuthenticationSuccessHandler {

    private final OAuth2AccessTokenResponseHttpMessageConverter converter =
            new OAuth2AccessTokenResponseHttpMessageConverter();

    TokenResponses() {
        DefaultOAuth2AccessTokenResponseMapConverter parameters = new DefaultOAuth2AccessTokenResponseMapConverter();
        converter.setAccessTokenResponseParametersConverter(response -> {
            Map<String, Object> map = parameters.convert(response);
            OAuth2AccessToken token = response.getAccessToken();
            if (token.getIssuedAt() != null && token.getExpiresAt() != null) {
                map.put(
                        OAuth2ParameterNames.EXPIRES_IN,
                        ChronoUnit.SECONDS.between(token.getIssuedAt(), token.getExpiresAt()));
            }
            return map;
        });
    }

    @Override
    public void onAuthenticationSuccess(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        OAuth2AccessTokenAuthenticationToken issued = (OAuth2AccessTokenAuthenticationToken) authentication;
        OAuth2AccessToken accessToken = issued.getAccessToken();
        OAuth2AccessTokenResponse.Builder body = OAuth2AccessTokenResponse.withToken(accessToken.getTokenValue())
                .tokenType(accessToken.getTokenType())
                .scopes(accessToken.getScopes())
                .additionalParameters(issued.getAdditionalParameters());
        if (accessToken.getIssuedAt() != null && accessToken.getExpiresAt() != null) {
            body.expiresIn(ChronoUnit.SECONDS.between(accessToken.getIssuedAt(), accessToken.getExpiresAt()));
        }
        if (issued.getRefreshToken() != null) {
            body.refreshToken(issued.getRefreshToken().getTokenValue());
        }
        converter.write(body.build(), null, new ServletServerHttpResponse(response));
    }
}
