package dev.mercato.crypto;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ClearValues;
import dev.mercato.support.WebhookReceiver;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What a copy of the database alone reveals of the OAuth signing keys and the webhook secrets: nothing, in any
 * column of any table (they are sealed under the key kept outside it, each for its own row), while tokens are still
 * signed and deliveries still signed with the secret. Values stored in clear before are found by the same search,
 * and sealed at the next start. (The authorization server's tokens: {@code OAuthAuthorizationCodeIT}; integration
 * secrets: {@code IntegrationsIT}; a key's rotation: {@code SecretsRotationIT}.)
 */
class SecretsAtRestIT extends ApiTestSupport {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    List<SealedValues> sealed;

    @Autowired
    SecretBox box;

    private record StoredKey(String kid, byte[] publicKey, byte[] privateKey) {}

    @Test
    void signingPrivateKeysAreNowhereInClearAndStillSignTokens() throws Exception {
        List<StoredKey> keys = jdbc.sql("select kid, public_key, private_key from oauth_signing_keys")
                .query((rs, row) ->
                        new StoredKey(rs.getString("kid"), rs.getBytes("public_key"), rs.getBytes("private_key")))
                .list();

        assertThat(keys).isNotEmpty();
        for (StoredKey key : keys) {
            assertThat(key.privateKey()[0])
                    .as("sealed (format 2), not PKCS#8 DER (a SEQUENCE, 0x30)")
                    .isEqualTo((byte) 2);
            byte[] der = box.open(signingKeyContext(key.kid()), key.privateKey());
            RSAPrivateCrtKey privateKey =
                    (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            RSAPublicKey publicKey = (RSAPublicKey)
                    KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.publicKey()));
            assertThat(privateKey.getModulus()).as("the published key's own").isEqualTo(publicKey.getModulus());

            assertThat(ClearValues.whereStored(jdbc, der)).as("the PKCS#8 key").isEmpty();
            assertThat(ClearValues.whereStored(jdbc, unsigned(privateKey.getPrivateExponent())))
                    .as("the private exponent (a JWK's d)")
                    .isEmpty();
            assertThat(ClearValues.whereStored(jdbc, unsigned(privateKey.getPrimeP())))
                    .as("a prime factor (a JWK's p)")
                    .isEmpty();
        }

        // Tokens are still signed with them, and verified.
        String token = ClientTokens.issue(api, "sealed keys");
        api.get("/v2/products?limit=1").as(token).send().expect(200);
    }

    @Test
    void aSigningKeyStoredInClearIsSealedAtTheNextStartForItsOwnRowOnly() throws Exception {
        // A retired key (it verifies for another hour, never signs again) as stored before keys were sealed.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] der = pair.getPrivate().getEncoded();
        String kid = "jwk_clear_" + UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.sql("""
                insert into oauth_signing_keys
                    (kid, algorithm, public_key, private_key, created_at, activates_at, retires_at, expires_at)
                values (:kid, 'RS256', :publicKey, :privateKey, :createdAt, :createdAt, :retiresAt, :expiresAt)
                """)
                .param("kid", kid)
                .param("publicKey", pair.getPublic().getEncoded())
                .param("privateKey", der)
                .param("createdAt", Timestamp.from(Instant.parse("2000-01-01T00:00:00Z")))
                .param("retiresAt", Timestamp.from(now.minus(Duration.ofMinutes(1))))
                .param("expiresAt", Timestamp.from(now.plus(Duration.ofHours(1))))
                .update();
        try {
            assertThat(ClearValues.whereStored(jdbc, der))
                    .as("the search finds a key kept in clear")
                    .containsExactly("oauth_signing_keys.private_key");

            sealed.forEach(SealedValues::sealAgain);

            byte[] stored = jdbc.sql("select private_key from oauth_signing_keys where kid = :kid")
                    .param("kid", kid)
                    .query(byte[].class)
                    .single();
            assertThat(ClearValues.whereStored(jdbc, der)).isEmpty();
            assertThat(box.sealedWithCurrentKey(stored)).isTrue();
            assertThat(box.open(signingKeyContext(kid), stored)).isEqualTo(der);
            String anotherKid = jdbc.sql("select kid from oauth_signing_keys where kid <> :kid limit 1")
                    .param("kid", kid)
                    .query(String.class)
                    .single();
            assertThatThrownBy(() -> box.open(signingKeyContext(anotherKid), stored))
                    .as("moved to another key's row")
                    .isInstanceOf(SecretBox.UnreadableException.class);
        } finally {
            jdbc.sql("delete from oauth_signing_keys where kid = :kid")
                    .param("kid", kid)
                    .update();
        }
    }

    @Test
    void webhookSecretsAreNowhereInClearAndStillSignDeliveries() throws Exception {
        String path = TestWebhooks.receiverPath();
        JsonNode webhook = TestWebhooks.subscribe(api, path);
        String id = webhook.get("id").asString();
        String secret = webhook.get("secret").asString();

        assertThat(storedSecret(id)).startsWith("sealed:");
        assertThat(ClearValues.whereStored(jdbc, secret)).isEmpty();
        assertThat(WebhookReceiver.signedWith(TestWebhooks.deliverTest(api, id, path), secret))
                .isTrue();

        // As stored before secrets were sealed: found by the search, then sealed at the next start, the same secret.
        jdbc.sql("update webhook_subscriptions set secret = :clear where id = :id")
                .param("clear", secret)
                .param("id", id)
                .update();
        assertThat(ClearValues.whereStored(jdbc, secret)).containsExactly("webhook_subscriptions.secret");
        sealed.forEach(SealedValues::sealAgain);
        assertThat(storedSecret(id)).startsWith("sealed:");
        assertThat(ClearValues.whereStored(jdbc, secret)).isEmpty();
        assertThat(WebhookReceiver.signedWith(TestWebhooks.deliverTest(api, id, path), secret))
                .isTrue();

        api.delete("/v2/webhooks/" + id).asAdmin().send().expect(204);
    }

    @Test
    void aWebhookSecretCopiedToAnotherSubscriptionDoesNotOpen() throws Exception {
        String ownPath = TestWebhooks.receiverPath();
        JsonNode own = TestWebhooks.subscribe(api, ownPath);
        String otherPath = TestWebhooks.receiverPath();
        String other = TestWebhooks.subscribe(api, otherPath).get("id").asString();

        jdbc.sql("update webhook_subscriptions set secret = :copied where id = :other")
                .param("copied", storedSecret(own.get("id").asString()))
                .param("other", other)
                .update();

        // Still listed and read (the secret is opened only to sign), never a server failure.
        api.get("/v2/webhooks/" + other).asAdmin().send().expect(200);
        api.get("/v2/webhooks").asAdmin().send().expect(200);
        JsonNode failed = TestWebhooks.awaitDelivery(api, other, TestWebhooks.sendTest(api, other));
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("last_error").asString()).contains("signing secret cannot be opened");
        assertThat(WebhookReceiver.SERVER.findAll(postRequestedFor(urlEqualTo(otherPath))))
                .as("nothing sent unsigned or signed with another's secret")
                .isEmpty();
        // The subscription it was copied from still signs with its own.
        assertThat(WebhookReceiver.signedWith(
                        TestWebhooks.deliverTest(api, own.get("id").asString(), ownPath),
                        own.get("secret").asString()))
                .isTrue();

        api.delete("/v2/webhooks/" + other).asAdmin().send().expect(204);
        api.delete("/v2/webhooks/" + own.get("id").asString()).asAdmin().send().expect(204);
    }

    // ---- helpers ----

    /** As docs/security.md describes the context of a signing key. */
    private static String signingKeyContext(String kid) {
        return "oauth-signing-key:" + kid;
    }

    /** A big integer's magnitude as a JWK writes it: big-endian, no sign byte. */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private String storedSecret(String id) {
        return jdbc.sql("select secret from webhook_subscriptions where id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }
}
