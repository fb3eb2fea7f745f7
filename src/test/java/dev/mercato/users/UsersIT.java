package dev.mercato.users;

import static dev.mercato.support.JsonLists.fieldNames;
import static dev.mercato.support.JsonLists.find;
import static dev.mercato.support.JsonLists.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Race;
import dev.mercato.support.Response;
import dev.mercato.support.UserFixture;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class UsersIT extends ApiTestSupport {

    private static final String ISO_SECONDS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    // ---- v1: the read-only view ----

    @Test
    void v1ListsUsersWithCamelCaseFieldsAtBothPaths() {
        String id = aUserWithProfile(uniqueName("vone")).create();

        for (String path : List.of("/users?limit=100", "/v1/users?limit=100")) {
            JsonNode user = find(api.get(path).asAdmin().send().expect(200).json(), id);
            assertThat(user).as(path).isNotNull();
            assertThat(fieldNames(user))
                    .as(path)
                    .containsExactlyInAnyOrder("id", "username", "email", "status", "createdAt");
            assertThat(user.get("status").asString()).isEqualTo("active");
            assertThat(user.get("createdAt").asString()).matches(ISO_SECONDS);
        }
    }

    @Test
    void v1StatusFilterReturnsOnlyUsersWithThatStatus() {
        String active = aUserWithProfile(uniqueName("act")).create();
        String inactive = aUserWithProfile(uniqueName("inact")).inactive().create();

        JsonNode inactiveUsers = api.get("/users?status=inactive&limit=100")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(inactiveUsers)
                .allSatisfy(user -> assertThat(user.get("status").asString()).isEqualTo("inactive"));
        assertThat(find(inactiveUsers, inactive)).isNotNull();
        assertThat(find(inactiveUsers, active)).isNull();

        JsonNode activeUsers = api.get("/v1/users?status=active&limit=100")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(activeUsers)
                .allSatisfy(user -> assertThat(user.get("status").asString()).isEqualTo("active"));
        assertThat(find(activeUsers, active)).isNotNull();
    }

    @Test
    void v1InvalidStatusFilterIsRejected() {
        JsonNode error = api.get("/users?status=banned").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("details").asString()).isEqualTo("status (string)");
        api.get("/v1/users?status=ACTIVE").asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    @Test
    void v1ListCarriesPaginationHeadersAndLinks() {
        for (int i = 0; i < 3; i++) {
            aUserWithProfile(uniqueName("page")).create();
        }

        Response page = api.get("/users?limit=1&offset=1").asAdmin().send().expect(200);

        assertThat(page.json()).hasSize(1);
        assertThat(Long.parseLong(page.header("X-Total-Count"))).isGreaterThanOrEqualTo(3);
        assertThat(page.header("X-Limit")).isEqualTo("1");
        assertThat(page.header("X-Offset")).isEqualTo("1");
        assertThat(page.header("Link"))
                .contains("<" + api.base() + "/users?limit=1&offset=2>; rel=\"next\"")
                .contains("<" + api.base() + "/users?limit=1&offset=0>; rel=\"prev\"");

        Response first = api.get("/v1/users?limit=1").asAdmin().send().expect(200);
        assertThat(first.header("X-Offset")).isEqualTo("0");
        assertThat(first.header("Link")).contains("rel=\"next\"").doesNotContain("rel=\"prev\"");
    }

    @Test
    void v1ListIsNewestFirst() {
        String older = aUserWithProfile(uniqueName("older")).create();
        String newer = aUserWithProfile(uniqueName("newer")).create();

        List<String> ids =
                ids(api.get("/users?limit=100").asAdmin().send().expect(200).json());

        assertThat(ids).contains(older, newer);
        assertThat(ids.indexOf(newer)).isLessThan(ids.indexOf(older));
    }

    @Test
    void listsRejectOutOfRangePagination() {
        api.get("/users?limit=101").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.get("/v2/users?offset=-1").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        api.get("/v2/users?limit=ten").asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    // ---- v2: create and read ----

    @Test
    void createReturns201WithLocationETagAndSnakeCaseBody() {
        String username = uniqueName("alice");
        Response created = api.post("/v2/users", """
                {"username": "%s", "email": "%s@example.com", "status": "active",
                 "profile": {"first_name": "Alice", "last_name": "Smith", "phone": "+14155550123"}}
                """.formatted(username, username))
                .asAdmin()
                .send()
                .expect(201);

        JsonNode user = created.json();
        String id = user.get("id").asString();
        assertThat(id).startsWith("usr_");
        assertThat(created.header("Location")).endsWith("/v2/users/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(user.get("username").asString()).isEqualTo(username);
        assertThat(user.get("email").asString()).isEqualTo(username + "@example.com");
        assertThat(user.get("status").asString()).isEqualTo("active");
        assertThat(user.get("created_at").asString()).matches(ISO_SECONDS);
        assertThat(user.get("updated_at").asString()).matches(ISO_SECONDS);
        assertThat(user.has("createdAt")).isFalse();
        assertThat(user.get("profile").get("first_name").asString()).isEqualTo("Alice");
        assertThat(user.get("profile").get("last_name").asString()).isEqualTo("Smith");
        assertThat(user.get("profile").get("phone").asString()).isEqualTo("+14155550123");
    }

    @Test
    void createDefaultsStatusToActive() {
        JsonNode user = api.post("/v2/users", """
                {"username": "%s"}""".formatted(uniqueName("dflt")))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        assertThat(user.get("status").asString()).isEqualTo("active");
        assertThat(user.has("email")).isFalse();
    }

    @Test
    void getReturnsTheUserWithProfileAndETag() {
        String username = uniqueName("bob");
        String id = aUserWithProfile(username).create();

        Response found = api.get("/v2/users/" + id).asAdmin().send().expect(200);

        assertThat(found.header("ETag")).isEqualTo("\"v2-1\"");
        JsonNode user = found.json();
        assertThat(user.get("id").asString()).isEqualTo(id);
        assertThat(user.get("username").asString()).isEqualTo(username);
        assertThat(user.get("profile").get("first_name").asString()).isEqualTo("Test");
        assertThat(user.get("profile").get("last_name").asString()).isEqualTo("User");
    }

    @Test
    void getUnknownUserReturns404() {
        JsonNode error = api.get("/v2/users/usr_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(error.get("details").asString()).isEqualTo("usr_doesnotexist");
    }

    @Test
    void v2ListShowsSummariesWithoutProfileAndFiltersByStatus() {
        String active = aUserWithProfile(uniqueName("lista")).create();
        String inactive = aUserWithProfile(uniqueName("listi")).inactive().create();

        Response all = api.get("/v2/users?limit=100").asAdmin().send().expect(200);
        assertThat(all.header("X-Limit")).isEqualTo("100");
        JsonNode summary = find(all.json(), active);
        assertThat(summary).isNotNull();
        assertThat(fieldNames(summary)).containsExactlyInAnyOrder("id", "username", "email", "status", "created_at");

        JsonNode inactiveUsers = api.get("/v2/users?status=inactive&limit=100")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(inactiveUsers)
                .allSatisfy(user -> assertThat(user.get("status").asString()).isEqualTo("inactive"));
        assertThat(find(inactiveUsers, inactive)).isNotNull();
        assertThat(find(inactiveUsers, active)).isNull();

        api.get("/v2/users?status=deleted").asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    @Test
    void usersAreVisibleInBothVersions() {
        String username = uniqueName("both");
        String id = aUserWithProfile(username).create();
        JsonNode v1 =
                find(api.get("/users?limit=100").asAdmin().send().expect(200).json(), id);
        JsonNode v2 = api.get("/v2/users/" + id).asAdmin().send().expect(200).json();
        assertThat(v1.get("username").asString())
                .isEqualTo(v2.get("username").asString())
                .isEqualTo(username);
        assertThat(v1.get("createdAt").asString())
                .isEqualTo(v2.get("created_at").asString());
    }

    // ---- v2: replace, patch, delete ----

    @Test
    void putReplacesEveryWritableFieldAndClearsOmittedOnes() {
        String id = aUserWithProfile(uniqueName("put")).create();
        String renamed = uniqueName("putnew");

        Response replaced = api.put("/v2/users/" + id, """
                {"username": "%s", "status": "inactive", "profile": {"first_name": "Renamed"}}
                """.formatted(renamed))
                .asAdmin()
                .send()
                .expect(200);

        assertThat(replaced.header("ETag")).isEqualTo("\"v2-2\"");
        JsonNode user = replaced.json();
        assertThat(user.get("username").asString()).isEqualTo(renamed);
        assertThat(user.get("status").asString()).isEqualTo("inactive");
        assertThat(user.has("email")).isFalse();
        assertThat(user.get("profile").get("first_name").asString()).isEqualTo("Renamed");
        assertThat(user.get("profile").has("last_name")).isFalse();
        assertThat(user.get("profile").has("phone")).isFalse();
        assertThat(api.get("/v2/users/" + id).asAdmin().send().expect(200).json())
                .isEqualTo(user);
    }

    @Test
    void putOnUnknownUserReturns404() {
        api.put("/v2/users/usr_doesnotexist", """
                {"username": "%s"}""".formatted(uniqueName("ghost")))
                .asAdmin()
                .send()
                .expectError(404, "NOT_FOUND");
    }

    @Test
    void patchChangesOnlyTheFieldsItNames() {
        String username = uniqueName("patch");
        String id = aUserWithProfile(username).create();

        Response patched = api.patch("/v2/users/" + id, """
                {"status": "inactive", "profile": {"last_name": "Jones"}}""").asAdmin().send().expect(200);

        assertThat(patched.header("ETag")).isEqualTo("\"v2-2\"");
        JsonNode user = patched.json();
        assertThat(user.get("username").asString()).isEqualTo(username);
        assertThat(user.get("email").asString()).isEqualTo(username + "@example.com");
        assertThat(user.get("status").asString()).isEqualTo("inactive");
        assertThat(user.get("profile").get("first_name").asString()).isEqualTo("Test");
        assertThat(user.get("profile").get("last_name").asString()).isEqualTo("Jones");
        assertThat(user.get("profile").get("phone").asString()).isEqualTo("+14155550100");
    }

    @Test
    void patchWithNullRemovesTheMember() {
        String id = aUserWithProfile(uniqueName("nullp")).create();

        JsonNode user =
                api.patch("/v2/users/" + id, """
                {"profile": {"phone": null}}""").asAdmin().send().expect(200).json();

        assertThat(user.get("profile").has("phone")).isFalse();
        assertThat(user.get("profile").get("first_name").asString()).isEqualTo("Test");
        JsonNode reread =
                api.get("/v2/users/" + id).asAdmin().send().expect(200).json();
        assertThat(reread.get("profile").has("phone")).isFalse();
    }

    @Test
    void patchIsValidatedLikeAPutAndLeavesTheUserUnchanged() {
        String id = aUserWithProfile(uniqueName("badp")).create();

        JsonNode phone = api.patch("/v2/users/" + id, """
                {"profile": {"phone": "555-0100"}}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(phone.get("details").asString()).isEqualTo("profile.phone (string)");
        JsonNode unknown = api.patch("/v2/users/" + id, """
                {"nickname": "bobby"}""").asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(unknown.get("details").asString()).isEqualTo("nickname (string)");
        JsonNode username = api.patch("/v2/users/" + id, """
                {"username": null}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
        assertThat(username.get("details").asString()).isEqualTo("username (string)");

        Response unchanged = api.get("/v2/users/" + id).asAdmin().send().expect(200);
        assertThat(unchanged.header("ETag")).isEqualTo("\"v2-1\"");
        assertThat(unchanged.json().get("profile").get("phone").asString()).isEqualTo("+14155550100");
    }

    @Test
    void patchOnUnknownUserReturns404() {
        api.patch("/v2/users/usr_doesnotexist", """
                {"status": "inactive"}""").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void deleteReturns204AndTheUserIsGone() {
        String id = aUserWithProfile(uniqueName("del")).create();

        Response deleted = api.delete("/v2/users/" + id).asAdmin().send().expect(204);

        assertThat(deleted.body()).isEmpty();
        api.get("/v2/users/" + id).asAdmin().send().expectError(404, "NOT_FOUND");
        api.delete("/v2/users/" + id).asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(find(api.get("/users?limit=100").asAdmin().send().expect(200).json(), id))
                .isNull();
    }

    @Test
    void emptyPatchChangesNothingAndKeepsTheETag() {
        String id = aUserWithProfile(uniqueName("noop")).create();
        String etag = api.get("/v2/users/" + id).asAdmin().send().expect(200).header("ETag");

        Response patched = api.patch("/v2/users/" + id, "{}").asAdmin().send().expect(200);

        assertThat(patched.header("ETag")).isEqualTo(etag);
    }

    @Test
    void deletingAUserRevokesTheirApiKeys() {
        String id = aUserWithProfile(uniqueName("owner")).create();
        String key = api.post("/v2/api-keys", """
                {"name": "owned", "scopes": ["users:read"], "user_id": "%s"}""".formatted(id))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
        api.get("/v2/users/" + id).as(key).send().expect(200);

        api.delete("/v2/users/" + id).asAdmin().send().expect(204);

        api.get("/v2/users?limit=1").as(key).send().expectError(401, "INVALID_TOKEN");
    }

    // ---- validation ----

    @Nested
    class Validation {

        @Test
        void usernameTooShortIsRejected() {
            expectInvalid("""
                    {"username": "ab"}""", "username (string)");
        }

        @Test
        void usernameTooLongIsRejected() {
            expectInvalid("""
                    {"username": "%s"}""".formatted("a".repeat(33)), "username (string)");
        }

        @Test
        void usernameWithForbiddenCharactersIsRejected() {
            expectInvalid("""
                    {"username": "bad name!"}""", "username (string)");
            expectInvalid("""
                    {"username": "_leading"}""", "username (string)");
        }

        @Test
        void missingUsernameNamesTheFieldAndItsType() {
            JsonNode error = expectInvalid("""
                    {"email": "nobody@example.com"}""", "username (string)");
            assertThat(error.get("message").asString()).contains("username").contains("required");
        }

        @Test
        void invalidEmailIsRejected() {
            expectInvalid("""
                    {"username": "%s", "email": "not-an-email"}""".formatted(uniqueName("mail")), "email (string)");
        }

        @Test
        void invalidStatusIsRejected() {
            expectInvalid("""
                    {"username": "%s", "status": "banned"}""".formatted(uniqueName("stat")), "status (string)");
        }

        @Test
        void phoneNotInE164FormIsRejected() {
            expectInvalid("""
                    {"username": "%s", "profile": {"phone": "0415 555 0123"}}""".formatted(uniqueName("tel")), "profile.phone (string)");
            expectInvalid("""
                    {"username": "%s", "profile": {"phone": "+0123456"}}""".formatted(uniqueName("tel")), "profile.phone (string)");
        }

        @Test
        void overlongProfileNameIsRejected() {
            expectInvalid("""
                    {"username": "%s", "profile": {"first_name": "%s"}}""".formatted(uniqueName("long"), "f".repeat(101)), "profile.first_name (string)");
        }

        @Test
        void unknownFieldIsRejectedByName() {
            JsonNode error = api.post("/v2/users", """
                    {"username": "%s", "nickname": "bobby"}""".formatted(uniqueName("unk")))
                    .asAdmin()
                    .send()
                    .expectError(400, "UNKNOWN_FIELD");
            assertThat(error.get("details").asString()).isEqualTo("nickname (string)");
            assertThat(error.get("message").asString()).contains("nickname");

            JsonNode nested = api.post("/v2/users", """
                    {"username": "%s", "profile": {"middle_name": "Q"}}""".formatted(uniqueName("unk")))
                    .asAdmin()
                    .send()
                    .expectError(400, "UNKNOWN_FIELD");
            assertThat(nested.get("details").asString()).isEqualTo("profile.middle_name (string)");
        }

        @Test
        void camelCaseFieldIsUnknownInV2() {
            JsonNode error = api.post("/v2/users", """
                    {"username": "%s", "profile": {"firstName": "Al"}}""".formatted(uniqueName("camel")))
                    .asAdmin()
                    .send()
                    .expectError(400, "UNKNOWN_FIELD");
            assertThat(error.get("details").asString()).isEqualTo("profile.firstName (string)");
        }

        @Test
        void wrongTypeNamesTheFieldAndExpectedType() {
            expectInvalid("""
                    {"username": "%s", "profile": "Alice Smith"}""".formatted(uniqueName("type")), "profile (object)");
            expectInvalid("""
                    {"username": ["alice"]}""", "username (string)");
        }

        @Test
        void malformedJsonIsRejected() {
            api.post("/v2/users", "{\"username\": ").asAdmin().send().expectError(400, "MALFORMED_JSON");
        }

        @Test
        void invalidPutLeavesTheUserUnchanged() {
            String id = aUserWithProfile(uniqueName("badput")).create();
            api.put("/v2/users/" + id, """
                    {"username": "x"}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
            assertThat(api.get("/v2/users/" + id).asAdmin().send().expect(200).header("ETag"))
                    .isEqualTo("\"v2-1\"");
        }

        private JsonNode expectInvalid(String body, String details) {
            JsonNode error = api.post("/v2/users", body).asAdmin().send().expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("details").asString()).isEqualTo(details);
            return error;
        }
    }

    // ---- uniqueness ----

    @Test
    void duplicateUsernameInAnyCaseIsRejected() {
        String username = uniqueName("dupe");
        aUserWithProfile(username).create();

        JsonNode error = api.post("/v2/users", """
                {"username": "%s"}""".formatted(username.toUpperCase(Locale.ROOT)))
                .asAdmin()
                .send()
                .expectError(409, "USERNAME_TAKEN");
        assertThat(error.get("details").asString()).isEqualTo("username (string)");
    }

    @Test
    void duplicateEmailInAnyCaseIsRejected() {
        String first = uniqueName("mail");
        aUserWithProfile(first).create();

        JsonNode error = api.post("/v2/users", """
                {"username": "%s", "email": "%s@EXAMPLE.com"}""".formatted(uniqueName("mail"), first.toUpperCase(Locale.ROOT)))
                .asAdmin()
                .send()
                .expectError(409, "EMAIL_TAKEN");
        assertThat(error.get("details").asString()).isEqualTo("email (string)");
    }

    @Test
    void duplicateEmailIsReportedAsEmailTakenWhateverTheAddressSpells() {
        // The address contains the username index's name: the conflict must still be told apart by constraint.
        String email = "users_username_key." + uniqueName("x") + "@example.com";
        api.post("/v2/users", """
                {"username": "%s", "email": "%s"}""".formatted(uniqueName("spell"), email))
                .asAdmin()
                .send()
                .expect(201);

        api.post("/v2/users", """
                {"username": "%s", "email": "%s"}""".formatted(uniqueName("spell"), email))
                .asAdmin()
                .send()
                .expectError(409, "EMAIL_TAKEN");
    }

    @Test
    void putCannotTakeAnotherUsersUsernameOrEmail() {
        String taken = uniqueName("taken");
        aUserWithProfile(taken).create();
        String id = aUserWithProfile(uniqueName("other")).create();

        api.put("/v2/users/" + id, """
                {"username": "%s"}""".formatted(taken.toUpperCase(Locale.ROOT)))
                .asAdmin()
                .send()
                .expectError(409, "USERNAME_TAKEN");
        api.put("/v2/users/" + id, """
                {"username": "%s", "email": "%s@example.com"}""".formatted(uniqueName("other"), taken))
                .asAdmin()
                .send()
                .expectError(409, "EMAIL_TAKEN");
        api.patch("/v2/users/" + id, """
                {"username": "%s"}""".formatted(taken)).asAdmin().send().expectError(409, "USERNAME_TAKEN");

        assertThat(api.get("/v2/users/" + id).asAdmin().send().expect(200).header("ETag"))
                .isEqualTo("\"v2-1\"");
    }

    @Test
    void concurrentCreatesOfOneUsernameYieldExactlyOneUser() {
        String username = uniqueName("race");
        int racers = 8;

        List<Response> responses = Race.requests(
                racers,
                i -> api.post("/v2/users", """
                {"username": "%s", "email": "%s.%d@example.com"}""".formatted(username, username, i)).asAdmin());

        assertThat(responses).filteredOn(response -> response.status() == 201).hasSize(1);
        assertThat(responses)
                .filteredOn(response -> response.status() != 201)
                .hasSize(racers - 1)
                .allSatisfy(response -> response.expectError(409, "USERNAME_TAKEN"));
    }

    // ---- conditional requests ----

    @Test
    void ifNoneMatchWithTheCurrentETagAnswers304() {
        String id = aUserWithProfile(uniqueName("etag")).create();
        String etag = api.get("/v2/users/" + id).asAdmin().send().expect(200).header("ETag");

        Response notModified = api.get("/v2/users/" + id)
                .asAdmin()
                .header("If-None-Match", etag)
                .send()
                .expect(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(etag);

        api.get("/v2/users/" + id)
                .asAdmin()
                .header("If-None-Match", "\"v2-0\"")
                .send()
                .expect(200);
    }

    @Test
    void staleIfMatchIsRefusedWith412AndTheCurrentIsAccepted() {
        String username = uniqueName("ifm");
        String id = aUserWithProfile(username).create();
        String stale = "\"v2-0\"";

        JsonNode put = api.put("/v2/users/" + id, """
                {"username": "%s"}""".formatted(username))
                .asAdmin()
                .header("If-Match", stale)
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        assertThat(put.get("details").asString()).isEqualTo("\"v2-1\"");
        api.patch("/v2/users/" + id, """
                {"status": "inactive"}""")
                .asAdmin()
                .header("If-Match", stale)
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        api.delete("/v2/users/" + id)
                .asAdmin()
                .header("If-Match", stale)
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        assertThat(api.get("/v2/users/" + id)
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("active");

        String afterPut = api.put("/v2/users/" + id, """
                {"username": "%s", "status": "inactive"}""".formatted(username))
                .asAdmin()
                .header("If-Match", "\"v2-1\"")
                .send()
                .expect(200)
                .header("ETag");
        assertThat(afterPut).isEqualTo("\"v2-2\"");
        String afterPatch = api.patch("/v2/users/" + id, """
                {"status": "active"}""")
                .asAdmin()
                .header("If-Match", afterPut)
                .send()
                .expect(200)
                .header("ETag");
        assertThat(afterPatch).isEqualTo("\"v2-3\"");

        api.patch("/v2/users/" + id, """
                {"status": "inactive"}""")
                .asAdmin()
                .header("If-Match", afterPut)
                .send()
                .expectError(412, "PRECONDITION_FAILED");
        api.delete("/v2/users/" + id)
                .asAdmin()
                .header("If-Match", afterPatch)
                .send()
                .expect(204);
    }

    // ---- scopes ----

    @Test
    void writingUsersNeedsTheUsersWriteScope() {
        String readOnly = api.post("/v2/api-keys", """
                {"name": "users reader", "scopes": ["users:read"]}""")
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();

        api.get("/v2/users?limit=1").as(readOnly).send().expect(200);
        api.post("/v2/users", """
                {"username": "%s"}""".formatted(uniqueName("scope")))
                .as(readOnly)
                .send()
                .expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/users").send().expectError(401, "UNAUTHORIZED");
    }

    // ---- fixtures ----

    /** Every user here has an email address and a whole profile, so that a test sees what a change keeps and clears. */
    private UserFixture aUserWithProfile(String username) {
        return aUser().named(username)
                .withEmail(username + "@example.com")
                .withName("Test", "User")
                .withPhone("+14155550100");
    }

    private static String uniqueName(String stem) {
        return stem + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
