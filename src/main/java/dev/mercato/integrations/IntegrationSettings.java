package dev.mercato.integrations;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mercato.integrations.SettingsResolver.Resolved;
import java.time.Duration;
import org.springframework.stereotype.Service;

/**
 * The settings the email, SMS and push providers run with: what was configured through {@code /v2/integrations}
 * over server configuration, field by field. Read from the database and kept {@value #CACHE_SECONDS} seconds, so a
 * change made on any server reaches every server's next delivery within that time (at once on the server that
 * made it).
 */
@Service
public class IntegrationSettings {

    static final int CACHE_SECONDS = 5;

    private final IntegrationRepository repository;
    private final SettingsResolver resolver;
    private final TargetGuard guard;
    private final Cache<String, Resolved> cache = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(CACHE_SECONDS))
            .build();

    IntegrationSettings(
            IntegrationRepository repository, SettingsResolver resolver, IntegrationsProperties properties) {
        this.repository = repository;
        this.resolver = resolver;
        this.guard = new TargetGuard(properties.allowPrivateTargets());
    }

    /** The policy for destinations set through the API. */
    TargetGuard guard() {
        return guard;
    }

    /** @throws UnreadableSecretsException when the stored secrets cannot be decrypted with this server's key */
    public Smtp smtp() {
        return smtp(resolved(Catalogue.SMTP));
    }

    /** @throws UnreadableSecretsException when the stored secrets cannot be decrypted with this server's key */
    public Sms sms() {
        return sms(resolved(Catalogue.SMS));
    }

    /** @throws UnreadableSecretsException when the stored secrets cannot be decrypted with this server's key */
    public Push push() {
        return push(resolved(Catalogue.PUSH));
    }

    /** Whether a provider has what it needs to send; for the others, whether they are set up at all. */
    static boolean configured(String id, Resolved resolved) {
        return switch (id) {
            case Catalogue.SMTP -> smtp(resolved, TargetGuard.OPEN).configured();
            case Catalogue.SMS -> sms(resolved, TargetGuard.OPEN).configured();
            case Catalogue.PUSH -> push(resolved, TargetGuard.OPEN).configured();
            default -> true;
        };
    }

    private Smtp smtp(Resolved smtp) {
        return smtp(smtp, guardFor(smtp));
    }

    private Sms sms(Resolved sms) {
        return sms(sms, guardFor(sms));
    }

    private Push push(Resolved push) {
        return push(push, guardFor(push));
    }

    private static Smtp smtp(Resolved smtp, TargetGuard guard) {
        return new Smtp(
                smtp.text("host"),
                (Integer) smtp.values().get("port"),
                smtp.text("username"),
                smtp.text("password"),
                smtp.text("from"),
                (Boolean) smtp.values().get("starttls"),
                guard);
    }

    private static Sms sms(Resolved sms, TargetGuard guard) {
        return new Sms(sms.text("base_url"), sms.text("account_sid"), sms.text("auth_token"), sms.text("from"), guard);
    }

    private static Push push(Resolved push, TargetGuard guard) {
        return new Push(push.text("url"), push.text("token"), guard);
    }

    /** The operator's own destinations are trusted; one aimed through the API is held to the policy. */
    private TargetGuard guardFor(Resolved resolved) {
        return resolved.aimedThroughApi() ? guard : TargetGuard.OPEN;
    }

    /** Drops what this server remembers of an integration, after it changed. */
    void forget(String id) {
        cache.invalidate(id);
    }

    private Resolved resolved(String id) {
        Resolved resolved = cache.get(id, key -> resolver.resolve(Catalogue.get(key), repository.find(key)));
        if (resolved.unreadable().isPresent()) {
            throw resolved.unreadable().get();
        }
        return resolved;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /*
     * Each provider's settings carry the guard its connections must pass: the policy when where it connects was set
     * through the API, TargetGuard.OPEN when server configuration set it.
     */

    /** SMTP: {@code port} null means the protocol's default, {@code starttls} null means Jakarta Mail's default. */
    public record Smtp(
            String host,
            Integer port,
            String username,
            String password,
            String from,
            Boolean starttls,
            TargetGuard guard) {

        public boolean configured() {
            return present(host);
        }
    }

    /** A Twilio-compatible SMS API. */
    public record Sms(String baseUrl, String accountSid, String authToken, String from, TargetGuard guard) {

        public boolean configured() {
            return present(baseUrl) && present(accountSid) && present(authToken) && present(from);
        }
    }

    /** A push gateway; {@code token} is optional. */
    public record Push(String url, String token, TargetGuard guard) {

        public boolean configured() {
            return present(url);
        }
    }
}
