package dev.mercato.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.HashMap;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The outside world of the shared test server, started once per test run: a real SMTP server (GreenMail) for
 * the email channel, and one local HTTP stub (WireMock) standing in for the SMS API and the push gateway. Tests
 * reset what they use; addresses, phone numbers and stub paths keep them apart.
 */
public final class TestProviders {

    public static final String SMS_ACCOUNT = "AC0123456789";
    public static final String SMS_TOKEN = "sms-auth-token";
    public static final String SMS_FROM = "+15550001111";
    public static final String PUSH_TOKEN = "push-gateway-token";

    public static final GreenMail SMTP = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    public static final WireMockServer HTTP =
            new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        SMTP.start();
        HTTP.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SMTP.stop();
            HTTP.stop();
        }));
    }

    private TestProviders() {}

    public static String smsPath() {
        return "/2010-04-01/Accounts/" + SMS_ACCOUNT + "/Messages.json";
    }

    /** The same providers as a server process's environment ({@link ServerProcesses}), plus {@code more}. */
    public static Map<String, String> serverEnvironment(Map<String, String> more) {
        Map<String, String> environment = new HashMap<>(more);
        environment.put("SPRING_MAIL_HOST", "127.0.0.1");
        environment.put("SPRING_MAIL_PORT", String.valueOf(SMTP.getSmtp().getPort()));
        environment.put("MERCATO_NOTIFICATIONS_PUSH_URL", HTTP.baseUrl() + "/push");
        environment.put("MERCATO_NOTIFICATIONS_SMS_BASE_URL", HTTP.baseUrl());
        environment.put("MERCATO_NOTIFICATIONS_SMS_ACCOUNT_SID", SMS_ACCOUNT);
        environment.put("MERCATO_NOTIFICATIONS_SMS_AUTH_TOKEN", SMS_TOKEN);
        environment.put("MERCATO_NOTIFICATIONS_SMS_FROM", SMS_FROM);
        return environment;
    }

    static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("mercato.notifications.sms.base-url", HTTP::baseUrl);
        registry.add("mercato.notifications.sms.account-sid", () -> SMS_ACCOUNT);
        registry.add("mercato.notifications.sms.auth-token", () -> SMS_TOKEN);
        registry.add("mercato.notifications.sms.from", () -> SMS_FROM);
        registry.add("mercato.notifications.push.url", () -> HTTP.baseUrl() + "/push");
        registry.add("mercato.notifications.push.token", () -> PUSH_TOKEN);
    }
}
