package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.users.UserService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * The dashboard's accounts: the admin's password (configured, generated, reset), and signing in, the admin's and
 * developers', with an account locked for a while after repeated wrong passwords.
 */
@Service
class DashboardAccounts implements AuthenticationProvider {

    static final String FAILED = "Wrong username or password.";

    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    /** Compared against when the account does not exist, so that an unknown name costs as much as a wrong password. */
    private static final String NO_SUCH_ACCOUNT = PASSWORDS.encode("no such account");

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DashboardAccountRepository repository;
    private final DeveloperService developers;
    private final UserService users;
    private final DashboardProperties properties;
    private final Clock clock;

    DashboardAccounts(
            DashboardAccountRepository repository,
            DeveloperService developers,
            UserService users,
            DashboardProperties properties,
            Clock clock) {
        this.repository = repository;
        this.developers = developers;
        this.users = users;
        this.properties = properties;
        this.clock = clock;
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
     * Signs in the admin (with the dashboard's own password) or a developer (with their user's password). A wrong
     * password counts against the account; enough in a row lock it for {@code mercato.dashboard.lockout}, on every
     * server. An unknown name costs as much time as a wrong password and says no more.
     */
    @Override
    public Authentication authenticate(Authentication authentication) {
        String username =
                authentication.getName() == null ? "" : authentication.getName().trim();
        String password = authentication.getCredentials() instanceof String given ? given : "";
        return username.equalsIgnoreCase(DashboardAccount.ADMIN)
                ? signInAdmin(password)
                : signInDeveloper(username, password);
    }

    private Authentication signInAdmin(String password) {
        DashboardAccount admin =
                repository.find(DashboardAccount.ADMIN).orElseThrow(() -> new BadCredentialsException(FAILED));
        checkNotLocked(admin.username());
        if (!PASSWORDS.matches(password, admin.passwordHash())) {
            throw failure(admin.username());
        }
        repository.clearFailures(admin.username());
        return DashboardAuthentication.admin();
    }

    private Authentication signInDeveloper(String username, String password) {
        Optional<Developer> developer = users.findByUsername(Caller.SYSTEM, username)
                .flatMap(user -> developers.find(Caller.SYSTEM, user.id()));
        if (developer.isEmpty()) {
            PASSWORDS.matches(password, NO_SUCH_ACCOUNT);
            throw new BadCredentialsException(FAILED);
        }
        String account = developer.get().userId();
        checkNotLocked(account);
        if (users.authenticate(username, password).isEmpty()) {
            throw failure(account);
        }
        repository.clearFailures(account);
        return DashboardAuthentication.developer(developer.get());
    }

    private void checkNotLocked(String account) {
        Instant now = clock.instant();
        repository.lockedUntil(account).filter(until -> until.isAfter(now)).ifPresent(until -> {
            throw new LockedException(locked(until, now));
        });
    }

    private BadCredentialsException failure(String account) {
        Instant now = clock.instant();
        repository.countFailure(account, properties.maxFailedSignIns(), now.plus(properties.lockout()));
        return new BadCredentialsException(FAILED);
    }

    private static String locked(Instant lockedUntil, Instant now) {
        long minutes = Math.max(1, (lockedUntil.getEpochSecond() - now.getEpochSecond() + 59) / 60);
        return "Too many wrong passwords: this account is locked for " + minutes + " more minute"
                + (minutes == 1 ? "" : "s") + ".";
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
