package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (headless Chromium, {@link HeadlessChromium}), as its users go through it: the
 * admin registers an OAuth client, reads its secret once, and the test gets a token with it and calls the API; the
 * admin deletes the client and the token request fails; a developer sees only their own credentials and cannot
 * grant a scope they lack, even by changing the form; posts without their CSRF token fail; repeated wrong passwords
 * lock an account; signing out ends the session. Every page passes axe-core without a serious or critical
 * violation, at desktop and at phone width, and is saved as a screenshot to {@code target/screenshots/}.
 */
class DashboardBrowserIT extends ApiTestSupport {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Dimension DESKTOP = new Dimension(1280, 900);
    private static final Dimension PHONE = new Dimension(390, 844);
    private static final String DEVELOPER_PASSWORD = "Willow-Engine-73-Harbor";
    private static final Set<String> BLOCKING_IMPACTS = Set.of("serious", "critical");

    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = HeadlessChromium.start(DESKTOP.getWidth(), DESKTOP.getHeight());
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.manage().window().setSize(DESKTOP);
        browser.get(api.base() + "/dashboard/login");
        browser.manage().deleteAllCookies();
    }

    @Test
    void theAdminRegistersAClientUsesItsSecretOnceAndDeletesIt() {
        signIn("admin", ADMIN_PASSWORD);
        open("/dashboard/credentials");
        browser.findElement(By.linkText("Register an OAuth client")).click();
        browser.findElement(By.id("name")).sendKeys("Browser shop app");
        browser.findElement(By.id("scope-products-read")).click();
        submitForm();

        wait(ExpectedConditions.presenceOfElementLocated(By.id("secret")));
        String clientId = browser.findElement(By.id("client-id")).getText();
        String secret = browser.findElement(By.id("secret")).getAttribute("value");
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
                .contains("Copy the secret now");
        // The script is deferred: the button works once the page has loaded.
        wait(driver -> "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
        WebElement copy = browser.findElement(By.cssSelector("button.copy[data-copy=secret]"));
        copy.click();
        wait(driver -> !copy.getText().equals("Copy"));

        String token = token(clientId, secret).get("access_token").asString();
        String requestId = "browser-test-" + System.nanoTime();
        api.get("/v2/products?limit=1")
                .as(token)
                .header("X-Request-Id", requestId)
                .send()
                .expect(200);

        // The call shows in the usage table (the access log is written in the background) and in the chart.
        wait(driver -> {
            open("/dashboard/usage?credential=" + clientId);
            return browser.findElements(By.id("usage-requests")).stream()
                    .anyMatch(table -> table.getText().contains(requestId));
        });
        assertThat(browser.findElement(By.id("usage-requests")).getText())
                .contains("/v2/products")
                .contains("200");
        Object charted = wait(driver -> ((JavascriptExecutor) driver).executeScript("""
                const chart = window.Chart && Chart.getChart(document.getElementById('usage-day-requests'));
                return chart ? chart.data.datasets[0].data.reduce((a, b) => a + Number(b), 0) : null;"""));
        assertThat(((Number) charted).intValue()).as("2xx requests charted").isPositive();

        open("/dashboard/credentials/oauth-clients/" + clientId);
        assertThat(browser.getPageSource()).doesNotContain(secret);
        browser.findElement(By.cssSelector("button.danger")).click();
        wait(ExpectedConditions.urlToBe(api.base() + "/dashboard/credentials"));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
                .contains("is deleted");
        api.post("/oauth/token", tokenRequest(clientId, secret))
                .unvalidated()
                .send()
                .expect(401);
    }

    @Test
    void aDeveloperSeesOnlyTheirOwnCredentialsAndCannotGrantWhatTheyLack() {
        JsonNode adminsClient = api.post(
                        "/v2/oauth-clients", "{\"name\": \"Admin-only app\", \"scopes\": [\"users:read\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        String name = "browser-dev-" + System.nanoTime();
        aDeveloper(name, DEVELOPER_PASSWORD, "products:read");
        signIn(name, DEVELOPER_PASSWORD);

        open("/dashboard/credentials");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Admin-only app");
        open("/dashboard/credentials/oauth-clients/"
                + adminsClient.get("client_id").asString());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("404 Not Found");

        open("/dashboard/credentials/oauth-clients/new");
        assertThat(browser.findElements(By.id("scope-users-read"))).isEmpty();
        browser.findElement(By.id("name")).sendKeys("Sneaky app");
        browser.findElement(By.id("scope-products-read")).click();
        ((JavascriptExecutor) browser).executeScript("""
                const scope = document.createElement('input');
                scope.type = 'hidden'; scope.name = 'scopes'; scope.value = 'users:read';
                document.querySelector('main form').appendChild(scope);""");
        submitForm();
        assertThat(browser.findElement(By.id("form-error")).getText())
                .contains("You cannot grant the 'users:read' scope");

        ((JavascriptExecutor) browser).executeScript("document.querySelector('main form input[name=_csrf]').remove();");
        submitForm();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("403 Forbidden");
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
                .contains("security token");
        open("/dashboard/credentials");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Sneaky app");
    }

    @Test
    void repeatedWrongPasswordsLockTheAccount() {
        String name = "browser-lock-" + System.nanoTime();
        aDeveloper(name, DEVELOPER_PASSWORD, "products:read");
        for (int i = 0; i < 5; i++) {
            signIn(name, "Wrong-Guess-" + i + "-Again");
            assertThat(browser.findElement(By.id("sign-in-error")).getText()).isEqualTo("Wrong username or password.");
        }

        signIn(name, DEVELOPER_PASSWORD);

        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("Too many failed sign-ins");
        assertThat(browser.getCurrentUrl()).contains("/dashboard/login");
    }

    @Test
    void signingOutEndsTheSession() {
        signIn("admin", ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("header form button")).click();
        wait(ExpectedConditions.urlContains("/dashboard/login?signed-out"));

        open("/dashboard/credentials");

        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/login");
    }

    @Test
    void everyPageIsAccessibleAtDesktopAndPhoneWidth() {
        List<String> problems = new ArrayList<>();
        check("sign-in", "/dashboard/login", problems);
        check("oauth-sign-in", "/login", problems);
        signIn("admin", ADMIN_PASSWORD);
        String clientId = api.post(
                        "/v2/oauth-clients", "{\"name\": \"Screenshot app\", \"scopes\": [\"products:read\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("client_id")
                .asString();
        String keyId = api.get("/v2/api-keys?limit=1")
                .asAdmin()
                .send()
                .json()
                .get(0)
                .get("id")
                .asString();
        check("home", "/dashboard", problems);
        check("credentials", "/dashboard/credentials", problems);
        check("oauth-client-form", "/dashboard/credentials/oauth-clients/new", problems);
        check("api-key-form", "/dashboard/credentials/api-keys/new", problems);
        check("oauth-client", "/dashboard/credentials/oauth-clients/" + clientId, problems);
        check("api-key", "/dashboard/credentials/api-keys/" + keyId, problems);
        check("developers", "/dashboard/developers", problems);
        String user = aUser().named("browser-notified-" + System.nanoTime()).create();
        String notification = api.post("/v2/notifications", """
                        {"user_id": "%s", "type": "email", "message": "Your order has shipped."}""".formatted(user))
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
        check("usage", "/dashboard/usage", problems);
        check("deliveries", "/dashboard/deliveries", problems);
        check("notification", "/dashboard/deliveries/notifications/" + notification, problems);
        check("integrations", "/dashboard/integrations", problems);
        String report = completedReport();
        check("reports", "/dashboard/reports", problems);
        check("report-form", "/dashboard/reports/new?type=sales_summary", problems);
        check("report", "/dashboard/reports/" + report, problems);
        open("/dashboard/reports/" + report);
        assertThat((Object) wait(driver -> ((JavascriptExecutor) driver)
                        .executeScript("return window.Chart && Chart.getChart(document.getElementById('report-chart')) "
                                + "? 'drawn' : null")))
                .isEqualTo("drawn");
        check("not-found", "/dashboard/credentials/oauth-clients/cli_nothing", problems);

        open("/dashboard/credentials/api-keys/new");
        browser.findElement(By.id("name")).sendKeys("Screenshot key");
        browser.findElement(By.id("scope-orders-read")).click();
        submitForm();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("secret")));
        checkCurrent("secret", problems);

        assertThat(problems).as("axe-core's serious and critical violations").isEmpty();
    }

    // ---- helpers ----

    /** A completed inventory report (one product low on stock at least), by the API; returns its id. */
    private String completedReport() {
        aProduct().named("Browser lamp").withStock(1).create();
        String id = api.post("/v2/reports/generate", "{\"type\": \"inventory\"}")
                .asAdmin()
                .send()
                .expect(202)
                .json()
                .get("id")
                .asString();
        wait(driver -> api.get("/v2/reports/" + id)
                        .asAdmin()
                        .send()
                        .json()
                        .get("status")
                        .asString()
                        .equals("completed")
                ? id
                : null);
        return id;
    }

    private void signIn(String username, String password) {
        open("/dashboard/login");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        submitForm();
        wait(driver -> !driver.getCurrentUrl().equals(api.base() + "/dashboard/login"));
    }

    /** Submits the page's form and waits for the page that answers it. */
    private void submitForm() {
        WebElement button = browser.findElement(By.cssSelector("main form button[type=submit]"));
        button.click();
        wait(driver -> {
            try {
                button.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                // Stale, or (a chromedriver race while the old page goes) no longer in the document.
                return true;
            }
        });
    }

    private void open(String path) {
        browser.get(api.base() + path);
    }

    private void check(String name, String path, List<String> problems) {
        open(path);
        checkCurrent(name, problems);
    }

    /** axe-core on the page as it is, and screenshots of it at desktop and phone width. */
    private void checkCurrent(String name, List<String> problems) {
        for (Dimension size : List.of(DESKTOP, PHONE)) {
            browser.manage().window().setSize(size);
            for (Rule violation : new AxeBuilder().analyze(browser).getViolations()) {
                if (BLOCKING_IMPACTS.contains(violation.getImpact())) {
                    problems.add(name + " at " + size.getWidth() + " px: " + violation.getId() + " ("
                            + violation.getHelp() + ") on "
                            + violation.getNodes().stream()
                                    .map(node -> node.getHtml())
                                    .collect(Collectors.joining(", ")));
                }
            }
            screenshot(name + (size.equals(DESKTOP) ? "-desktop" : "-phone"));
        }
        browser.manage().window().setSize(DESKTOP);
    }

    private static void screenshot(String name) {
        try {
            Files.write(
                    SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode token(String clientId, String secret) {
        return api.post("/oauth/token", tokenRequest(clientId, secret))
                .unvalidated()
                .send()
                .expect(200)
                .json();
    }

    private static String tokenRequest(String clientId, String secret) {
        return "{\"grant_type\": \"client_credentials\", \"client_id\": \"" + clientId + "\", \"client_secret\": \""
                + secret + "\"}";
    }

    private static <T> T wait(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(condition);
    }
}
