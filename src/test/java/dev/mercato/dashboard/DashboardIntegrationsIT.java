package dev.mercato.dashboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.DashboardSession;
import dev.mercato.support.TestProviders;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The integrations page as a browser uses it: every provider with the settings it runs with and no secret, a test
 * sent from the page with its outcome shown, and who may see and test. The providers are the shared test server's
 * ({@link TestProviders}); what a test records is removed after each test, as IntegrationsIT does.
 */
class DashboardIntegrationsIT extends ApiTestSupport {

    private static final String PASSWORD = "Copper-Kettle-58-Orchard";
    private static final String PAGE = "/dashboard/integrations";

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void restoreConfiguration() {
        jdbc.sql("delete from integrations").update();
    }

    @Test
    void theAdminSeesEveryProviderWithItsSettingsAndNoSecret() {
        String password = "Stored-Smtp-Secret-" + UUID.randomUUID();
        api.put("/v2/integrations/smtp", """
                {"host": "127.0.0.1", "port": %d, "username": "mailer", "password": "%s"}""".formatted(
                                TestProviders.SMTP.getSmtp().getPort(), password))
                .asAdmin()
                .send()
                .expect(200);
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        HttpResponse<String> page = admin.get(PAGE);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("id=\"integrations\"")
                .contains("id=\"integration-simulated\"", "id=\"integration-stripe\"", "id=\"integration-smtp\"")
                .contains("id=\"integration-sms\"", "id=\"integration-push\"", "id=\"integration-webhooks\"")
                .contains("Email (SMTP)", "mailer", TestProviders.SMS_ACCOUNT, TestProviders.SMS_FROM)
                .contains("auth_token", "set (not shown)")
                .doesNotContain(password)
                .doesNotContain(TestProviders.SMS_TOKEN)
                .doesNotContain(TestProviders.PUSH_TOKEN)
                .doesNotContain("style=");
        api.put("/v2/integrations/smtp", "{\"password\": null}")
                .asAdmin()
                .send()
                .expect(200);
    }

    @Test
    void aTestFromThePageSendsOneEmailAndShowsThatItPassed() throws Exception {
        String to = "dashboard-test-" + UUID.randomUUID() + "@example.com";
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        HttpResponse<String> tested = admin.submit(PAGE, PAGE + "/smtp/test", "target", to);

        assertThat(tested.statusCode()).isEqualTo(302);
        assertThat(tested.headers().firstValue("Location").orElseThrow()).contains(PAGE + "#integration-smtp");
        assertThat(admin.get(PAGE).body()).contains("The test of Email (SMTP) passed.");
        assertThat(Arrays.stream(TestProviders.SMTP.getReceivedMessages())
                        .filter(message -> sentTo(message, to))
                        .toList())
                .hasSize(1);
        JsonNode smtp =
                api.get("/v2/integrations/smtp").asAdmin().send().expect(200).json();
        assertThat(smtp.get("last_test").get("ok").asBoolean()).isTrue();
        assertThat(admin.get(PAGE).body()).as("no longer a fresh outcome").doesNotContain("passed.");
    }

    @Test
    void aFailedTestShowsTheProvidersStatusAndPutsTheIntegrationInError() {
        String user = "usr_dash_" + UUID.randomUUID();
        TestProviders.HTTP.stubFor(post(urlEqualTo("/push"))
                .withRequestBody(matchingJsonPath("$.user_id", equalTo(user)))
                .willReturn(aResponse().withStatus(500).withBody("gateway down")));
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        HttpResponse<String> tested = admin.submit(PAGE, PAGE + "/push/test", "target", user);

        assertThat(tested.statusCode()).isEqualTo(302);
        String page = admin.get(PAGE).body();
        assertThat(page).contains("The test of Push gateway failed:", "The push gateway answered HTTP 500.");
        assertThat(page).as("never the provider's own words").doesNotContain("gateway down");
        assertThat(page).contains("status status-error");
        TestProviders.HTTP.verify(
                1, postRequestedFor(urlEqualTo("/push")).withRequestBody(matchingJsonPath("$.user_id", equalTo(user))));
    }

    @Test
    void aBadTargetIsSaidOnThePageAndNothingIsSentOrRecorded() {
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        HttpResponse<String> bad = admin.submit(PAGE, PAGE + "/smtp/test", "target", "not an address");
        HttpResponse<String> missing = admin.submit(PAGE, PAGE + "/sms/test");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"problem-smtp\"", "must be an email address", "value=\"not an address\"");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("id=\"problem-sms\"", "is required");
        assertThat(tested("smtp")).isFalse();
    }

    @Test
    void paymentProcessorsTestWithoutATargetAndWebhooksAreTestedPerSubscription() {
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);
        assertThat(admin.get(PAGE).body())
                .contains("action=\"/dashboard/integrations/simulated/test\"")
                .doesNotContain("action=\"/dashboard/integrations/webhooks/test\"");

        HttpResponse<String> simulated = admin.submit(PAGE, PAGE + "/simulated/test");

        assertThat(simulated.statusCode()).isEqualTo(302);
        assertThat(admin.get(PAGE).body()).contains("The test of Simulated payments passed.");
        HttpResponse<String> webhooks = admin.submit(PAGE, PAGE + "/webhooks/test");
        assertThat(webhooks.statusCode()).isEqualTo(409);
        assertThat(webhooks.body()).contains("test a webhook subscription instead");
    }

    @Test
    void aDeveloperSeesWithIntegrationsReadAndTestsWithIntegrationsWrite() {
        DashboardSession none = developer("products:read", "notifications:write");
        assertThat(none.get(PAGE).statusCode()).isEqualTo(403);
        assertThat(none.submit("/dashboard", PAGE + "/simulated/test").statusCode())
                .isEqualTo(403);

        DashboardSession reader = developer("integrations:read");
        HttpResponse<String> page = reader.get(PAGE);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"integration-smtp\"").doesNotContain("/test\"");
        assertThat(reader.submit(PAGE, PAGE + "/simulated/test").statusCode()).isEqualTo(403);
        assertThat(tested("simulated")).as("nothing was tested").isFalse();

        DashboardSession writer = developer("integrations:read", "integrations:write");
        assertThat(writer.get(PAGE).body()).contains("action=\"/dashboard/integrations/simulated/test\"");
        assertThat(writer.submit(PAGE, PAGE + "/simulated/test").statusCode()).isEqualTo(302);
    }

    @Test
    void postsWithoutTheCsrfTokenAndUnknownIntegrationsAreRefused() {
        DashboardSession admin = dashboard().signedIn("admin", ADMIN_PASSWORD);

        assertThat(admin.post(PAGE + "/simulated/test").statusCode()).isEqualTo(403);
        assertThat(tested("simulated")).isFalse();
        assertThat(admin.submit(PAGE, PAGE + "/fax/test", "target", "x").statusCode())
                .isEqualTo(404);
    }

    /** Whether the integration has a last test, as the API shows it. */
    private boolean tested(String id) {
        return api.get("/v2/integrations/" + id)
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .has("last_test");
    }

    private DashboardSession developer(String... scopes) {
        String username = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        aDeveloper(username, PASSWORD, scopes);
        return dashboard().signedIn(username, PASSWORD);
    }

    private static boolean sentTo(Message message, String address) {
        try {
            return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                    .anyMatch(to -> to.toString().equals(address));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
