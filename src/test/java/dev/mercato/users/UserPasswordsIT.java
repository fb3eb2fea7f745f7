package dev.mercato.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Passwords: set and removed through v2, kept only as a bcrypt hash, checked by {@link UserService#authenticate}. */
class UserPasswordsIT extends ApiTestSupport {

    @Autowired
    UserService users;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aPasswordIsStoredAsABcryptHashAndLetsTheUserSignIn() {
        String username = uniqueName();
        String id = aUser().named(username).withoutEmail().create();

        api.put("/v2/users/" + id + "/password", "{\"password\": \"correct horse battery\"}")
                .asAdmin()
                .send()
                .expect(204);

        String stored = jdbc.sql("select password_hash from users where id = :id")
                .param("id", id)
                .query(String.class)
                .single();
        assertThat(stored).startsWith("{bcrypt}$2").doesNotContain("correct horse battery");
        assertThat(users.authenticate(username, "correct horse battery"))
                .map(User::id)
                .contains(id);
        assertThat(users.authenticate(username.toUpperCase(), "correct horse battery"))
                .map(User::id)
                .contains(id);
        assertThat(users.authenticate(username, "correct horse batter")).isEmpty();
        assertThat(users.authenticate("nobody_" + username, "correct horse battery"))
                .isEmpty();
        // Never shown, and it changes the version (the ETag) like any other change.
        JsonNode user = api.get("/v2/users/" + id).asAdmin().send().expect(200).json();
        assertThat(user.has("password")).isFalse();
        assertThat(api.get("/v2/users/" + id).asAdmin().send().header("ETag")).isEqualTo("\"v2-2\"");
    }

    @Test
    void aRemovedPasswordOrAnInactiveUserCannotSignIn() {
        String username = uniqueName();
        String id = aUser().named(username).withoutEmail().create();
        api.put("/v2/users/" + id + "/password", "{\"password\": \"sufficiently long\"}")
                .asAdmin()
                .send()
                .expect(204);

        api.patch("/v2/users/" + id, "{\"status\": \"inactive\"}")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(users.authenticate(username, "sufficiently long")).isEmpty();
        api.patch("/v2/users/" + id, "{\"status\": \"active\"}")
                .asAdmin()
                .send()
                .expect(200);
        assertThat(users.authenticate(username, "sufficiently long")).isPresent();

        api.delete("/v2/users/" + id + "/password").asAdmin().send().expect(204);
        assertThat(users.authenticate(username, "sufficiently long")).isEmpty();
    }

    @Test
    void aUserWithoutPasswordCannotSignInWithAnyPassword() {
        String username = uniqueName();
        aUser().named(username).withoutEmail().create();

        assertThat(users.authenticate(username, "")).isEmpty();
        assertThat(users.authenticate(username, "no such user")).isEmpty();
    }

    @Test
    void passwordsAreValidated() {
        String id = aUser().withoutEmail().create();

        api.put("/v2/users/" + id + "/password", "{\"password\": \"short\"}")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        // 25 three-byte characters are 75 bytes: more than bcrypt reads.
        api.put("/v2/users/" + id + "/password", "{\"password\": \"" + "€".repeat(25) + "\"}")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        api.put("/v2/users/" + id + "/password", "{}").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.put("/v2/users/" + id + "/password", "{\"password\": \"long enough\", \"hint\": \"x\"}")
                .asAdmin()
                .send()
                .expectError(400, "UNKNOWN_FIELD");
        api.put("/v2/users/usr_doesnotexist/password", "{\"password\": \"long enough\"}")
                .asAdmin()
                .send()
                .expectError(404, "NOT_FOUND");
        api.delete("/v2/users/usr_doesnotexist/password").asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(jdbc.sql("select count(*) from users where id = :id and password_hash is not null")
                        .param("id", id)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private static String uniqueName() {
        return "pw_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aCommonPasswordIsRefusedSayingWhy() {
        String id = aUser().named(uniqueName()).create();
        for (String common : new String[] {"password1", "qwerty123", "P@ssw0rd1"}) {
            JsonNode error = api.put("/v2/users/" + id + "/password", "{\"password\": \"" + common + "\"}")
                    .asAdmin()
                    .send()
                    .expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("message").asString()).as(common).contains("too easy to guess");
            assertThat(error.get("details").asString()).isEqualTo("password (string)");
        }
        assertThat(jdbc.sql("select count(*) from users where id = :id and password_hash is not null")
                        .param("id", id)
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
