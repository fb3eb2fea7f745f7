package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the tests of Mercato's pages: Debian's headless Chromium through its chromedriver, with a
 * profile of its own. Without them at {@code /usr/bin} the calling test is skipped with the advice to install them,
 * so {@code ./mvnw verify} works on a machine with only a JDK; with {@code MERCATO_BROWSER_TESTS=required}, as
 * {@code .ci/run} sets after installing them, it fails instead.
 */
public final class HeadlessChromium {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private HeadlessChromium() {}

    /** A new browser with a window of this size (CSS pixels); the caller quits it. */
    public static WebDriver start(int width, int height) {
        boolean required = "required".equals(System.getenv("MERCATO_BROWSER_TESTS"));
        for (String executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            String advice = executable + " is needed for the browser test: apt-get install -y chromium chromium-driver";
            if (required) {
                assertThat(new File(executable).canExecute()).as(advice).isTrue();
            } else {
                Assumptions.assumeTrue(new File(executable).canExecute(), advice);
            }
        }
        try {
            ChromeOptions options = new ChromeOptions()
                    .setBinary(CHROMIUM)
                    .addArguments(
                            "--headless=new",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--disable-dev-shm-usage",
                            "--window-size=" + width + "," + height,
                            "--user-data-dir=" + Files.createTempDirectory("mercato-chromium"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            WebDriver browser = new ChromeDriver(service, options);
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
