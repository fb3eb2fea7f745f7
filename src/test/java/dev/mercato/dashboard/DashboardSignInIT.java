package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ServerProcesses;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * Signing in to the dashboard as a browser does, over HTTP with a cookie jar: the configured admin password, CSRF
 * tokens on every form, a new session at sign-in, lockout after repeated wrong passwords, sign-out.
 */
class DashboardSignInIT extends ApiTestSupport {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int serverPort;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DashboardAccounts accounts;

    @Autowired
    DataSource dataSource;

    private CookieManager cookies;
    private HttpClient browser;

    @BeforeEach
    void browser() {
        cookies = new CookieManager();
        browser = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @AfterEach
    void adminPasswordAsConfigured() {
        accounts.ensureAdmin(ADMIN_PASSWORD);
        jdbc.sql("delete from dashboard_accounts where username like 'dev-%'").update();
    }

    @Test
    void theAdminSignsInWithTheConfiguredPasswordIntoANewSessionAndOut() throws Exception {
        HttpResponse<String> anonymous = get("/dashboard");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/login");
        HttpResponse<String> page = get("/dashboard/login");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(page.body()).doesNotContain("<script").doesNotContain("style=");
        String before = session();

        HttpResponse<String> signedIn = signIn("admin", ADMIN_PASSWORD);

        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard");
        assertThat(session()).as("a new session at sign-in").isNotEqualTo(before);
        assertThat(signedIn.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).contains("HttpOnly").contains("SameSite"));
        HttpResponse<String> home = get("/dashboard");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Signed in as admin").contains("You are the admin");

        HttpResponse<String> out = post("/dashboard/logout", Map.of("_csrf", csrf(home.body())));
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/login?signed-out");
        assertThat(get("/dashboard").statusCode()).isEqualTo(302);
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        get("/dashboard/login");

        HttpResponse<String> forged = post("/dashboard/login", Map.of("username", "admin", "password", ADMIN_PASSWORD));

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(get("/dashboard").statusCode()).isEqualTo(302);
    }

    @Test
    void aWrongPasswordSaysSoWithoutSayingWhetherTheAccountExists() throws Exception {
        HttpResponse<String> wrong = signIn("admin", "Not-The-Right-One-9");
        HttpResponse<String> nobody = signIn("nobody-at-all", "Not-The-Right-One-9");

        assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/login?error");
        assertThat(nobody.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/login?error");
        assertThat(get("/dashboard/login?error").body()).contains("Wrong username or password.");
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountEvenForTheRightOne() throws Exception {
        String password = "Amber-Meadow-42-Falcon";
        jdbc.sql("insert into dashboard_accounts (username, role, password_hash) values ('dev-lock', 'developer', ?)")
                .param(PasswordEncoderFactories.createDelegatingPasswordEncoder()
                        .encode(password))
                .update();
        for (int i = 0; i < 5; i++) {
            assertThat(signIn("dev-lock", "Wrong-Guess-Number-" + i)
                            .headers()
                            .firstValue("Location")
                            .orElseThrow())
                    .endsWith("?error");
        }

        HttpResponse<String> locked = signIn("dev-lock", password);

        assertThat(locked.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/login?locked");
        assertThat(get("/dashboard/login?locked").body()).contains("locked");
        assertThat(get("/dashboard").statusCode()).isEqualTo(302);
    }

    @Test
    void theAdminPasswordIsResetFromTheCommandLineAndUnlocksTheAccount() throws Exception {
        jdbc.sql("update dashboard_accounts set locked_until = now() + interval '1 hour' where username = 'admin'")
                .update();

        String output = new ServerProcesses(dataSource).command("reset-admin-password", "reset-admin-password");

        Matcher printed = Pattern.compile("New dashboard admin password[^\\n]*\\n\\s+(\\S+)")
                .matcher(output);
        assertThat(printed.find()).as(output).isTrue();
        assertThat(signIn("admin", ADMIN_PASSWORD)
                        .headers()
                        .firstValue("Location")
                        .orElseThrow())
                .endsWith("?error");
        assertThat(signIn("admin", printed.group(1))
                        .headers()
                        .firstValue("Location")
                        .orElseThrow())
                .endsWith("/dashboard");
    }

    @Test
    void aWeakConfiguredAdminPasswordStopsTheStartSayingWhy() {
        Environment environment = new MockEnvironment();
        assertThatThrownBy(() ->
                        new AdminAccountBootstrap(accounts, new AdminAccountProperties("password1234"), environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mercato.admin.password")
                .hasMessageContaining("common password");
    }

    private HttpResponse<String> signIn(String username, String password) throws Exception {
        String token = csrf(get("/dashboard/login").body());
        return post("/dashboard/login", Map.of("username", username, "password", password, "_csrf", token));
    }

    private String session() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF token in " + page).isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + serverPort + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return browser.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + serverPort + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
