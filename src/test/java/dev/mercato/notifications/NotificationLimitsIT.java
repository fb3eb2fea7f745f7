package dev.mercato.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.ForbiddenException;
import dev.mercato.shared.LimitExceededException;
import dev.mercato.support.Api;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Race;
import dev.mercato.support.ServerProcesses;
import dev.mercato.support.TestProviders;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The limits that keep the shop's providers from being pumped (NotificationLimits): an application acting for a
 * user sends that user push only, and few; SMS and email have hourly allowances per credential and per recipient.
 * Refused notifications are never queued.
 */
class NotificationLimitsIT extends ApiTestSupport {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    NotificationService notifications;

    private ServerProcesses servers;

    @AfterEach
    void stopServers() throws InterruptedException {
        if (servers != null) {
            servers.stopAll();
        }
    }

    /*
     * An application acting for a user holds an authorization-code token, which takes a browser to get
     * (OAuthAuthorizationCodeIT); these call the service as such a token's requests do, with its Caller.
     */

    @Test
    void anApplicationActingForAUserMaySendItPushOnly() {
        String user = aUser().withPhone("+15557770001").create();
        Caller app = actingFor(user);

        for (String type : List.of("sms", "email")) {
            assertThatThrownBy(() -> notifications.send(app, notification(user, type)))
                    .isInstanceOfSatisfying(ForbiddenException.class, e -> {
                        assertThat(e.code()).isEqualTo("CHANNEL_NOT_ALLOWED");
                        assertThat(e.details()).isEqualTo("type");
                    });
        }
        notifications.send(app, notification(user, "push"));

        assertThat(queued(user)).isEqualTo(1);
    }

    @Test
    void anApplicationActingForAUserSendsItAtMostTenAnHourEvenRacing() {
        String user = aUser().create();
        Caller app = actingFor(user);

        List<String> outcomes = Race.run(16, i -> {
            try {
                notifications.send(app, notification(user, "push"));
                return "queued";
            } catch (LimitExceededException e) {
                assertThat(e.code()).isEqualTo("NOTIFICATION_LIMIT_EXCEEDED");
                assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofHours(1));
                return "refused";
            }
        });

        assertThat(outcomes).filteredOn("queued"::equals).hasSize(10);
        assertThat(queued(user)).isEqualTo(10);
    }

    /** On a server process with small allowances: 2 per recipient, 3 SMS per credential, an hour. */
    @Test
    void smsHaveHourlyAllowancesPerRecipientAndPerCredential() throws Exception {
        servers = new ServerProcesses(dataSource);
        Api small = Api.forPort(servers.start(
                        "notification-limits",
                        TestProviders.serverEnvironment(Map.of(
                                "MERCATO_NOTIFICATIONS_LIMITS_PER_RECIPIENT",
                                "2",
                                "MERCATO_NOTIFICATIONS_LIMITS_SMS_PER_CREDENTIAL",
                                "3")))
                .port());
        String alice = aUser().withPhone("+15557770011").create();
        String bob = aUser().withPhone("+15557770012").create();
        String carol = aUser().withPhone("+15557770013").create();

        small.post("/v2/notifications", notificationBody(alice, "sms"))
                .asAdmin()
                .send()
                .expect(202);
        small.post("/v2/notifications", notificationBody(alice, "sms"))
                .asAdmin()
                .send()
                .expect(202);
        JsonNode toAlice = small.post("/v2/notifications", notificationBody(alice, "sms"))
                .asAdmin()
                .send()
                .expectError(429, "NOTIFICATION_LIMIT_EXCEEDED");
        assertThat(toAlice.get("message").asString()).contains("At most 2 sms notifications to this recipient an hour");
        small.post("/v2/notifications", notificationBody(bob, "sms"))
                .asAdmin()
                .send()
                .expect(202);
        JsonNode toCarol = small.post("/v2/notifications", notificationBody(carol, "sms"))
                .asAdmin()
                .send()
                .expectError(429, "NOTIFICATION_LIMIT_EXCEEDED");
        assertThat(toCarol.get("message").asString()).contains("At most 3 sms notifications by this credential");
        assertThat(queued(alice)).isEqualTo(2);
        assertThat(queued(carol)).isZero();
    }

    private static String notificationBody(String user, String type) {
        return """
                {"user_id": "%s", "type": "%s", "subject": "Hello", "message": "Limits"}""".formatted(user, type);
    }

    private static NewNotification notification(String user, String type) {
        return new NewNotification(user, type, "normal", "Hello", "Limits", "api");
    }

    private static Caller actingFor(String user) {
        return new Caller("cli_app_" + UUID.randomUUID(), user, "app", EnumSet.allOf(Scope.class), null, true);
    }

    private long queued(String user) {
        return jdbc.sql("select count(*) from notifications where user_id = ?")
                .param(user)
                .query(Long.class)
                .single();
    }
}
