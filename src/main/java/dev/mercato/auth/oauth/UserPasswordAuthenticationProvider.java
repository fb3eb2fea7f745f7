package dev.mercato.auth.oauth;

import dev.mercato.users.UserService;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * Signs a user in with username and password against {@link UserService#authenticate} (bcrypt; inactive users
 * and users without a password cannot sign in). The signed-in principal is the user's id: it becomes the
 * {@code sub} of the tokens the user authorizes. A failure never says whether the username exists.
 */
final class UserPasswordAuthenticationProvider implements AuthenticationProvider {

    static final String FAILED = "Wrong username or password.";

    private final UserService users;

    UserPasswordAuthenticationProvider(UserService users) {
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        Object password = authentication.getCredentials();
        if (username == null || username.isBlank() || !(password instanceof String plain) || plain.isEmpty()) {
            throw new BadCredentialsException(FAILED);
        }
        return users.authenticate(username.trim(), plain)
                .map(user -> UsernamePasswordAuthenticationToken.authenticated(
                        user.id(), null, AuthorityUtils.NO_AUTHORITIES))
                .orElseThrow(() -> new BadCredentialsException(FAILED));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
