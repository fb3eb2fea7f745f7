package dev.mercato.users;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import dev.mercato.idempotency.IdempotentCreation;
import dev.mercato.ratelimit.Allowances;
import dev.mercato.security.Caller;
import dev.mercato.security.SignInGuard;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.LimitExceededException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.shared.StaleVersionException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users: lookups for other features, and the changes the v2 API makes. */
@Service
public class UserService {

    /** bcrypt through the delegating encoder, so stored hashes name their algorithm ({bcrypt}...) and can move on. */
    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final int MIN_PASSWORD_SCORE = 2;
    /** Loads its dictionaries once; measuring is thread-safe. */
    private static final Zxcvbn STRENGTH = new Zxcvbn();
    /** bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused. */
    private static final int MAX_PASSWORD_BYTES = 72;

    static final int IDENTITY_CHANGES_PER_HOUR = 10;

    /**
     * Checked when the user does not exist, so that a wrong username costs as much time as a wrong password. Made at
     * the first sign-in rather than at start-up, where a bcrypt hash is a noticeable part of the time to be ready.
     */
    private static final class AbsentUser {
        static final String HASH = PASSWORDS.encode("no such user");
    }

    private final UserRepository repository;
    private final ApplicationEventPublisher events;
    private final IdempotentCreation creation;
    private final SignInGuard signIns;
    private final Allowances allowances;

    UserService(
            UserRepository repository,
            ApplicationEventPublisher events,
            IdempotentCreation creation,
            SignInGuard signIns,
            Allowances allowances) {
        this.signIns = signIns;
        this.allowances = allowances;
        this.repository = repository;
        this.events = events;
        this.creation = creation;
    }

    /** The user, if it exists and the caller may see it (a user-authorized token sees only its own user). */
    public Optional<User> find(Caller caller, String id) {
        return caller.mayAccess(id) ? repository.findById(id) : Optional.empty();
    }

    /** The user with this username, whatever its case. */
    public Optional<User> findByUsername(Caller caller, String username) {
        return repository
                .findWithPasswordHash(username)
                .map(Map.Entry::getKey)
                .filter(user -> caller.mayAccess(user.id()));
    }

    /** The users of these ids that exist and the caller may see, by id: one query for a page of references. */
    public Map<String, User> findAll(Caller caller, Collection<String> ids) {
        return repository.findByIds(ids).stream()
                .filter(user -> caller.mayAccess(user.id()))
                .collect(Collectors.toMap(User::id, user -> user));
    }

    public User get(Caller caller, String id) {
        return find(caller, id).orElseThrow(() -> new NotFoundException("user", id));
    }

    /** All users, or for a user-authorized token only its own user. */
    public Page<User> list(Caller caller, String status, PageParams page) {
        Optional<String> acting = caller.actingUser();
        if (acting.isEmpty()) {
            return repository.findAll(status, page);
        }
        List<User> self =
                repository
                        .findById(acting.get())
                        .filter(user -> status == null || user.status().equals(status))
                        .stream()
                        .toList();
        return new Page<>(page.offset() == 0 ? self : List.of(), self.size());
    }

    /** A token acting for one user cannot create others (403). */
    @Transactional
    public User create(Caller caller, UserDraft draft) {
        if (caller.actingUser().isPresent()) {
            throw new ForbiddenException(
                    "FORBIDDEN", "A token authorized by a user acts for that user only and cannot create users.", "");
        }
        return creation.once(
                () -> translateConflicts(() -> repository.insert(Ids.generate("usr"), draft)),
                User::id,
                id -> get(caller, id));
    }

    /** Replaces the user's writable fields; {@code expectedVersion} (from If-Match) may be null. */
    @Transactional
    public User replace(Caller caller, String id, UserDraft draft, Long expectedVersion) {
        caller.checkAccess(id, "user", id);
        if (caller.actingUser().isPresent()) {
            repository.findById(id).ifPresent(current -> countIdentityChange(caller, current, draft));
        }
        return afterWrite(translateConflicts(() -> repository.update(id, draft, expectedVersion))
                .orElseThrow(() -> missingOrChanged(id)));
    }

    /**
     * Changes part of a user: {@code change} gets the current writable fields and returns the new ones.
     * The row is locked meanwhile, so no concurrent change is lost; an unchanged result writes nothing.
     */
    @Transactional
    public User update(Caller caller, String id, UnaryOperator<UserDraft> change, Long expectedVersion) {
        caller.checkAccess(id, "user", id);
        User current = repository.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("user", id));
        if (expectedVersion != null && current.version() != expectedVersion) {
            throw new StaleVersionException(current.version());
        }
        UserDraft draft = new UserDraft(current.username(), current.email(), current.status(), current.profile());
        UserDraft changed = change.apply(draft);
        if (changed.equals(draft)) {
            return current;
        }
        countIdentityChange(caller, current, changed);
        return afterWrite(
                translateConflicts(() -> repository.update(id, changed, null)).orElseThrow());
    }

    /**
     * A username or email address already taken is refused with 409 {@code USERNAME_TAKEN} / {@code EMAIL_TAKEN},
     * and one that is free is taken: either answer tells whether an account has it. The shop's credentials may know;
     * an application acting for a user gets {@value #IDENTITY_CHANGES_PER_HOUR} tries an hour for its user, so it
     * cannot go through a list of addresses.
     */
    private void countIdentityChange(Caller caller, User current, UserDraft draft) {
        boolean changes = !Objects.equals(current.username(), draft.username())
                || !Objects.equals(current.email(), draft.email());
        if (caller.actingUser().isEmpty() || !changes) {
            return;
        }
        allowances
                .take("identity-changes", current.id(), IDENTITY_CHANGES_PER_HOUR, Duration.ofHours(1))
                .ifPresent(seconds -> {
                    throw new LimitExceededException(
                            "IDENTITY_CHANGE_LIMIT_EXCEEDED",
                            "An application acting for a user may change the user's username or email address at "
                                    + "most " + IDENTITY_CHANGES_PER_HOUR + " times an hour; try again in " + seconds
                                    + " s.",
                            "identity-changes",
                            Duration.ofSeconds(seconds));
                });
    }

    /** An inactive user's authorizations end with the write that left it inactive (repeating it is harmless). */
    private User afterWrite(User user) {
        if (!user.isActive()) {
            events.publishEvent(new UserDeactivated(user.id()));
        }
        return user;
    }

    /**
     * Sets the user's password (stored as a bcrypt hash only), which also lets a locked account sign in again. A
     * password that zxcvbn scores below {@value #MIN_PASSWORD_SCORE} of 4 (a common password, or one close to it) is
     * refused with zxcvbn's reason. An application acting for the user must give the current one (a stolen token
     * must not be enough to take the account over), checked and throttled as a sign-in is; the shop's own
     * credentials set it without (an admin's reset). Every token the user authorized ends with it
     * ({@link UserPasswordChanged}).
     */
    @Transactional
    public void setPassword(Caller caller, String id, String password, String currentPassword) {
        caller.checkAccess(id, "user", id);
        if (caller.actingUser().isPresent()) {
            checkCurrentPassword(id, currentPassword);
        }
        if (password.length() < MIN_PASSWORD_LENGTH
                || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw InvalidRequestException.parameter(
                    "password",
                    "The 'password' must be at least " + MIN_PASSWORD_LENGTH + " characters and at most "
                            + MAX_PASSWORD_BYTES + " bytes in UTF-8.",
                    "password (string)");
        }
        Strength strength = STRENGTH.measure(password);
        if (strength.getScore() < MIN_PASSWORD_SCORE) {
            String reason = strength.getFeedback().getWarning();
            throw InvalidRequestException.parameter(
                    "password",
                    "The 'password' is too easy to guess" + (reason.isEmpty() ? "" : ": " + reason)
                            + " Choose a longer one, of several unusual words.",
                    "password (string)");
        }
        if (!repository.setPasswordHash(id, PASSWORDS.encode(password))) {
            throw new NotFoundException("user", id);
        }
        signIns.unlock(SignInGuard.userAccount(id));
        events.publishEvent(new UserPasswordChanged(id));
    }

    private void checkCurrentPassword(String id, String currentPassword) {
        if (currentPassword == null) {
            throw InvalidRequestException.parameter(
                    "current_password",
                    "An application acting for the user must send the user's 'current_password' to change it.",
                    "current_password (string)");
        }
        User user = repository.findById(id).orElseThrow(() -> new NotFoundException("user", id));
        try {
            signIns.signIn(SignInGuard.userAccount(id), null, () -> authenticate(user.username(), currentPassword));
        } catch (LockedException e) {
            throw new ForbiddenException("SIGN_IN_LOCKED", e.getMessage(), "current_password");
        } catch (BadCredentialsException e) {
            throw new ForbiddenException(
                    "CURRENT_PASSWORD_INCORRECT",
                    "The 'current_password' is not the user's password.",
                    "current_password");
        }
    }

    /** Lets a user locked out by failed sign-ins sign in again at once. */
    public void unlock(Caller caller, String id) {
        get(caller, id);
        signIns.unlock(SignInGuard.userAccount(id));
    }

    /** Removes the user's password: they can no longer sign in. */
    @Transactional
    public void removePassword(Caller caller, String id) {
        caller.checkAccess(id, "user", id);
        if (!repository.setPasswordHash(id, null)) {
            throw new NotFoundException("user", id);
        }
        events.publishEvent(new UserPasswordChanged(id));
    }

    /** The active user with this username and password; empty for any mismatch, without saying which. */
    public Optional<User> authenticate(String username, String password) {
        var found = repository.findWithPasswordHash(username);
        boolean hasPassword = found.isPresent() && !found.get().getValue().isEmpty();
        boolean matches = PASSWORDS.matches(password, hasPassword ? found.get().getValue() : AbsentUser.HASH);
        return found.filter(entry -> hasPassword && matches && entry.getKey().isActive())
                .map(Map.Entry::getKey);
    }

    /** Deletes the user; {@link UserDeleted} lets other features (credentials) follow in the same transaction. */
    @Transactional
    public void delete(Caller caller, String id, Long expectedVersion) {
        caller.checkAccess(id, "user", id);
        if (!repository.delete(id, expectedVersion)) {
            throw missingOrChanged(id);
        }
        events.publishEvent(new UserDeleted(id));
    }

    private DomainException missingOrChanged(String id) {
        User current = repository.findById(id).orElseThrow(() -> new NotFoundException("user", id));
        return new StaleVersionException(current.version());
    }

    private static <T> T translateConflicts(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (DuplicateKeyException e) {
            // By the constraint's name, not the message: the message also quotes the clashing value.
            String constraint = violatedConstraint(e);
            if ("users_username_key".equals(constraint)) {
                throw new ConflictException("USERNAME_TAKEN", "That username is already taken.", "username (string)");
            }
            if ("users_email_key".equals(constraint)) {
                throw new ConflictException(
                        "EMAIL_TAKEN", "That email address already belongs to a user.", "email (string)");
            }
            throw e;
        }
    }

    private static String violatedConstraint(DuplicateKeyException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getConstraint();
            }
        }
        return null;
    }
}
