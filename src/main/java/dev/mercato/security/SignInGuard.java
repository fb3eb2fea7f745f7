package dev.mercato.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.stereotype.Service;

/**
 * Password sign-ins (the dashboard's, the OAuth sign-in page's) throttled the same way: an account is locked after
 * {@code mercato.sign-in.max-failures} wrong passwords in a row, and a client address is refused after
 * {@code mercato.sign-in.max-failures-per-address} failures to any accounts, each for
 * {@code mercato.sign-in.lockout}. Counted in the database, so every server of a deployment refuses alike. A locked
 * account refuses the right password too, and says for how long; the admin unlocks it by setting a new password or
 * with {@link #unlock}.
 */
@Service
public class SignInGuard {

    /** The one answer to a wrong password or an unknown name: it never says which. */
    public static final String FAILED = "Wrong username or password.";

    private final SignInFailureRepository failures;
    private final SignInProperties properties;
    private final Clock clock;

    SignInGuard(SignInFailureRepository failures, SignInProperties properties, Clock clock) {
        this.failures = failures;
        this.properties = properties;
        this.clock = clock;
    }

    /** The key of a user's account ({@code user:<id>}); the dashboard's admin account's is {@code admin}. */
    public static String userAccount(String userId) {
        return "user:" + userId;
    }

    /**
     * Signs in to {@code account} (null when the name given matches none) from {@code address}: refused while
     * either is locked; otherwise {@code check} verifies the password, and its empty answer is counted as a failure
     * of both. Throws {@link LockedException} or {@link BadCredentialsException} with a message for the person.
     */
    public <T> T signIn(String account, String address, Supplier<Optional<T>> check) {
        Instant now = clock.instant();
        List<String> keys = new ArrayList<>();
        if (account != null) {
            keys.add(account);
        }
        if (address != null) {
            keys.add(addressKey(address));
        }
        failures.lockedUntil(keys, now).ifPresent(until -> {
            throw new LockedException("Too many failed sign-ins: signing in is refused for " + minutes(until, now)
                    + ". Try again then, or ask the admin to unlock the account.");
        });
        Optional<T> signedIn = check.get();
        if (signedIn.isEmpty()) {
            Instant forgetBefore = now.minus(properties.lockout());
            Instant lockedUntil = now.plus(properties.lockout());
            if (account != null) {
                failures.countFailure(account, properties.maxFailures(), now, forgetBefore, lockedUntil);
            }
            if (address != null) {
                failures.countFailure(
                        addressKey(address), properties.maxFailuresPerAddress(), now, forgetBefore, lockedUntil);
            }
            throw new BadCredentialsException(FAILED);
        }
        if (account != null) {
            failures.clear(account);
        }
        return signedIn.get();
    }

    /** Lets the account sign in again at once (a new password, the admin's decision). */
    public void unlock(String account) {
        failures.clear(account);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static String minutes(Instant until, Instant now) {
        long minutes = Math.max(1, (Duration.between(now, until).getSeconds() + 59) / 60);
        return minutes + " more minute" + (minutes == 1 ? "" : "s");
    }
}
