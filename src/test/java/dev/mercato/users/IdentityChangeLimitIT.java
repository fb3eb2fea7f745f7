package dev.mercato.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.LimitExceededException;
import dev.mercato.support.ApiTestSupport;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Whether a username or email address is taken shows in the answer to changing one's own; an application acting
 * for a user gets 10 tries an hour for its user, so it cannot go through a list of addresses. (Such tokens take a
 * browser to get; the service is called as their requests call it.) Likewise its guesses at the user's current
 * password count as failed sign-ins.
 */
class IdentityChangeLimitIT extends ApiTestSupport {

    @Autowired
    UserService users;

    @Test
    void anAppActingForAUserChangesItsUsernameOrEmailAtMostTenTimesAnHour() {
        String taken = "taken_" + UUID.randomUUID().toString().substring(0, 8);
        aUser().named(taken).create();
        String id = aUser().create();
        Caller app = new Caller("cli_app_" + UUID.randomUUID(), id, "app", EnumSet.allOf(Scope.class), null, true);

        assertThatThrownBy(() -> rename(app, id, taken))
                .as("a name taken is told, and counted")
                .isInstanceOf(ConflictException.class);
        for (int change = 2; change <= 10; change++) {
            rename(app, id, "free_" + UUID.randomUUID().toString().substring(0, 8));
        }
        assertThatThrownBy(() -> rename(app, id, taken)).isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.code()).isEqualTo("IDENTITY_CHANGE_LIMIT_EXCEEDED");
            assertThat(e.retryAfter()).isPositive();
        });
        // A change that leaves both as they are is not counted; the shop's own credentials are not limited.
        users.update(app, id, draft -> draft, null);
        rename(Caller.SYSTEM, id, "shop_" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Wrong current passwords count as failed sign-ins even though each refused change rolls back. */
    @Test
    void guessingTheCurrentPasswordLocksTheAccountAsSignInsDo() {
        String password = "Quiet-Orchard-Lantern-42";
        String id = aUser().withPassword(password).create();
        Caller app = new Caller("cli_app_" + UUID.randomUUID(), id, "app", EnumSet.allOf(Scope.class), null, true);

        for (int guess = 0; guess < 5; guess++) {
            int attempt = guess;
            assertThatThrownBy(() -> users.setPassword(app, id, "Another-Quiet-Orchard-9", "guess-" + attempt))
                    .isInstanceOfSatisfying(
                            ForbiddenException.class,
                            e -> assertThat(e.code()).isEqualTo("CURRENT_PASSWORD_INCORRECT"));
        }
        assertThatThrownBy(() -> users.setPassword(app, id, "Another-Quiet-Orchard-9", password))
                .isInstanceOfSatisfying(
                        ForbiddenException.class, e -> assertThat(e.code()).isEqualTo("SIGN_IN_LOCKED"));
        users.unlock(Caller.SYSTEM, id);
    }

    private void rename(Caller caller, String id, String username) {
        users.update(
                caller, id, draft -> new UserDraft(username, draft.email(), draft.status(), draft.profile()), null);
    }
}
