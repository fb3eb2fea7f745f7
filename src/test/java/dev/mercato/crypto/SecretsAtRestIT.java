package dev.mercato.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What a copy of the database alone reveals: no signing private key and no webhook secret in clear (they are
 * sealed under the key kept outside it), while tokens are still signed and deliveries still signed with the
 * secret; values stored in clear before are sealed at the next start.
 */
class SecretsAtRestIT extends ApiTestSupport {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    List<SealedValues> sealed;

    @Autowired
    SecretBox box;

    @Test
    void signingPrivateKeysAreSealed() {
        List<byte[]> keys = jdbc.sql("select private_key from oauth_signing_keys")
                .query(byte[].class)
                .list();

        assertThat(keys)
                .isNotEmpty()
                .allSatisfy(key -> assertThat(key[0])
                        .as("sealed (format 2), not PKCS#8 DER (a SEQUENCE, 0x30)")
                        .isEqualTo((byte) 2));
        // Tokens are still signed with them, and verified.
        JsonNode client = api.post("/v2/oauth-clients", "{\"name\": \"sealed keys\", \"scopes\": [\"products:read\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        String token = api.post(
                        "/oauth/token",
                        "{\"grant_type\": \"client_credentials\", \"client_id\": \"%s\", \"client_secret\": \"%s\"}"
                                .formatted(
                                        client.get("client_id").asString(),
                                        client.get("client_secret").asString()))
                .unvalidated()
                .send()
                .expect(200)
                .json()
                .get("access_token")
                .asString();
        api.get("/v2/products?limit=1").as(token).send().expect(200);
    }

    @Test
    void webhookSecretsAreSealedAndAClearOneIsSealedAtTheNextStart() {
        {
            JsonNode webhook = api.post("/v2/webhooks", """
                    {"url": "%s/sealed", "events": ["order.created"]}""".formatted(WebhookReceiver.SERVER.baseUrl()))
                    .asAdmin()
                    .send()
                    .expect(201)
                    .json();
            String id = webhook.get("id").asString();
            String secret = webhook.get("secret").asString();

            assertThat(storedSecret(id)).startsWith("sealed:").doesNotContain(secret);
            String opened = new String(
                    box.open(
                            "webhook:" + id,
                            Base64.getDecoder().decode(storedSecret(id).substring(7))),
                    StandardCharsets.UTF_8);
            assertThat(opened).isEqualTo(secret);

            // As stored before secrets were sealed: sealed at the next start, with the same secret.
            jdbc.sql("update webhook_subscriptions set secret = :clear where id = :id")
                    .param("clear", secret)
                    .param("id", id)
                    .update();
            sealed.forEach(SealedValues::sealAgain);
            assertThat(storedSecret(id)).startsWith("sealed:").doesNotContain(secret);
            assertThat(new String(
                            box.open(
                                    "webhook:" + id,
                                    Base64.getDecoder().decode(storedSecret(id).substring(7))),
                            StandardCharsets.UTF_8))
                    .isEqualTo(secret);
            api.delete("/v2/webhooks/" + id).asAdmin().send().expect(204);
        }
    }

    private String storedSecret(String id) {
        return jdbc.sql("select secret from webhook_subscriptions where id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }
}
