package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mercato.auth.InvalidCredentialException;
import dev.mercato.crypto.SecretBox;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ServerProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two servers on one database. The running server is node A; node B is built here from the same classes over
 * the same DataSource, with its own in-memory keys and revocations (a second Spring context would be too slow):
 * what B knows, it can only have learnt from the database and its notifications.
 */
class OAuthTwoNodesIT extends ApiTestSupport {

    private static final Duration ROTATION = Duration.ofDays(30);
    private static final Duration TTL = Duration.ofHours(1);

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    /** The server's keys: the other node shares them, as servers on one database must. */
    @Autowired
    SecretBox box;

    @Autowired
    JdbcOperations jdbcOperations;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    SigningKeyStore nodeAKeys;

    private RevocationListener nodeBListener;

    @AfterEach
    void stopNodeB() {
        if (nodeBListener != null) {
            nodeBListener.close();
        }
    }

    @Test
    void tokenIssuedByOneServerIsAcceptedByAnother() {
        Node b = startNodeB();
        Client client = registerClient("products:read", "orders:read");

        Caller principal = b.verifier().verify(accessToken(client));

        assertThat(principal.credentialId()).isEqualTo(client.id());
        assertThat(principal.name()).isEqualTo(client.name());
        assertThat(principal.scopes()).containsExactlyInAnyOrder(Scope.PRODUCTS_READ, Scope.ORDERS_READ);
    }

    @Test
    void revocationOnOneServerReachesAnotherWithinMoments() {
        Node b = startNodeB();
        Client client = registerClient("products:read");
        String token = accessToken(client);
        b.verifier().verify(token);

        revoke(client, token);

        // Node B reconciles only at start here: only the NOTIFY can tell it.
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThatThrownBy(() -> b.verifier().verify(token))
                        .isInstanceOf(InvalidCredentialException.class)
                        .hasMessageContaining("revoked"));
    }

    @Test
    void deletingAClientOnOneServerStopsItsTokensOnAnother() {
        Node b = startNodeB();
        Client client = registerClient("products:read");
        String token = accessToken(client);
        b.verifier().verify(token);

        api.delete("/v2/oauth-clients/" + client.id()).asAdmin().send().expect(204);

        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThatThrownBy(() -> b.verifier().verify(token))
                        .isInstanceOf(InvalidCredentialException.class));
    }

    @Test
    void aSecretRotatedOnOneServerIsForgottenByAnotherWithinMoments() {
        Node b = startNodeB();
        Client client = registerClient("products:read");
        String secretBefore = b.registeredClients().findByClientId(client.id()).getClientSecret();

        api.post("/v2/oauth-clients/" + client.id() + "/rotate-secret", "")
                .asAdmin()
                .send()
                .expect(200);

        // Node B's cache would keep the old secret for minutes: only the NOTIFY can make it forget sooner.
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(b.registeredClients()
                                .findByClientId(client.id())
                                .getClientSecret())
                        .isNotEqualTo(secretBefore));

        api.delete("/v2/oauth-clients/" + client.id()).asAdmin().send().expect(204);

        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(b.registeredClients().findByClientId(client.id()))
                        .isNull());
    }

    /**
     * {@code mercato.oauth.listen-url}: where the application's connections go through a transaction-mode pooler, the
     * listening connection goes to the address given instead (here the same database, under an application name of
     * its own), and revocations arrive on it. A server process of the built jar, since this is its wiring.
     */
    @Test
    void theListeningConnectionGoesToTheListenUrlAndRevocationsArriveOnIt() throws Exception {
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
        }
        String listener = "mercato-listen-url-test";
        try (ServerProcesses servers = new ServerProcesses(dataSource)) {
            ServerProcesses.Server b = servers.start(
                    "listen-url",
                    Map.of(
                            "MERCATO_OAUTH_LISTEN_URL",
                            url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + listener,
                            // Only the notification can tell node B of the revocation within the test's time.
                            "MERCATO_OAUTH_REVOCATION_RECONCILE_INTERVAL",
                            "1h",
                            // Node A's tokens name the address they were asked at; behind one balancer both would.
                            "MERCATO_OAUTH_ISSUER",
                            "http://localhost:" + port));
            assertThat(jdbc.sql("select count(*) from pg_stat_activity where application_name = :name")
                            .param("name", listener)
                            .query(Long.class)
                            .single())
                    .as("node B's listening connection, opened at the listen URL")
                    .isEqualTo(1);
            Client client = registerClient("products:read");
            String token = accessToken(client);
            assertThat(products(b, token)).isEqualTo(200);

            revoke(client, token);

            await().atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> products(b, token) == 401);
        }
    }

    private static int products(ServerProcesses.Server server, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/products?limit=1"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aServerStartingLaterLoadsTheRevocationsMadeBefore() {
        Client client = registerClient("products:read");
        String token = accessToken(client);
        revoke(client, token);

        Node b = startNodeB();

        assertThatThrownBy(() -> b.verifier().verify(token)).hasMessageContaining("revoked");
    }

    @Test
    void nextKeyIsCreatedOnceAheadOfRotationAndEveryServerAcceptsItsTokens() throws Exception {
        RSAKey current = nodeAKeys.signingKey();
        Instant retires = jdbc.sql("select retires_at from oauth_signing_keys where kid = :kid")
                .param("kid", current.getKeyID())
                .query(java.sql.Timestamp.class)
                .single()
                .toInstant();

        // Two servers whose clocks say the current key retires in ten minutes decide at the same moment.
        Clock tenMinutesBefore = Clock.fixed(retires.minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        CompletableFuture.allOf(
                        CompletableFuture.runAsync(
                                () -> keyStore(tenMinutesBefore).ensureKeys()),
                        CompletableFuture.runAsync(
                                () -> keyStore(tenMinutesBefore).ensureKeys()))
                .join();

        List<String> successors = jdbc.sql("select kid from oauth_signing_keys where activates_at = :retires")
                .param("retires", java.sql.Timestamp.from(retires))
                .query(String.class)
                .list();
        assertThat(successors)
                .as("exactly one successor, activating as the current key retires")
                .hasSize(1);

        // After the rotation another server signs with the successor; this server accepts its tokens at once
        // (an unknown kid makes it re-read the keys) and still publishes the retired key for its last tokens.
        SigningKeyStore later = keyStore(Clock.fixed(retires.plus(Duration.ofMinutes(1)), ZoneOffset.UTC));
        later.reload();
        RSAKey successor = later.signingKey();
        assertThat(successor.getKeyID()).isEqualTo(successors.get(0));
        assertThat(later.publicKeys().getKeyByKeyId(current.getKeyID()))
                .as("the retired key still verifies")
                .isNotNull();

        Client client = registerClient("products:read");
        String token = sign(client, successor);
        // Re-reading on an unknown kid is limited to once a second (the kid may be garbage): allow for that.
        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/v2/products?limit=1").as(token).send().status() == 200);
        JWKSet published = JWKSet.load(URI.create(api.base() + "/oauth/jwks").toURL());
        assertThat(published.getKeyByKeyId(successor.getKeyID())).isNotNull();
        assertThat(published.getKeyByKeyId(current.getKeyID())).isNotNull();
        assertThat(nodeAKeys.signingKey().getKeyID())
                .as("this server signs with the current key until it retires")
                .isEqualTo(current.getKeyID());
    }

    // ---- node B ----

    record Node(AccessTokenVerifier verifier, CachedRegisteredClients registeredClients) {}

    private Node startNodeB() {
        SigningKeyStore keys = keyStore(Clock.systemUTC());
        RevokedTokens revoked = new RevokedTokens(new RevocationRepository(jdbc), Clock.systemUTC());
        CachedRegisteredClients registeredClients =
                new CachedRegisteredClients(new JdbcRegisteredClientRepository(jdbcOperations));
        nodeBListener = new RevocationListener(dataSource, revoked, registeredClients);
        try {
            nodeBListener.start();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        OAuthClientRepository clients = new OAuthClientRepository(jdbc);
        return new Node(
                new AccessTokenVerifier(keys, revoked, api::base, "mercato-api", clients::findIdentity),
                registeredClients);
    }

    private SigningKeyStore keyStore(Clock clock) {
        return new SigningKeyStore(
                new SigningKeyRepository(jdbc, box), new TransactionTemplate(transactions), clock, ROTATION, TTL);
    }

    // ---- fixtures ----

    record Client(String id, String secret, String name) {}

    private Client registerClient(String... scopes) {
        String name = "node client " + UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = api.post("/v2/oauth-clients", """
                {"name": "%s", "scopes": ["%s"]}""".formatted(name, String.join("\", \"", scopes)))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        return new Client(
                created.get("client_id").asString(),
                created.get("client_secret").asString(),
                name);
    }

    private String accessToken(Client client) {
        return api.method("POST", "/oauth/token")
                .unvalidated()
                .header("Authorization", basic(client))
                .body("application/x-www-form-urlencoded", "grant_type=client_credentials")
                .send()
                .expect(200)
                .json()
                .get("access_token")
                .asString();
    }

    /** Revokes the token through node A (RFC 7009). */
    private void revoke(Client client, String token) {
        api.method("POST", "/oauth/revoke")
                .unvalidated()
                .header("Authorization", basic(client))
                .body("application/x-www-form-urlencoded", "token=" + token)
                .send()
                .expect(200);
    }

    private static String basic(Client client) {
        return "Basic "
                + java.util.Base64.getEncoder().encodeToString((client.id() + ":" + client.secret()).getBytes());
    }

    private String sign(Client client, RSAKey key) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(new JOSEObjectType("at+jwt"))
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(api.base())
                        .subject(client.id())
                        .audience("mercato-api")
                        .claim("client_id", client.id())
                        .claim("scope", "products:read")
                        .jwtID(UUID.randomUUID().toString())
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(600)))
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
