package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.users.User;
import dev.mercato.users.UserService;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * The developer role: who has it and which scopes their credentials may hold. Only an admin gives, changes or takes
 * it; a developer may read their own.
 */
@Service
class DeveloperService {

    private final DeveloperRepository repository;
    private final UserService users;

    DeveloperService(DeveloperRepository repository, UserService users) {
        this.repository = repository;
        this.users = users;
    }

    /** The developer, or empty when the user has no such role (or the caller may not see it). */
    Optional<Developer> find(Caller caller, String userId) {
        if (!caller.manages(userId)) {
            return Optional.empty();
        }
        return repository
                .find(userId)
                .flatMap(grant -> users.find(Caller.SYSTEM, userId)
                        .map(user -> new Developer(userId, user.username(), grant.scopes(), grant.grantedAt())));
    }

    /** The developer as they may act now: empty once the role is taken away or the user deactivated or deleted. */
    Optional<Developer> current(String userId) {
        return repository
                .find(userId)
                .flatMap(grant -> users.find(Caller.SYSTEM, userId)
                        .filter(User::isActive)
                        .map(user -> new Developer(userId, user.username(), grant.scopes(), grant.grantedAt())));
    }

    Developer get(Caller caller, String userId) {
        return find(caller, userId).orElseThrow(() -> new NotFoundException("developer", userId));
    }

    Page<Developer> list(Caller caller, PageParams page) {
        checkAdmin(caller);
        Page<DeveloperRepository.Grant> grants = repository.findAll(page);
        Map<String, User> named = users.findAll(
                Caller.SYSTEM,
                grants.items().stream().map(DeveloperRepository.Grant::userId).toList());
        return grants.map(grant -> new Developer(
                grant.userId(),
                Optional.ofNullable(named.get(grant.userId()))
                        .map(User::username)
                        .orElse(grant.userId()),
                grant.scopes(),
                grant.grantedAt()));
    }

    /** Gives {@code userId} the developer role with these scopes, or sets the scopes of a developer already. */
    Developer grant(Caller caller, String userId, Set<Scope> scopes) {
        checkAdmin(caller);
        if (scopes.isEmpty()) {
            throw InvalidRequestException.field("scopes", "A developer needs at least one scope.");
        }
        if (scopes.contains(Scope.ADMIN)) {
            throw InvalidRequestException.field(
                    "scopes", "A developer cannot hold the 'admin' scope: only the admin manages everything.");
        }
        User user = users.find(Caller.SYSTEM, userId).orElseThrow(() -> new NotFoundException("user", userId));
        repository.upsert(user.id(), scopes);
        return get(caller, userId);
    }

    /** Takes the role away: the user can no longer sign in to the dashboard. Their credentials keep working. */
    void revoke(Caller caller, String userId) {
        checkAdmin(caller);
        if (!repository.delete(userId)) {
            throw new NotFoundException("developer", userId);
        }
    }

    private static void checkAdmin(Caller caller) {
        if (!caller.has(Scope.ADMIN)) {
            throw new ForbiddenException("INSUFFICIENT_SCOPE", "Only the admin manages developers.", "admin");
        }
    }
}
