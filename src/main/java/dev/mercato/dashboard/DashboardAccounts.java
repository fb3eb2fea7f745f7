package dev.mercato.dashboard;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * The dashboard's accounts: the admin's password (configured, generated, reset) and signing in, with the account
 * locked for a while after repeated wrong passwords.
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
    private final DashboardProperties properties;
    private final Clock clock;

    DashboardAccounts(DashboardAccountRepository repository, DashboardProperties properties, Clock clock) {
        this.repository = repository;
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

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username =
                authentication.getName() == null ? "" : authentication.getName().trim();
        String password = authentication.getCredentials() instanceof String given ? given : "";
        Instant now = clock.instant();
        Optional<DashboardAccount> account = repository.find(username);
        if (account.isEmpty()) {
            PASSWORDS.matches(password, NO_SUCH_ACCOUNT);
            throw new BadCredentialsException(FAILED);
        }
        if (account.get().lockedAt(now)) {
            throw new LockedException(locked(account.get(), now));
        }
        if (!PASSWORDS.matches(password, account.get().passwordHash())) {
            repository.countFailure(username, properties.maxFailedSignIns(), now.plus(properties.lockout()));
            throw new BadCredentialsException(FAILED);
        }
        repository.clearFailures(username);
        return UsernamePasswordAuthenticationToken.authenticated(
                username,
                null,
                AuthorityUtils.createAuthorityList(
                        "ROLE_" + account.get().role().toUpperCase()));
    }

    private static String locked(DashboardAccount account, Instant now) {
        long minutes = Math.max(1, (account.lockedUntil().getEpochSecond() - now.getEpochSecond() + 59) / 60);
        return "Too many wrong passwords: this account is locked for " + minutes + " more minute"
                + (minutes == 1 ? "" : "s") + ".";
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
