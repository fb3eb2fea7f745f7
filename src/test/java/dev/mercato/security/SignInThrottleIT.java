package dev.mercato.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.DashboardSession;
import dev.mercato.support.Race;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.web.util.HtmlUtils;

/**
 * Password sign-ins throttled per account and per client address ({@link SignInGuard}): on the OAuth sign-in page as
 * a browser posts it, and at the guard itself for what one test address cannot show (another address, a crowd of
 * parallel guesses, failures forgotten after the window).
 */
class SignInThrottleIT extends ApiTestSupport {

    private static final String PASSWORD = "Velvet-Orchard-61-Compass";

    @Autowired
    SignInGuard guard;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theSignInPageLocksAnAccountAfterRepeatedWrongPasswordsUntilTheAdminUnlocksIt() {
        String username = "throttled-" + System.nanoTime();
        String id = aUser().named(username).withPassword(PASSWORD).create();
        DashboardSession browser = dashboard();
        for (int i = 0; i < 5; i++) {
            assertThat(location(browser.submit("/login", "/login", "username", username, "password", "guess-" + i)))
                    .endsWith("/login?error");
        }

        HttpResponse<String> refused = browser.submit("/login", "/login", "username", username, "password", PASSWORD);

        assertThat(location(refused)).endsWith("/login?error");
        assertThat(HtmlUtils.htmlUnescape(browser.get("/login?error").body()))
                .contains("Too many failed sign-ins: signing in is refused for 15 more minutes");
        api.post("/v2/users/" + id + "/unlock", "")
                .as(anApiKey(null, "users:write"))
                .send()
                .expect(403);
        api.post("/v2/users/" + id + "/unlock", "").asAdmin().send().expect(204);
        assertThat(location(browser.submit("/login", "/login", "username", username, "password", PASSWORD)))
                .endsWith("/login?signed-in");
        api.post("/v2/users/usr_nobody/unlock", "").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void aNewPasswordUnlocksTheAccount() {
        String username = "repassword-" + System.nanoTime();
        String id = aUser().named(username).withPassword(PASSWORD).create();
        String account = SignInGuard.userAccount(id);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> guard.signIn(account, null, Optional::empty))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThatThrownBy(() -> guard.signIn(account, null, () -> Optional.of("in")))
                .isInstanceOf(LockedException.class);

        api.put("/v2/users/" + id + "/password", "{\"password\": \"Another-Orchard-17-Lantern\"}")
                .asAdmin()
                .send()
                .expect(204);

        assertThat(guard.signIn(account, null, () -> Optional.of("in"))).isEqualTo("in");
    }

    @Test
    void anAddressGuessingAtManyAccountsIsRefusedWhileOthersAreNot() {
        String address = "203.0.113." + (System.nanoTime() % 200 + 1);
        for (int i = 0; i < 50; i++) {
            String account = "user:guessed-" + i + "-" + System.nanoTime();
            assertThatThrownBy(() -> guard.signIn(account, address, Optional::empty))
                    .isInstanceOf(BadCredentialsException.class);
        }

        assertThatThrownBy(() -> guard.signIn("user:someone-else", address, () -> Optional.of("in")))
                .isInstanceOf(LockedException.class);
        assertThat(guard.signIn("user:someone-else", "198.51.100.1", () -> Optional.of("in")))
                .isEqualTo("in");
        guard.unlock("address:" + address);
    }

    @Test
    void parallelGuessesAreAllCountedAcrossTheDatabase() {
        String account = "user:raced-" + System.nanoTime();

        Race.run(5, racer -> {
            try {
                guard.signIn(account, null, Optional::empty);
            } catch (BadCredentialsException expected) {
                // every guess is wrong
            }
            return null;
        });

        assertThatThrownBy(() -> guard.signIn(account, null, () -> Optional.of("in")))
                .isInstanceOf(LockedException.class);
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        String account = "user:patient-" + System.nanoTime();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> guard.signIn(account, null, Optional::empty))
                    .isInstanceOf(BadCredentialsException.class);
        }
        jdbc.sql("update sign_in_failures set last_failed_at = now() - interval '1 hour' where key = :key")
                .param("key", account)
                .update();

        assertThatThrownBy(() -> guard.signIn(account, null, Optional::empty))
                .isInstanceOf(BadCredentialsException.class);

        assertThat(guard.signIn(account, null, () -> Optional.of("in"))).isEqualTo("in");
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("(no redirect: " + response.statusCode() + ")");
    }
}
