package dev.mercato.integrations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.support.Api;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ServerProcesses;
import dev.mercato.support.TestProviders;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The address policy of the integrations' destinations, as a server runs by default (the shared test server allows
 * private targets, for its own tests): a server process of the built jar, its providers configured by the
 * operator on loopback (the test stand-ins). A destination aimed through the API at the server's own network is
 * refused when it is set, and never connected to when it only resolves there later; the operator's own keep
 * working.
 */
class IntegrationTargetsIT extends ApiTestSupport {

    private static ServerProcesses servers;
    private static Api guarded;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IntegrationSettings settings;

    @BeforeEach
    void guardedServer() throws Exception {
        if (guarded == null) {
            servers = new ServerProcesses(dataSource);
            int port = servers.start("integration-targets", TestProviders.serverEnvironment(Map.of()))
                    .port();
            guarded = Api.forPort(port);
        }
    }

    @AfterEach
    void restoreConfiguration() {
        jdbc.sql("delete from integrations").update();
        Catalogue.ALL.forEach(definition -> settings.forget(definition.id()));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (servers != null) {
            servers.stopAll();
        }
        guarded = null;
    }

    @Test
    void destinationsAimedAtTheServersOwnNetworkAre400AndNothingIsStored() {
        int http = TestProviders.HTTP.port();
        Map<String, String> refused = Map.of(
                "{\"url\": \"http://169.254.169.254/latest/meta-data/\"}",
                "url",
                "{\"url\": \"http://127.0.0.1:" + http + "/elsewhere\"}",
                "url",
                "{\"url\": \"http://[::1]:" + http + "/other\"}",
                "url",
                "{\"url\": \"http://2130706433:" + http + "/other\"}",
                "url",
                "{\"url\": \"http://localhost:" + http + "/other\"}",
                "url");
        refused.forEach((body, field) -> refuse("push", body, field));
        refuse("sms", """
                {"base_url": "http://10.0.0.1", "account_sid": "AC1", "auth_token": "t", "from": "+15550001111"}""", "base_url");
        refuse("smtp", "{\"host\": \"192.168.1.10\", \"port\": 25}", "host");
        refuse("smtp", "{\"host\": \"localhost\"}", "host");
        // A port alone aims the configured host at another service of the server's network.
        refuse("smtp", "{\"port\": 6379}", "host");

        assertThat(jdbc.sql("select count(*) from integrations")
                        .query(Long.class)
                        .single())
                .isZero();

        // The operator's own destination, sent back as it is, stays allowed.
        guarded.put("/v2/integrations/push", "{\"url\": \"" + TestProviders.HTTP.baseUrl() + "/push\"}")
                .asAdmin()
                .send()
                .expect(200);
    }

    @Test
    void theOperatorsOwnLoopbackProvidersStillWork() {
        String user = "usr_it_" + UUID.randomUUID();
        TestProviders.HTTP.stubFor(
                post(urlEqualTo("/push")).willReturn(aResponse().withStatus(200)));

        JsonNode push = guarded.post("/v2/integrations/push/test", "{\"user_id\": \"" + user + "\"}")
                .asAdmin()
                .send()
                .expect(200)
                .json();
        JsonNode smtp = guarded.post("/v2/integrations/smtp/test", "{\"to\": \"targets@example.com\"}")
                .asAdmin()
                .send()
                .expect(200)
                .json();

        assertThat(push.get("ok").asBoolean()).as(push.toString()).isTrue();
        assertThat(smtp.get("ok").asBoolean()).as(smtp.toString()).isTrue();
    }

    /**
     * A destination that passed when it was set and resolves to the server's network now (DNS rebinding, here a
     * row written as if it had) is checked again at the connection, which is refused before anything is sent.
     */
    @Test
    void aDestinationThatNowResolvesInsideIsNeverConnectedTo() {
        TestProviders.HTTP.resetRequests();
        int http = TestProviders.HTTP.port();
        int smtpPort = TestProviders.SMTP.getSmtp().getPort();
        int emailsBefore = TestProviders.SMTP.getReceivedMessages().length;
        store("push", "{\"url\": \"http://localhost:" + http + "/rebound\"}");
        store("sms", "{\"base_url\": \"http://localhost:" + http + "/rebound\"}");
        store("smtp", "{\"host\": \"localhost\", \"port\": " + smtpPort + "}");

        assertRefused("push", "{\"user_id\": \"usr_rebound\"}");
        assertRefused("sms", "{\"to\": \"+15550002222\"}");
        assertRefused("smtp", "{\"to\": \"rebound@example.com\"}");

        TestProviders.HTTP.verify(0, anyRequestedFor(urlPathMatching("/rebound.*")));
        assertThat(TestProviders.SMTP.getReceivedMessages()).hasSize(emailsBefore);
    }

    private void refuse(String integration, String body, String field) {
        JsonNode error = guarded.put("/v2/integrations/" + integration, body)
                .asAdmin()
                .send()
                .expectError(400, "INVALID_PARAMETER");
        assertThat(error.get("message").asString())
                .as(body)
                .contains("may not point at the server's own network")
                .contains("non-public address");
        assertThat(error.get("details").asString()).as(body).isEqualTo(field + " (string)");
    }

    private void store(String integration, String settings) {
        jdbc.sql("insert into integrations (id, settings, updated_at, updated_by) values (?, ?::jsonb, now(), 'it')")
                .params(integration, settings)
                .update();
    }

    /** The test fails with the policy's reason (once the server's settings cache has seen the row). */
    private void assertRefused(String integration, String target) {
        AtomicReference<JsonNode> outcome = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    outcome.set(guarded.post("/v2/integrations/" + integration + "/test", target)
                            .asAdmin()
                            .send()
                            .expect(200)
                            .json());
                    return !outcome.get().get("ok").asBoolean();
                });
        assertThat(outcome.get().get("error").asString())
                .as(integration)
                .isEqualTo("Refused: 'localhost' resolves to a loopback, private, link-local or otherwise non-public "
                        + "address.");
    }
}
