package dev.mercato.support;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Base of every end-to-end test: one Mercato server on a random port over one embedded PostgreSQL, shared
 * by all test classes (same configuration, so Spring caches one context). Tests talk to it over real HTTP
 * through {@link #api}, which checks every response against the published OpenAPI documents. Each test makes the
 * users, products and orders it needs ({@link #aUser()}, {@link #aProduct()}, {@link #placeOrder}), so that it
 * depends on no other test.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "mercato.data-dir=target/it-data",
            "mercato.embedded-db.clean=true",
            "mercato.embedded-db.fsync=false",
            "mercato.admin.api-key=" + ApiTestSupport.ADMIN_KEY,
            "mercato.admin.password=" + ApiTestSupport.ADMIN_PASSWORD,
            // Shared with the server processes some tests start on this database, as servers on one database must.
            "mercato.encryption-key=" + ApiTestSupport.ENCRYPTION_KEY,
            "mercato.auth.api-key-cache-ttl=30s",
            // Every test class shares the admin key and one client address: limits high enough that their bursts never
            // throttle each other. RateLimitsIT gives its keys small limits of their own.
            "mercato.rate-limit.requests-per-minute=1000000",
            "mercato.http.max-concurrent-requests-per-address=1000",
            "mercato.rate-limit.token.per-ip-per-minute=1000000",
            "mercato.rate-limit.token.per-client-per-minute=1000000",
            "mercato.rate-limit.invalid-credentials-per-ip-per-minute=1000000",
            // Background jobs: quick to notice, quick to retry, quick to take a silent job as lost.
            "mercato.jobs.poll-interval=200ms",
            "mercato.jobs.heartbeat-interval=500ms",
            "mercato.jobs.missed-heartbeats=4",
            "mercato.notifications.max-attempts=4",
            "mercato.notifications.retry-delay=100ms",
            "mercato.notifications.max-retry-delay=400ms",
            "mercato.notifications.timeout=2s",
            // Tests send many SMS and emails with the admin key; NotificationLimitsIT covers small allowances on a
            // server process of its own. The per-user limit keeps its default (user tokens send little).
            "mercato.notifications.limits.sms-per-credential=1000000",
            "mercato.notifications.limits.email-per-credential=1000000",
            "mercato.notifications.limits.per-recipient=1000000",
            // Webhook receivers in the tests listen on 127.0.0.1; WebhookTargetGuardTest covers the default, guarded
            // setting.
            "mercato.webhooks.allow-private-targets=true",
            // Likewise the providers that tests aim through the integrations API; IntegrationTargetsIT covers the
            // default on a server process of its own.
            "mercato.integrations.allow-private-targets=true",
            "mercato.webhooks.max-attempts=4",
            "mercato.webhooks.retry-delay=100ms",
            "mercato.webhooks.max-retry-delay=500ms",
            // A report blocked (ReportGenerationIT holds a lock it needs) fails soon.
            "mercato.reports.statement-timeout=3s",
            "mercato.reports.retry-delay=100ms",
            "mercato.reports.max-retry-delay=400ms",
            // Stripe's events (StripeWebhooksIT signs its events with it).
            "mercato.payments.stripe.webhook-secret=" + ApiTestSupport.STRIPE_WEBHOOK_SECRET
        })
public abstract class ApiTestSupport {

    public static final String ADMIN_KEY = "it_admin_key_0123456789_abcdefghijklmnopqrstuvwxyz";
    public static final String ADMIN_PASSWORD = "Quiet-Harbor-7-Lantern";
    public static final String ENCRYPTION_KEY = "bWVyY2F0by10ZXN0LWVuY3J5cHRpb24ta2V5LTMyYiE=";
    public static final String STRIPE_WEBHOOK_SECRET = "whsec_it_0123456789abcdef";

    @LocalServerPort
    protected int port;

    protected Api api;

    @DynamicPropertySource
    static void outsideWorld(DynamicPropertyRegistry registry) {
        TestProviders.register(registry);
    }

    @BeforeEach
    void connect() {
        api = Api.forPort(port);
    }

    /** A user to create: {@code aUser().withPhone("+15551112222").create()}. */
    protected UserFixture aUser() {
        return new UserFixture(api);
    }

    /** A product to create: {@code aProduct().priced("12.50", "USD").withStock(5).create()}. */
    protected ProductFixture aProduct() {
        return new ProductFixture(api);
    }

    /**
     * Places a v2 order as the admin, of (product id, quantity) pairs: {@code placeOrder(user, product, 2)}. The
     * response is the test's to check.
     */
    protected Response placeOrder(String userId, Object... productsAndQuantities) {
        return api.post("/v2/orders", Orders.v2Body(userId, productsAndQuantities))
                .asAdmin()
                .send();
    }

    /** A new API key with these scopes, acting for {@code userId} when it is not null; returns the key itself. */
    protected String anApiKey(String userId, String... scopes) {
        ObjectNode body = Fixtures.JSON.createObjectNode().put("name", "key " + Fixtures.unique());
        List.of(scopes).forEach(body.putArray("scopes")::add);
        if (userId != null) {
            body.put("user_id", userId);
        }
        return api.post("/v2/api-keys", Fixtures.JSON.writeValueAsString(body))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("key")
                .asString();
    }

    /**
     * A new user with this password and the developer role holding these scopes, who can sign in to the dashboard;
     * returns the user's id.
     */
    protected String aDeveloper(String username, String password, String... scopes) {
        String id = aUser().named(username).withPassword(password).create();
        ObjectNode body = Fixtures.JSON.createObjectNode();
        List.of(scopes).forEach(body.putArray("scopes")::add);
        api.put("/v2/users/" + id + "/developer", Fixtures.JSON.writeValueAsString(body))
                .asAdmin()
                .send()
                .expect(200);
        return id;
    }

    /** A browser's session with the dashboard of this server, not yet signed in. */
    protected DashboardSession dashboard() {
        return new DashboardSession(port);
    }

    /** A product's stock as the API shows it now. */
    protected int stockOf(String productId) {
        return api.get("/v2/products/" + productId)
                .asAdmin()
                .send()
                .expect(200)
                .json()
                .get("stock")
                .asInt();
    }
}
