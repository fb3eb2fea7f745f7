package dev.mercato.security.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.security.Scope;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * OWASP API5, broken function level authorization: every documented operation refuses a credential that holds
 * every scope but the one it requires, with 403 {@code INSUFFICIENT_SCOPE} naming that scope, before it reads the
 * request (any path parameter, an empty body).
 */
class FunctionLevelAuthorizationIT extends ApiTestSupport {

    @Test
    void everyOperationRefusesEveryCredentialLackingItsScope() {
        Operations operations = Operations.of(api);
        assertThat(operations.secured())
                .as("documented operations with a scope")
                .hasSizeGreaterThan(60);
        Map<String, String> keyWithout = new HashMap<>();

        for (Operations.Operation operation : operations.secured()) {
            for (String scope : operation.scopes()) {
                String key = keyWithout.computeIfAbsent(scope, this::keyWithEveryScopeBut);
                Response refused = operation
                        .call(api, operation.path(name -> "xyz_1"), null)
                        .as(key)
                        .unvalidated()
                        .send();

                assertThat(refused.status()).as(operation + " without " + scope).isEqualTo(403);
                assertThat(refused.json().get("error").get("code").asString())
                        .as(operation + " without " + scope)
                        .isEqualTo("INSUFFICIENT_SCOPE");
                assertThat(refused.json().get("error").get("details").asString())
                        .as(operation.toString())
                        .isEqualTo(scope);
            }
        }
    }

    private String keyWithEveryScopeBut(String scope) {
        Set<String> others = Arrays.stream(Scope.values())
                .map(Scope::value)
                .filter(value -> !value.equals(scope) && !value.equals(Scope.ADMIN.value()))
                .collect(Collectors.toSet());
        return anApiKey(null, others.toArray(String[]::new));
    }
}
