package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.security.SignInGuard;
import dev.mercato.users.UserService;
import java.security.SecureRandom;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Service;

/**
 * The dashboard's accounts: the admin's password (configured, generated, reset), and signing in, the admin's and
 * developers', with an account locked for a while after repeated wrong passwords.
 */
@Service
class DashboardAccounts implements AuthenticationProvider {

    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    /** Compared against when the account does not exist, so that an unknown name costs as much as a wrong password. */
    private static final String NO_SUCH_ACCOUNT = PASSWORDS.encode("no such account");

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DashboardAccountRepository repository;
    private final DeveloperService developers;
    private final UserService users;
    private final SignInGuard guard;

    DashboardAccounts(
            DashboardAccountRepository repository, DeveloperService developers, UserService users, SignInGuard guard) {
        this.repository = repository;
        this.developers = developers;
        this.users = users;
        this.guard = guard;
    }

    /**
     * Makes sure the admin account exists with the configured password: returns the password generated for a new
     * admin account when none is configured (to be shown once), else empty.
     */
    Optional<String> ensureAdmin(String configuredPassword) {
        if (!configuredPassword.isEmpty()) {
            if (!repository.create(
                    DashboardAccount.ADMIN, DashboardAccount.ADMIN, PASSWORDS.encode(configuredPassword))) {
                repository
                        .find(DashboardAccount.ADMIN)
                        .filter(admin -> !PASSWORDS.matches(configuredPassword, admin.passwordHash()))
                        .ifPresent(admin ->
                                repository.setPassword(admin.username(), PASSWORDS.encode(configuredPassword)));
            }
            return Optional.empty();
        }
        String generated = generatePassword();
        return repository.create(DashboardAccount.ADMIN, DashboardAccount.ADMIN, PASSWORDS.encode(generated))
                ? Optional.of(generated)
                : Optional.empty();
    }

    /** A new admin password, stored (the account unlocked) and returned to be shown once. */
    String resetAdminPassword() {
        String password = generatePassword();
        if (!repository.create(DashboardAccount.ADMIN, DashboardAccount.ADMIN, PASSWORDS.encode(password))) {
            repository.setPassword(DashboardAccount.ADMIN, PASSWORDS.encode(password));
        }
        guard.unlock(DashboardAccount.ADMIN);
        return password;
    }

    /** 24 random characters of 58 (about 140 bits), which every policy accepts. */
    static String generatePassword() {
        while (true) {
            StringBuilder password = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            if (PasswordPolicy.weakness(password.toString()).isEmpty()) {
                return password.toString();
            }
        }
    }

    /**
     * Signs in the admin (with the dashboard's own password) or a developer (with their user's password), throttled
     * by {@link SignInGuard}. An unknown name costs as much time as a wrong password and says no more.
     */
    @Override
    public Authentication authenticate(Authentication authentication) {
        String username =
                authentication.getName() == null ? "" : authentication.getName().trim();
        String password = authentication.getCredentials() instanceof String given ? given : "";
        String address = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress()
                : null;
        if (username.equalsIgnoreCase(DashboardAccount.ADMIN)) {
            return guard.signIn(
                    DashboardAccount.ADMIN,
                    address,
                    () -> repository
                            .find(DashboardAccount.ADMIN)
                            .filter(admin -> PASSWORDS.matches(password, admin.passwordHash()))
                            .map(admin -> DashboardAuthentication.admin()));
        }
        Optional<Developer> developer = users.findByUsername(Caller.SYSTEM, username)
                .flatMap(user -> developers.find(Caller.SYSTEM, user.id()));
        if (developer.isEmpty()) {
            return guard.signIn(null, address, () -> {
                PASSWORDS.matches(password, NO_SUCH_ACCOUNT);
                return Optional.empty();
            });
        }
        return guard.signIn(
                SignInGuard.userAccount(developer.get().userId()),
                address,
                () -> users.authenticate(username, password)
                        .map(user -> DashboardAuthentication.developer(developer.get())));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
