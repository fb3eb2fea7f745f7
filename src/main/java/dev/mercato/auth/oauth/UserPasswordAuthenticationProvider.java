package dev.mercato.auth.oauth;

import dev.mercato.security.Caller;
import dev.mercato.security.SignInGuard;
import dev.mercato.users.UserService;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Signs a user in with username and password against {@link UserService#authenticate} (bcrypt; inactive users
 * and users without a password cannot sign in). The signed-in principal is the user's id: it becomes the
 * {@code sub} of the tokens the user authorizes. A failure never says whether the username exists. Throttled per
 * account and per client address by {@link SignInGuard}, like the dashboard's sign-in.
 */
final class UserPasswordAuthenticationProvider implements AuthenticationProvider {

    private final UserService users;
    private final SignInGuard guard;

    UserPasswordAuthenticationProvider(UserService users, SignInGuard guard) {
        this.users = users;
        this.guard = guard;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        Object password = authentication.getCredentials();
        if (username == null || username.isBlank() || !(password instanceof String plain) || plain.isEmpty()) {
            throw new BadCredentialsException(SignInGuard.FAILED);
        }
        String address = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress()
                : null;
        String account = users.findByUsername(Caller.SYSTEM, username.trim())
                .map(user -> SignInGuard.userAccount(user.id()))
                .orElse(null);
        return guard.signIn(
                account,
                address,
                () -> users.authenticate(username.trim(), plain)
                        .map(user -> UsernamePasswordAuthenticationToken.authenticated(
                                user.id(), null, AuthorityUtils.NO_AUTHORITIES)));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
