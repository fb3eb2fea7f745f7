package dev.mercato.auth.oauth;

import static dev.mercato.support.Orders.v2Body;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpServer;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ClearValues;
import dev.mercato.support.HeadlessChromium;
import dev.mercato.support.Response;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The end-user flow as a person and an integration go through it: a real browser (headless Chromium) signs in at
 * {@code /login} and answers the consent page; a real OAuth client library (Nimbus) exchanges the code with its
 * PKCE verifier, refreshes and revokes; the token then acts for that user only. The "application" is a small HTTP
 * server on a loopback port that records the redirect it receives.
 *
 * <p>Needs Chromium and chromedriver ({@link HeadlessChromium}).
 */
class OAuthAuthorizationCodeIT extends ApiTestSupport {

    @Autowired
    JdbcClient jdbc;

    private static final String PASSWORD = "correct horse battery";

    private static WebDriver browser;
    private static HttpServer thirdPartyApp;
    private static final BlockingQueue<URI> callbacks = new LinkedBlockingQueue<>();

    private AuthorizationServerMetadata server;

    @BeforeAll
    static void startBrowserAndApp() throws Exception {
        browser = HeadlessChromium.start(1280, 900);

        thirdPartyApp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        thirdPartyApp.createContext("/callback", exchange -> {
            callbacks.add(exchange.getRequestURI());
            byte[] body = "<!DOCTYPE html><title>App</title><p>Back in the app.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        thirdPartyApp.start();
    }

    @AfterAll
    static void stopBrowserAndApp() {
        if (browser != null) {
            browser.quit();
        }
        if (thirdPartyApp != null) {
            thirdPartyApp.stop(0);
        }
    }

    @BeforeEach
    void freshBrowserSession() throws Exception {
        server = AuthorizationServerMetadata.resolve(new Issuer(api.base()));
        signOut();
        callbacks.clear();
    }

    /** Forgets the browser's session with Mercato (cookies are deleted for the page's own site only). */
    private void signOut() {
        browser.get(api.base() + "/login");
        browser.manage().deleteAllCookies();
    }

    // ---- the flow ----

    @Test
    void userSignsInConsentsAndTheAppActsForThem() throws Exception {
        String alice = user();
        Client app = client("users:read orders:read");
        Pkce pkce = new Pkce();

        Map<String, List<String>> callback = authorize(app, pkce, "users:read orders:read", alice, PASSWORD, true);
        assertThat(callback.get("state")).containsExactly(pkce.state.getValue());
        Tokens tokens = exchange(
                app,
                new AuthorizationCodeGrant(
                        new AuthorizationCode(first(callback, "code")), redirectUri(), pkce.verifier));

        JWTClaimsSet claims =
                SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(alice);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(app.id());
        assertThat(claims.getAudience()).containsExactly("mercato-api");
        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("users:read", "orders:read");
        assertThat(tokens.getRefreshToken()).isNotNull();

        String token = tokens.getAccessToken().getValue();
        JsonNode me = api.get("/v2/users/" + alice).as(token).send().expect(200).json();
        assertThat(me.get("id").asString()).isEqualTo(alice);
        api.get("/v2/products?limit=1").as(token).send().expectError(403, "INSUFFICIENT_SCOPE");

        // Refresh: a new pair; the old refresh token is refused from then on.
        Tokens refreshed = exchange(app, new RefreshTokenGrant(tokens.getRefreshToken()));
        assertThat(refreshed.getRefreshToken().getValue())
                .isNotEqualTo(tokens.getRefreshToken().getValue());
        assertThat(SignedJWT.parse(refreshed.getAccessToken().getValue())
                        .getJWTClaimsSet()
                        .getSubject())
                .isEqualTo(alice);
        assertThat(tokenError(app, new RefreshTokenGrant(tokens.getRefreshToken())))
                .isEqualTo("invalid_grant");
        api.get("/v2/users/" + alice)
                .as(refreshed.getAccessToken().getValue())
                .send()
                .expect(200);

        // The store keeps hashes only: nothing in it could be presented as a token.
        String refreshValue = refreshed.getRefreshToken().getValue();
        String accessValue = refreshed.getAccessToken().getValue();
        var stored = jdbc.sql("select coalesce(authorization_code_value, '') || ' ' || coalesce(access_token_value, '')"
                        + " || ' ' || coalesce(refresh_token_value, '') from oauth2_authorization"
                        + " where principal_name = :alice")
                .param("alice", alice)
                .query(String.class)
                .list();
        assertThat(String.join(" ", stored))
                .doesNotContain(refreshValue)
                .doesNotContain(accessValue)
                .doesNotContain(first(callback, "code"))
                .contains(HashedTokenValues.hash(refreshValue))
                .contains(HashedTokenValues.hash(accessValue));

        // Revoking the refresh token ends the grant: it and its access token stop working.
        HTTPResponse revoked = new TokenRevocationRequest(
                        server.getRevocationEndpointURI(), app.basic(), refreshed.getRefreshToken())
                .toHTTPRequest()
                .send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(tokenError(app, new RefreshTokenGrant(refreshed.getRefreshToken())))
                .isEqualTo("invalid_grant");
        api.get("/v2/users/" + alice)
                .as(refreshed.getAccessToken().getValue())
                .send()
                .expectError(401, "INVALID_TOKEN");
    }

    @Test
    void deactivatingTheUserEndsWhatTheyAuthorized() throws Exception {
        assertThatTheUsersTokensEndWhen(user -> api.patch("/v2/users/" + user, "{\"status\": \"inactive\"}")
                .asAdmin()
                .send()
                .expect(200));
    }

    @Test
    void deletingTheUserEndsWhatTheyAuthorized() throws Exception {
        assertThatTheUsersTokensEndWhen(
                user -> api.delete("/v2/users/" + user).asAdmin().send().expect(204));
    }

    @Test
    void aNewPasswordEndsWhatTheUserAuthorized() throws Exception {
        assertThatTheUsersTokensEndWhen(
                user -> api.put("/v2/users/" + user + "/password", "{\"password\": \"Another-Quiet-Orchard-9\"}")
                        .asAdmin()
                        .send()
                        .expect(204));
    }

    @Test
    void anAppChangesItsUsersPasswordOnlyWithTheCurrentOne() throws Exception {
        String grace = user();
        String token = userToken(grace, "users:read users:write");
        String path = "/v2/users/" + grace + "/password";

        JsonNode missing = api.put(path, "{\"password\": \"Another-Quiet-Orchard-9\"}")
                .as(token)
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(missing.get("details").asString()).isEqualTo("current_password (string)");
        api.put(path, "{\"password\": \"Another-Quiet-Orchard-9\", \"current_password\": \"not-it-at-all\"}")
                .as(token)
                .send()
                .expectError(403, "CURRENT_PASSWORD_INCORRECT");
        api.get("/v2/users/" + grace).as(token).send().expect(200);

        api.put(path, "{\"password\": \"Another-Quiet-Orchard-9\", \"current_password\": \"" + PASSWORD + "\"}")
                .as(token)
                .send()
                .expect(204);

        api.get("/v2/users/" + grace).as(token).send().expectError(401, "INVALID_TOKEN");
    }

    private void assertThatTheUsersTokensEndWhen(java.util.function.Consumer<String> ending) throws Exception {
        String frank = user();
        Client app = client("users:read");
        Pkce pkce = new Pkce();
        Map<String, List<String>> callback = authorize(app, pkce, "users:read", frank, PASSWORD, true);
        Tokens tokens = exchange(
                app,
                new AuthorizationCodeGrant(
                        new AuthorizationCode(first(callback, "code")), redirectUri(), pkce.verifier));
        String token = tokens.getAccessToken().getValue();
        api.get("/v2/products?limit=1").as(token).send().expectError(403, "INSUFFICIENT_SCOPE");

        ending.accept(frank);

        api.get("/v2/products?limit=1").as(token).send().expectError(401, "INVALID_TOKEN");
        assertThat(tokenError(app, new RefreshTokenGrant(tokens.getRefreshToken())))
                .isEqualTo("invalid_grant");
    }

    @Test
    void theStoreKeepsNothingABrowserOrAClientCouldPresent() throws Exception {
        String grace = user();
        Client app = client("users:read");
        Pkce pkce = new Pkce();
        browser.get(pkce.request(app, "users:read").toString());
        signIn(usernameOf(grace), PASSWORD);
        waitFor("/oauth/consent");

        // The request waiting for consent is found by its state, which is kept only as a hash.
        String state = first(
                URLUtils.parseParameters(URI.create(browser.getCurrentUrl()).getRawQuery()), "state");
        assertThat(storedValue(grace, "state")).isEqualTo(HashedTokenValues.hash(state));
        assertNowhereInClear(state);
        assertNowhereInClear(browser.manage().getCookieNamed("JSESSIONID").getValue());
        browser.findElement(By.id("allow")).click();
        String code = first(awaitCallback(), "code");
        assertThat(storedValue(grace, "authorization_code_value")).isEqualTo(HashedTokenValues.hash(code));
        assertNowhereInClear(code);

        Tokens tokens =
                exchange(app, new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri(), pkce.verifier));
        Tokens refreshed = exchange(app, new RefreshTokenGrant(tokens.getRefreshToken()));
        String access = refreshed.getAccessToken().getValue();
        assertThat(storedValue(grace, "access_token_value")).isEqualTo(HashedTokenValues.hash(access));
        assertThat(storedValue(grace, "refresh_token_value"))
                .isEqualTo(HashedTokenValues.hash(refreshed.getRefreshToken().getValue()));
        for (String value : List.of(
                code,
                tokens.getAccessToken().getValue(),
                tokens.getRefreshToken().getValue(),
                access,
                refreshed.getRefreshToken().getValue())) {
            assertNowhereInClear(value);
        }

        // Introspection and revocation find them by the value presented, and compare it.
        assertThat(introspect(app, refreshed.getAccessToken()).isActive()).isTrue();
        assertThat(introspect(app, refreshed.getRefreshToken()).isActive()).isTrue();
        assertThat(introspect(app, tokens.getRefreshToken()).isActive())
                .as("the refresh token used")
                .isFalse();
        HTTPResponse revoked = new TokenRevocationRequest(
                        server.getRevocationEndpointURI(), app.basic(), refreshed.getAccessToken())
                .toHTTPRequest()
                .send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(introspect(app, refreshed.getAccessToken()).isActive()).isFalse();
        api.get("/v2/users/" + grace).as(access).send().expectError(401, "INVALID_TOKEN");
    }

    @Test
    void consentIsRememberedForTheSameScopes() throws Exception {
        String bob = user();
        Client app = client("orders:read");
        authorize(app, new Pkce(), "orders:read", bob, PASSWORD, true);

        Pkce again = new Pkce();
        browser.get(again.request(app, "orders:read").toString());
        Map<String, List<String>> callback = awaitCallback();
        assertThat(callback).containsKey("code");
        exchange(
                app,
                new AuthorizationCodeGrant(
                        new AuthorizationCode(first(callback, "code")), redirectUri(), again.verifier));
    }

    @Test
    void wrongPasswordShowsAnErrorThatDoesNotSayWhichPartWasWrong() throws Exception {
        String carol = user();
        Client app = client("orders:read");
        browser.get(new Pkce().request(app, "orders:read").toString());

        signIn(usernameOf(carol), "not the password");
        String wrongPassword = browser.findElement(By.id("sign-in-error")).getText();
        assertThat(wrongPassword).isEqualTo("Wrong username or password.");

        signIn("nobody-" + UUID.randomUUID().toString().substring(0, 8), PASSWORD);
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).isEqualTo(wrongPassword);
        assertThat(browser.getCurrentUrl()).startsWith(api.base() + "/login");
        assertThat(callbacks.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void inactiveUserCannotSignIn() throws Exception {
        String dave = user();
        api.patch("/v2/users/" + dave, "{\"status\": \"inactive\"}")
                .asAdmin()
                .send()
                .expect(200);
        browser.get(new Pkce().request(client("orders:read"), "orders:read").toString());
        signIn(usernameOf(dave), PASSWORD);
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).isEqualTo("Wrong username or password.");
    }

    @Test
    void consentPageNamesTheAppAndDescribesEachScope() throws Exception {
        String erin = user();
        Client app = client("users:read orders:write");
        browser.get(new Pkce().request(app, "users:read orders:write").toString());
        signIn(usernameOf(erin), PASSWORD);
        waitFor("/oauth/consent");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains(app.name());
        assertThat(browser.findElements(By.cssSelector("main li")).stream().map(item -> item.getText()))
                .containsExactlyInAnyOrder(
                        "See your account: username, email address, name and phone number",
                        "Place orders in your name and cancel them");
    }

    @Test
    void denyingConsentSendsAccessDeniedToTheApp() throws Exception {
        String frank = user();
        Client app = client("orders:read");
        Pkce pkce = new Pkce();
        Map<String, List<String>> callback = authorize(app, pkce, "orders:read", frank, PASSWORD, false);
        assertThat(callback.get("error")).containsExactly("access_denied");
        assertThat(callback.get("state")).containsExactly(pkce.state.getValue());
        assertThat(callback).doesNotContainKey("code");
    }

    @Test
    void codeWorksOnceWithItsVerifierOnly() throws Exception {
        String grace = user();
        Client app = client("orders:read");
        Pkce pkce = new Pkce();
        AuthorizationCode code =
                new AuthorizationCode(first(authorize(app, pkce, "orders:read", grace, PASSWORD, true), "code"));

        assertThat(tokenError(app, new AuthorizationCodeGrant(code, redirectUri(), new CodeVerifier())))
                .isEqualTo("invalid_grant");
        exchange(app, new AuthorizationCodeGrant(code, redirectUri(), pkce.verifier));
        assertThat(tokenError(app, new AuthorizationCodeGrant(code, redirectUri(), pkce.verifier)))
                .isEqualTo("invalid_grant");
    }

    // ---- requests refused before anyone signs in ----

    @Test
    void requestWithoutPkceOrWithThePlainMethodIsRefusedAtTheRedirectUri() {
        Client app = client("orders:read");
        String base = server.getAuthorizationEndpointURI() + "?response_type=code&client_id=" + app.id()
                + "&redirect_uri=" + redirectUri() + "&scope=orders:read&state=xyz";

        Map<String, List<String>> missing =
                redirectedError(api.get(base.substring(api.base().length())));
        assertThat(missing.get("error")).containsExactly("invalid_request");
        assertThat(missing.get("state")).containsExactly("xyz");

        Map<String, List<String>> plain =
                redirectedError(api.get(base.substring(api.base().length()) + "&code_challenge="
                        + new CodeVerifier().getValue() + "&code_challenge_method=plain"));
        assertThat(plain.get("error")).containsExactly("invalid_request");
    }

    @Test
    void redirectUriThatIsNotTheClientsIsNeverRedirectedTo() {
        Client app = client("orders:read");
        Response refused = api.get("/oauth/authorize?response_type=code&client_id=" + app.id()
                        + "&redirect_uri=https://attacker.example/callback&scope=orders:read&state=xyz"
                        + "&code_challenge=" + new Pkce().challenge() + "&code_challenge_method=S256")
                .unvalidated()
                .send()
                .expect(400);
        assertThat(refused.header("Location")).isNull();
        assertThat(refused.json().get("error").asString()).isEqualTo("invalid_request");
    }

    /** RFC 8252 7.3: an app on the user's machine listens on whatever port is free; nothing else may vary. */
    @Test
    void aLoopbackRedirectUriMayNameAnyPortAndNothingElseVaries() {
        Client app = client("orders:read");
        URI registered = redirectUri();
        int otherPort = registered.getPort() == 50_000 ? 50_001 : 50_000;

        Response anyPort = authorizeRedirectingTo(app, "http://127.0.0.1:" + otherPort + registered.getPath());
        assertThat(anyPort.status()).as("on to the sign-in, not refused").isEqualTo(302);
        assertThat(anyPort.header("Location")).endsWith("/login");

        for (String other : new String[] {
            "http://127.0.0.1:" + registered.getPort() + "/elsewhere",
            "http://localhost:" + registered.getPort() + registered.getPath(),
            "https://127.0.0.1:" + registered.getPort() + registered.getPath()
        }) {
            Response refused = authorizeRedirectingTo(app, other);
            assertThat(refused.status()).as(other).isEqualTo(400);
            assertThat(refused.header("Location")).as(other).isNull();
        }
    }

    private Response authorizeRedirectingTo(Client app, String redirectUri) {
        return api.get("/oauth/authorize?response_type=code&client_id=" + app.id() + "&redirect_uri=" + redirectUri
                        + "&scope=orders:read&state=xyz&code_challenge=" + new Pkce().challenge()
                        + "&code_challenge_method=S256")
                .unvalidated()
                .send();
    }

    @Test
    void operatorScopesCannotBeGrantedByAUser() {
        Client app = client("orders:read admin");
        Map<String, List<String>> refused = redirectedError(api.get("/oauth/authorize?response_type=code&client_id="
                + app.id() + "&redirect_uri=" + redirectUri() + "&scope=orders:read%20admin&state=s1"
                + "&code_challenge=" + new Pkce().challenge() + "&code_challenge_method=S256"));
        assertThat(refused.get("error")).containsExactly("invalid_scope");
    }

    @Test
    void unauthenticatedBrowserIsSentToSignIn() {
        Client app = client("orders:read");
        Response redirect = api.get(new Pkce()
                        .request(app, "orders:read")
                        .toString()
                        .substring(api.base().length()))
                .unvalidated()
                .send()
                .expect(302);
        assertThat(redirect.header("Location")).isEqualTo(api.base() + "/login");
    }

    // ---- a user-authorized token acts for its user only ----

    @Test
    void tokenSeesAndChangesOnlyItsUsersRecordOrdersAndPayments() throws Exception {
        String alice = user();
        String bob = user();
        String product = product();
        String alicesOrder = order(alice, product);
        String bobsOrder = order(bob, product);
        String bobsPayment = pay(bobsOrder);
        String token = userToken(alice, "users:read users:write orders:read orders:write payments:write");

        // users
        api.get("/v2/users/" + alice).as(token).send().expect(200);
        api.get("/v2/users/" + bob).as(token).send().expectError(404, "NOT_FOUND");
        api.patch("/v2/users/" + bob, "{\"status\": \"inactive\"}")
                .as(token)
                .send()
                .expectError(404, "NOT_FOUND");
        api.put("/v2/users/" + bob + "/password", "{\"password\": \"taken over now\"}")
                .as(token)
                .send()
                .expectError(404, "NOT_FOUND");
        api.delete("/v2/users/" + bob).as(token).send().expectError(404, "NOT_FOUND");
        assertThat(ids(api.get("/v2/users?limit=100").as(token).send().expect(200)))
                .containsExactly(alice);
        assertThat(ids(api.get("/users?limit=100").as(token).send().expect(200)))
                .containsExactly(alice);
        api.post("/v2/users", "{\"username\": \"made_by_token\"}")
                .as(token)
                .send()
                .expectError(403, "FORBIDDEN");
        api.patch("/v2/users/" + alice, "{\"profile\": {\"first_name\": \"Alice\"}}")
                .as(token)
                .send()
                .expect(200);

        // orders
        api.get("/v2/orders/" + alicesOrder).as(token).send().expect(200);
        api.get("/v2/orders/" + bobsOrder).as(token).send().expectError(404, "NOT_FOUND");
        api.get("/orders/" + bobsOrder).as(token).send().expectError(404, "NOT_FOUND");
        assertThat(ids(api.get("/v2/orders?limit=100").as(token).send().expect(200)))
                .containsExactly(alicesOrder);
        assertThat(ids(api.get("/v2/orders?user_id=" + bob).as(token).send().expect(200)))
                .isEmpty();
        // Another user's id in the body is as unknown to this token as an id that does not exist.
        api.post("/v2/orders", v2Body(bob, product, 1)).as(token).send().expectError(400, "USER_NOT_FOUND");
        String placed = api.post("/v2/orders", v2Body(alice, product, 1))
                .as(token)
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        api.patch("/v2/orders/" + bobsOrder, "{\"status\": \"cancelled\"}")
                .as(token)
                .send()
                .expectError(404, "NOT_FOUND");
        api.patch("/v2/orders/" + placed, "{\"status\": \"shipped\"}")
                .as(token)
                .send()
                .expectError(403, "FORBIDDEN");
        api.patch("/v2/orders/" + placed, "{\"status\": \"cancelled\"}")
                .as(token)
                .send()
                .expect(200);

        // payments, through the order's owner
        api.get("/v2/payments/" + bobsPayment).as(token).send().expectError(404, "NOT_FOUND");
        api.post("/v2/payments/" + bobsPayment + "/refunds", "{}")
                .as(token)
                .send()
                .expectError(404, "NOT_FOUND");
        api.post("/v2/payments", paymentBody(bobsOrder)).as(token).send().expectError(404, "NOT_FOUND");
        String alicesPayment = api.post("/v2/payments", paymentBody(alicesOrder))
                .as(token)
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
        api.get("/v2/payments/" + alicesPayment).as(token).send().expect(200);
        assertThat(ids(api.get("/v2/payments?limit=100").as(token).send().expect(200)))
                .containsExactly(alicesPayment);
        assertThat(ids(api.get("/v2/payments?order_id=" + bobsOrder)
                        .as(token)
                        .send()
                        .expect(200)))
                .isEmpty();
        // Refunds are the shop's; cancelling the paid order, which refunds it, is the user's.
        api.post("/v2/payments/" + alicesPayment + "/refunds", "{}")
                .as(token)
                .send()
                .expectError(403, "FORBIDDEN");
        assertThat(api.get("/v2/payments/" + alicesPayment + "/refunds")
                        .as(token)
                        .send()
                        .expect(200)
                        .json())
                .isEmpty();
        api.patch("/v2/orders/" + alicesOrder, "{\"status\": \"cancelled\"}")
                .as(token)
                .send()
                .expect(200);
        assertThat(api.get("/v2/payments/" + alicesPayment + "/refunds")
                        .as(token)
                        .send()
                        .expect(200)
                        .json())
                .hasSize(1);

        // An API key owned by a user is not confined (only tokens a user authorized are).
        String key = api.post("/v2/api-keys", """
                {"name": "alice's key", "scopes": ["orders:read"], "user_id": "%s"}""".formatted(alice))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
        api.get("/v2/orders/" + bobsOrder).as(key).send().expect(200);
    }

    @Test
    void idempotencyKeysOfOneAppAreKeptApartPerUser() throws Exception {
        String alice = user();
        String bob = user();
        String product = product();
        Client app = client("orders:read orders:write");
        String alicesToken = userToken(app, alice, "orders:read orders:write");
        signOut();
        String bobsToken = userToken(app, bob, "orders:read orders:write");
        String key = UUID.randomUUID().toString();

        Response alicesOrder = api.post("/v2/orders", v2Body(alice, product, 1))
                .as(alicesToken)
                .header("Idempotency-Key", key)
                .send()
                .expect(201);

        // The same key and body through the same app, from Bob: his own request (which may not order for Alice),
        // never Alice's stored response.
        Response bobsReplay = api.post("/v2/orders", v2Body(alice, product, 1))
                .as(bobsToken)
                .header("Idempotency-Key", key)
                .send();
        bobsReplay.expectError(400, "USER_NOT_FOUND");
        assertThat(bobsReplay.header("Idempotent-Replayed")).isNull();
        assertThat(bobsReplay.body())
                .doesNotContain(alicesOrder.json().get("id").asString());
        // Nor is Bob's own order under that key a reuse of Alice's key.
        Response bobsOrder = api.post("/v2/orders", v2Body(bob, product, 1))
                .as(bobsToken)
                .header("Idempotency-Key", key)
                .send()
                .expect(201);
        assertThat(bobsOrder.header("Idempotent-Replayed")).isNull();

        // Each user's retry replays that user's own order.
        assertThat(api.post("/v2/orders", v2Body(alice, product, 1))
                        .as(alicesToken)
                        .header("Idempotency-Key", key)
                        .send()
                        .expect(201)
                        .body())
                .isEqualTo(alicesOrder.body());
        assertThat(api.post("/v2/orders", v2Body(bob, product, 1))
                        .as(bobsToken)
                        .header("Idempotency-Key", key)
                        .send()
                        .expect(201)
                        .body())
                .isEqualTo(bobsOrder.body());
    }

    // ---- fixtures ----

    record Client(String id, String secret, String name) {

        ClientSecretBasic basic() {
            return new ClientSecretBasic(new ClientID(id), new Secret(secret));
        }
    }

    /** One authorization request's PKCE verifier and state. */
    private final class Pkce {
        final CodeVerifier verifier = new CodeVerifier();
        final State state = new State();

        URI request(Client client, String scope) {
            return new AuthorizationRequest.Builder(
                            new ResponseType(ResponseType.Value.CODE), new ClientID(client.id()))
                    .endpointURI(server.getAuthorizationEndpointURI())
                    .redirectionURI(redirectUri())
                    .scope(Scope.parse(scope))
                    .state(state)
                    .codeChallenge(verifier, CodeChallengeMethod.S256)
                    .build()
                    .toURI();
        }

        String challenge() {
            return com.nimbusds.oauth2.sdk.pkce.CodeChallenge.compute(CodeChallengeMethod.S256, verifier)
                    .getValue();
        }
    }

    /** Goes through sign-in and consent in the browser; the query the app's redirect URI received. */
    private Map<String, List<String>> authorize(
            Client client, Pkce pkce, String scope, String userId, String password, boolean allow) throws Exception {
        browser.get(pkce.request(client, scope).toString());
        signIn(usernameOf(userId), password);
        waitFor("/oauth/consent");
        browser.findElement(By.id(allow ? "allow" : "deny")).click();
        return awaitCallback();
    }

    private void signIn(String username, String password) {
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        var submit = browser.findElement(By.cssSelector("button[type=submit]"));
        submit.click();
        // The sign-in page is replaced by whatever comes next (the page again with an error, consent, the app):
        // wait for that, so that the caller never looks at the old page.
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> isGone(submit));
    }

    /**
     * Chromium reports an element of a page being replaced either as stale or, mid-navigation, as an "unknown
     * error" saying the node no longer belongs to the document; both mean the old page is gone.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException gone) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    private void waitFor(String path) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains(path));
    }

    private static Map<String, List<String>> awaitCallback() throws InterruptedException {
        URI callback = callbacks.poll(10, TimeUnit.SECONDS);
        assertThat(callback).as("the redirect to the app").isNotNull();
        return URLUtils.parseParameters(callback.getRawQuery());
    }

    private static Map<String, List<String>> redirectedError(dev.mercato.support.Api.Call call) {
        Response response = call.unvalidated().send().expect(302);
        URI location = URI.create(response.header("Location"));
        assertThat(location.getPath()).isEqualTo("/callback");
        Map<String, List<String>> query = URLUtils.parseParameters(location.getRawQuery());
        assertThat(query).doesNotContainKey("code");
        return query;
    }

    private static URI redirectUri() {
        return URI.create("http://127.0.0.1:" + thirdPartyApp.getAddress().getPort() + "/callback");
    }

    private Tokens exchange(Client client, AuthorizationGrant grant) throws Exception {
        HTTPResponse http = new TokenRequest(server.getTokenEndpointURI(), client.basic(), grant)
                .toHTTPRequest()
                .send();
        TokenResponse response = TokenResponse.parse(http);
        assertThat(response.indicatesSuccess())
                .as("token response " + http.getBody())
                .isTrue();
        return ((AccessTokenResponse) response).getTokens();
    }

    private TokenIntrospectionSuccessResponse introspect(Client client, Token token) throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(
                new TokenIntrospectionRequest(server.getIntrospectionEndpointURI(), client.basic(), token)
                        .toHTTPRequest()
                        .send());
        assertThat(response.indicatesSuccess()).isTrue();
        return response.toSuccessResponse();
    }

    /** One column of the user's single grant in the authorization store. */
    private String storedValue(String userId, String column) {
        return jdbc.sql("select " + column + " from oauth2_authorization where principal_name = :user")
                .param("user", userId)
                .query(String.class)
                .single();
    }

    private void assertNowhereInClear(String value) {
        assertThat(ClearValues.whereStored(jdbc, value))
                .as("columns holding it in clear")
                .isEmpty();
    }

    private String tokenError(Client client, AuthorizationGrant grant) throws Exception {
        HTTPResponse http = new TokenRequest(server.getTokenEndpointURI(), client.basic(), grant)
                .toHTTPRequest()
                .send();
        assertThat(http.getStatusCode()).as(http.getBody()).isEqualTo(400);
        return TokenErrorResponse.parse(http).getErrorObject().getCode();
    }

    private Client client(String scopes) {
        String name = "app " + UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = api.post("/v2/oauth-clients", """
                {"name": "%s", "scopes": ["%s"], "redirect_uris": ["%s"]}""".formatted(
                                name, String.join("\", \"", scopes.split(" ")), redirectUri()))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        return new Client(
                created.get("client_id").asString(),
                created.get("client_secret").asString(),
                name);
    }

    /** An active user with a password; returns the id. */
    private String user() {
        return aUser().withPassword(PASSWORD).create();
    }

    /** A token the user authorized for a new app, through the browser. */
    private String userToken(String userId, String scopes) throws Exception {
        return userToken(client(scopes), userId, scopes);
    }

    /** A token the user authorized for this app, through the browser (signed in as no one else). */
    private String userToken(Client client, String userId, String scopes) throws Exception {
        Pkce pkce = new Pkce();
        String code = first(authorize(client, pkce, scopes, userId, PASSWORD, true), "code");
        return exchange(client, new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri(), pkce.verifier))
                .getAccessToken()
                .getValue();
    }

    private String product() {
        return aProduct().priced("10.00", "USD").withStock(100).create();
    }

    private String order(String userId, String productId) {
        return placeOrder(userId, productId, 1).expect(201).json().get("id").asString();
    }

    private static String paymentBody(String orderId) {
        return """
                {"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": 10.00, "currency": "USD"}""".formatted(orderId);
    }

    private String pay(String orderId) {
        return api.post("/v2/payments", paymentBody(orderId))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
    }

    private static List<String> ids(Response list) {
        List<String> ids = new java.util.ArrayList<>();
        list.json().forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private String usernameOf(String userId) {
        return api.get("/v2/users/" + userId)
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get("username")
                .asString();
    }

    private static String first(Map<String, List<String>> query, String name) {
        assertThat(query).as("redirect query").containsKey(name);
        return query.get(name).get(0);
    }
}
