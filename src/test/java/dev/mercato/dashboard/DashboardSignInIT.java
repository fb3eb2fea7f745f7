package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.DashboardSession;
import dev.mercato.support.ServerProcesses;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

/**
 * Signing in to the dashboard as a browser does, over HTTP with a cookie jar: the configured admin password, CSRF
 * tokens on every form, a new session at sign-in, lockout after repeated wrong passwords, sign-out.
 */
class DashboardSignInIT extends ApiTestSupport {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DashboardAccounts accounts;

    @Autowired
    DataSource dataSource;

    private DashboardSession browser;

    @BeforeEach
    void browser() {
        browser = dashboard();
    }

    @AfterEach
    void adminPasswordAsConfigured() {
        accounts.ensureAdmin(ADMIN_PASSWORD);
        jdbc.sql("delete from dashboard_sign_in_failures").update();
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
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("style=");
        assertThat(get("/dashboard/assets/dashboard.js").statusCode()).isEqualTo(200);
        assertThat(get("/dashboard/assets/vendor/chart.umd.js").statusCode()).isEqualTo(200);
        String before = browser.sessionId();

        HttpResponse<String> signedIn = signIn("admin", ADMIN_PASSWORD);

        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard");
        assertThat(browser.sessionId()).as("a new session at sign-in").isNotEqualTo(before);
        assertThat(signedIn.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).contains("HttpOnly").contains("SameSite"));
        HttpResponse<String> home = get("/dashboard");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("You are the admin");

        HttpResponse<String> out = browser.post("/dashboard/logout", "_csrf", DashboardSession.csrf(home.body()));
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/login?signed-out");
        assertThat(get("/dashboard").statusCode()).isEqualTo(302);
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        get("/dashboard/login");

        HttpResponse<String> forged = browser.post("/dashboard/login", "username", "admin", "password", ADMIN_PASSWORD);

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
        String username = "dev-lock-" + System.nanoTime();
        aDeveloper(username, password, "products:read");
        for (int i = 0; i < 5; i++) {
            assertThat(signIn(username, "Wrong-Guess-Number-" + i)
                            .headers()
                            .firstValue("Location")
                            .orElseThrow())
                    .endsWith("?error");
        }

        HttpResponse<String> locked = signIn(username, password);

        assertThat(locked.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/login?locked");
        assertThat(get("/dashboard/login?locked").body()).contains("locked");
        assertThat(get("/dashboard").statusCode()).isEqualTo(302);
    }

    @Test
    void theAdminPasswordIsResetFromTheCommandLineAndUnlocksTheAccount() throws Exception {
        jdbc.sql("insert into dashboard_sign_in_failures (account, locked_until) values ('admin', now() + interval "
                        + "'1 hour')")
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

    private HttpResponse<String> signIn(String username, String password) {
        return browser.signIn(username, password);
    }

    private HttpResponse<String> get(String path) {
        return browser.get(path);
    }
}
