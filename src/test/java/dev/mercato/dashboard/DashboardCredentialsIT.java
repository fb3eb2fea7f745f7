package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.DashboardSession;
import dev.mercato.support.Response;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;

/**
 * The credentials pages as a browser posts them: an OAuth client and an API key created, shown once, used against
 * the API, rotated, revoked; a developer confined to their own credentials and scopes, whatever they post; bad form
 * input answered on the form with nothing written.
 */
class DashboardCredentialsIT extends ApiTestSupport {

    private static final Pattern SECRET = Pattern.compile("id=\"secret\" readonly value=\"([^\"]+)\"");
    private static final Pattern CLIENT_ID = Pattern.compile("id=\"client-id\">([^<]+)<");
    private static final String DEVELOPER_PASSWORD = "Copper-Lantern-58-River";

    private DashboardSession admin;

    @BeforeEach
    void signInTheAdmin() {
        admin = dashboard().signedIn("admin", ADMIN_PASSWORD);
    }

    @Test
    void anOAuthClientIsRegisteredShownOnceUsedRotatedAndDeleted() {
        HttpResponse<String> created = registerClient(admin, "Shop app " + System.nanoTime(), "products:read");

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        String clientId = find(CLIENT_ID, created.body());
        String secret = find(SECRET, created.body());
        assertThat(created.body())
                .contains("shown this once")
                .contains(api.base() + "/oauth/token")
                .contains("&quot;client_id&quot;: &quot;" + clientId + "&quot;");
        String token =
                token(clientId, secret).expect(200).json().get("access_token").asString();
        api.get("/v2/products?limit=1").as(token).send().expect(200);

        HttpResponse<String> detail = admin.get("/dashboard/credentials/oauth-clients/" + clientId);
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body())
                .contains(clientId)
                .contains("YOUR_CLIENT_SECRET")
                .doesNotContain(secret);
        assertThat(admin.get("/dashboard/credentials").body()).contains(clientId);

        HttpResponse<String> rotated = admin.submit(
                "/dashboard/credentials/oauth-clients/" + clientId,
                "/dashboard/credentials/oauth-clients/" + clientId + "/rotate-secret");
        String newSecret = find(SECRET, rotated.body());
        assertThat(newSecret).isNotEqualTo(secret);
        token(clientId, secret).expect(401);
        token(clientId, newSecret).expect(200);

        HttpResponse<String> deleted = admin.submit(
                "/dashboard/credentials/oauth-clients/" + clientId,
                "/dashboard/credentials/oauth-clients/" + clientId + "/delete");
        assertThat(deleted.statusCode()).isEqualTo(302);
        assertThat(admin.get("/dashboard/credentials").body())
                .contains("is deleted")
                .doesNotContain(clientId);
        token(clientId, newSecret).expect(401);
        api.get("/v2/products?limit=1").as(token).send().expect(401);
        assertThat(admin.get("/dashboard/credentials/oauth-clients/" + clientId).statusCode())
                .isEqualTo(404);
    }

    @Test
    void anApiKeyIsCreatedForAUserUsedAndRevoked() {
        String owner = aUser().named("key-owner-" + System.nanoTime()).create();
        String username = api.get("/v2/users/" + owner)
                .asAdmin()
                .send()
                .json()
                .get("username")
                .asString();
        HttpResponse<String> created = admin.submit(
                "/dashboard/credentials/api-keys/new",
                "/dashboard/credentials/api-keys",
                "name",
                "Reporting job",
                "scopes",
                "orders:read",
                "scopes",
                "products:read",
                "username",
                username,
                "expiresOn",
                LocalDate.now().plusDays(30).toString(),
                "rateLimit",
                "120");

        assertThat(created.statusCode()).isEqualTo(200);
        String key = find(SECRET, created.body());
        api.get("/v2/orders?limit=1").as(key).send().expect(200);
        JsonNode listed = keyNamed("Reporting job");
        assertThat(listed.get("user_id").asString()).isEqualTo(owner);
        assertThat(listed.get("rate_limit_per_minute").asInt()).isEqualTo(120);
        assertThat(listed.get("expires_at").asString())
                .startsWith(LocalDate.now().plusDays(30).toString());

        String id = listed.get("id").asString();
        admin.submit("/dashboard/credentials/api-keys/" + id, "/dashboard/credentials/api-keys/" + id + "/revoke");
        api.get("/v2/orders?limit=1").as(key).send().expect(401);
        assertThat(admin.get("/dashboard/credentials/api-keys/" + id).body()).contains("Revoked");
    }

    @Test
    void aDeveloperSeesAndManagesOnlyTheirOwnCredentialsWithTheScopesTheyHold() {
        String adminClient = find(
                CLIENT_ID, registerClient(admin, "Admin's app", "users:read").body());
        String name = "dev-" + System.nanoTime();
        String developerId = aDeveloper(name, DEVELOPER_PASSWORD, "products:read", "orders:read");
        DashboardSession developer = dashboard().signedIn(name, DEVELOPER_PASSWORD);

        HttpResponse<String> own = registerClient(developer, "Developer's app", "products:read");
        String ownClient = find(CLIENT_ID, own.body());
        token(ownClient, find(SECRET, own.body())).expect(200);

        String list = developer.get("/dashboard/credentials").body();
        assertThat(list).contains(ownClient).doesNotContain(adminClient).doesNotContain("Admin&#39;s app");
        assertThat(developer
                        .get("/dashboard/credentials/oauth-clients/" + adminClient)
                        .statusCode())
                .isEqualTo(404);
        assertThat(developer
                        .submit(
                                "/dashboard/credentials",
                                "/dashboard/credentials/oauth-clients/" + adminClient + "/delete")
                        .statusCode())
                .isEqualTo(404);
        assertThat(developer
                        .submit(
                                "/dashboard/credentials",
                                "/dashboard/credentials/oauth-clients/" + adminClient + "/rotate-secret")
                        .statusCode())
                .isEqualTo(404);
        assertThat(admin.get("/dashboard/credentials/oauth-clients/" + adminClient)
                        .statusCode())
                .isEqualTo(200);

        String form = developer.get("/dashboard/credentials/api-keys/new").body();
        assertThat(form).contains("value=\"products:read\"").doesNotContain("value=\"users:read\"");
        HttpResponse<String> forged = developer.submit(
                "/dashboard/credentials/api-keys/new",
                "/dashboard/credentials/api-keys",
                "name",
                "Sneaky",
                "scopes",
                "products:read",
                "scopes",
                "admin");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(HtmlUtils.htmlUnescape(forged.body())).contains("You cannot grant the 'admin' scope");
        assertThat(keysNamed("Sneaky")).isZero();

        HttpResponse<String> someoneElse = developer.submit(
                "/dashboard/credentials/api-keys/new",
                "/dashboard/credentials/api-keys",
                "name",
                "Mine",
                "scopes",
                "orders:read",
                "username",
                "admin-owned-user");
        assertThat(someoneElse.statusCode())
                .as("the username field is the admin's only")
                .isEqualTo(200);
        assertThat(keyNamed("Mine").get("user_id").asString()).isEqualTo(developerId);
        HttpResponse<String> adminsPage = developer.get("/dashboard/developers");
        assertThat(adminsPage.statusCode()).isEqualTo(403);
        assertThat(adminsPage.body()).contains("Only the admin may open this page.");
    }

    @Test
    void theAdminChangesADevelopersScopesAndEndsTheirSessionByTakingTheRole() {
        String name = "dev-" + System.nanoTime();
        String developerId = aDeveloper(name, DEVELOPER_PASSWORD, "products:read", "orders:read");
        DashboardSession developer = dashboard().signedIn(name, DEVELOPER_PASSWORD);
        assertThat(developer.get("/dashboard/credentials/api-keys/new").body()).contains("value=\"orders:read\"");

        HttpResponse<String> changed = admin.submit(
                "/dashboard/developers", "/dashboard/developers", "username", name, "scopes", "products:read");
        assertThat(changed.statusCode()).isEqualTo(302);
        assertThat(developer.get("/dashboard/credentials/api-keys/new").body())
                .contains("value=\"products:read\"")
                .doesNotContain("value=\"orders:read\"");
        assertThat(api.get("/v2/users/" + developerId + "/developer")
                        .asAdmin()
                        .send()
                        .expect(200)
                        .json()
                        .get("scopes")
                        .toString())
                .isEqualTo("[\"products:read\"]");

        admin.submit("/dashboard/developers", "/dashboard/developers/" + developerId + "/revoke");
        HttpResponse<String> after = developer.get("/dashboard/credentials");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/login");
        assertThat(dashboard()
                        .signIn(name, DEVELOPER_PASSWORD)
                        .headers()
                        .firstValue("Location")
                        .orElseThrow())
                .endsWith("?error");
    }

    @Test
    void badFormInputIsAnsweredOnTheFormAndWritesNothing() {
        long before = api.get("/v2/api-keys?limit=1")
                                .asAdmin()
                                .send()
                                .expect(200)
                                .json()
                                .size()
                        == 0
                ? 0
                : Long.parseLong(
                        api.get("/v2/api-keys?limit=1").asAdmin().send().header("X-Total-Count"));
        String[][] cases = {
            {"name", "", "scopes", "orders:read"},
            {"name", "x".repeat(101), "scopes", "orders:read"},
            {"name", "No scopes"},
            {"name", "Unknown scope", "scopes", "orders:delete"},
            {"name", "Bad limit", "scopes", "orders:read", "rateLimit", "abc"},
            {"name", "Zero limit", "scopes", "orders:read", "rateLimit", "0"},
            {"name", "Bad date", "scopes", "orders:read", "expiresOn", "yesterday"},
            {"name", "Past date", "scopes", "orders:read", "expiresOn", "2020-01-01"},
            {"name", "No such user", "scopes", "orders:read", "username", "nobody-" + System.nanoTime()},
        };
        for (String[] fields : cases) {
            HttpResponse<String> answer =
                    admin.submit("/dashboard/credentials/api-keys/new", "/dashboard/credentials/api-keys", fields);
            assertThat(answer.statusCode()).as(String.join(" ", fields)).isEqualTo(400);
            assertThat(answer.body())
                    .as(String.join(" ", fields))
                    .contains("role=\"alert\"")
                    .contains("<form");
        }
        HttpResponse<String> badRedirect = admin.submit(
                "/dashboard/credentials/oauth-clients/new",
                "/dashboard/credentials/oauth-clients",
                "name",
                "Bad redirect",
                "scopes",
                "orders:read",
                "redirectUris",
                "http://example.com/callback");
        assertThat(badRedirect.statusCode()).isEqualTo(400);
        assertThat(badRedirect.body()).contains("redirect URI");
        assertThat(Long.parseLong(
                        api.get("/v2/api-keys?limit=1").asAdmin().send().header("X-Total-Count")))
                .isEqualTo(before);
    }

    @Test
    void postsWithoutTheCsrfTokenAreRefused() {
        HttpResponse<String> forged =
                admin.post("/dashboard/credentials/oauth-clients", "name", "Forged", "scopes", "products:read");

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("security token");
        assertThat(admin.get("/dashboard/credentials").body()).doesNotContain("Forged");
    }

    @Test
    void theDeveloperRoleOverTheApi() {
        String user = aUser().named("role-" + System.nanoTime()).create();
        api.get("/v2/users/" + user + "/developer").asAdmin().send().expectError(404, "NOT_FOUND");
        api.put("/v2/users/" + user + "/developer", "{\"scopes\": [\"admin\"]}")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        api.put("/v2/users/" + user + "/developer", "{\"scopes\": []}")
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        api.put("/v2/users/usr_nobody/developer", "{\"scopes\": [\"products:read\"]}")
                .asAdmin()
                .send()
                .expectError(404, "NOT_FOUND");
        api.put("/v2/users/" + user + "/developer", "{\"scopes\": [\"products:read\"]}")
                .as(anApiKey(null, "users:write"))
                .send()
                .expectError(403, "INSUFFICIENT_SCOPE");

        JsonNode developer = api.put("/v2/users/" + user + "/developer", "{\"scopes\": [\"reports:read\"]}")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        assertThat(developer.get("user_id").asString()).isEqualTo(user);
        assertThat(developer.get("scopes").toString()).isEqualTo("[\"reports:read\"]");
        api.delete("/v2/users/" + user + "/developer").asAdmin().send().expect(204);
        api.delete("/v2/users/" + user + "/developer").asAdmin().send().expectError(404, "NOT_FOUND");
    }

    @Test
    void aDeletedDevelopersClientsGoWithThemAndTheirTokensStop() {
        String name = "dev-" + System.nanoTime();
        String developerId = aDeveloper(name, DEVELOPER_PASSWORD, "products:read");
        HttpResponse<String> created =
                registerClient(dashboard().signedIn(name, DEVELOPER_PASSWORD), "Doomed app", "products:read");
        String clientId = find(CLIENT_ID, created.body());
        String token = token(clientId, find(SECRET, created.body()))
                .expect(200)
                .json()
                .get("access_token")
                .asString();

        api.delete("/v2/users/" + developerId).asAdmin().send().expect(204);

        api.get("/v2/products?limit=1").as(token).send().expect(401);
        api.get("/v2/oauth-clients/" + clientId).asAdmin().send().expectError(404, "NOT_FOUND");
    }

    private static HttpResponse<String> registerClient(DashboardSession session, String name, String... scopes) {
        String[] fields = new String[4 + 2 * scopes.length];
        fields[0] = "name";
        fields[1] = name;
        fields[2] = "grantTypes";
        fields[3] = "client_credentials";
        for (int i = 0; i < scopes.length; i++) {
            fields[4 + 2 * i] = "scopes";
            fields[5 + 2 * i] = scopes[i];
        }
        HttpResponse<String> response = session.submit(
                "/dashboard/credentials/oauth-clients/new", "/dashboard/credentials/oauth-clients", fields);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private Response token(String clientId, String secret) {
        return api.post(
                        "/oauth/token",
                        "{\"grant_type\": \"client_credentials\", \"client_id\": \"" + clientId
                                + "\", \"client_secret\": \"" + secret + "\"}")
                .unvalidated()
                .send();
    }

    private JsonNode keyNamed(String name) {
        for (JsonNode key :
                api.get("/v2/api-keys?limit=100").asAdmin().send().expect(200).json()) {
            if (key.get("name").asString().equals(name)) {
                return key;
            }
        }
        throw new AssertionError("no API key named " + name);
    }

    private long keysNamed(String name) {
        long count = 0;
        for (JsonNode key :
                api.get("/v2/api-keys?limit=100").asAdmin().send().expect(200).json()) {
            count += key.get("name").asString().equals(name) ? 1 : 0;
        }
        return count;
    }

    private static String find(Pattern pattern, String page) {
        Matcher matcher = pattern.matcher(page);
        assertThat(matcher.find()).as(pattern + " in " + page).isTrue();
        return HtmlUtils.htmlUnescape(matcher.group(1));
    }
}
