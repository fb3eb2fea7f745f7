package dev.mercato.security.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.auth.oauth.TestTokens;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * OWASP API2, broken authentication: every documented operation that needs a credential answers 401 in the error
 * body, with a Bearer challenge, without one, and with one that is malformed, expired, signed by another key,
 * unsigned ({@code alg: none}) or a revoked API key.
 */
class AuthenticationIT extends ApiTestSupport {

    @Autowired
    ApplicationContext context;

    @Test
    void everyOperationRefusesMissingAndBadCredentials() {
        JsonNode client = api.post(
                        "/v2/oauth-clients", "{\"name\": \"matrix authentication\", \"scopes\": [\"admin\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        String clientId = client.get("client_id").asString();
        TestTokens tokens = new TestTokens(context, api.base());
        JsonNode revoked = api.post("/v2/api-keys", "{\"name\": \"matrix revoked\", \"scopes\": [\"admin\"]}")
                .asAdmin()
                .send()
                .expect(201)
                .json();
        String revokedKey = revoked.get("key").asString();
        api.delete("/v2/api-keys/" + revoked.get("id").asString())
                .asAdmin()
                .send()
                .expect(204);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("malformed", "not-a-token");
        bad.put("expired", tokens.expired(clientId, "admin"));
        bad.put("signed by another key", tokens.forged(clientId, "admin"));
        bad.put("unsigned", tokens.unsigned(clientId, "admin"));
        bad.put("a revoked API key", revokedKey);

        Operations operations = Operations.of(api);
        for (Operations.Operation operation : operations.secured()) {
            String path = operation.path(name -> "xyz_1");
            Response anonymous = operation.call(api, path, null).unvalidated().send();
            assertThat(anonymous.status())
                    .as(operation + " without a credential")
                    .isEqualTo(401);
            assertThat(anonymous.json().get("error").get("code").asString()).isEqualTo("UNAUTHORIZED");
            assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
            bad.forEach((what, token) -> {
                Response refused =
                        operation.call(api, path, null).as(token).unvalidated().send();
                assertThat(refused.status()).as(operation + " with " + what).isEqualTo(401);
                assertThat(refused.json().get("error").get("code").asString())
                        .as(operation + " with " + what)
                        .isEqualTo("INVALID_TOKEN");
            });
        }
    }
}
