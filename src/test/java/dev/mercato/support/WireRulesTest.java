package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules every end-to-end response is held to besides its OpenAPI document. */
class WireRulesTest {

    @Test
    void aBodyWithoutNullsPasses() {
        assertThat(WireRules.violations("""
                [{"id": "usr_1", "profile": {"first_name": "Alice"}, "tags": []}]""")).isEmpty();
    }

    @Test
    void aNullAnywhereFailsNamingWhereItIs() {
        assertThat(WireRules.violations("""
                {"id": "int_1", "updated_at": null}""")).singleElement().asString().contains("/updated_at");
        assertThat(WireRules.violations("""
                [{"rows": [{"a": 1}, {"a": null}]}]""")).singleElement().asString().contains("/0/rows/1/a");
    }

    @Test
    void anErrorAboutAFieldNamesItWithItsType() {
        assertThat(WireRules.violations(error("INVALID_PARAMETER", "items[1].product_id (string)")))
                .isEmpty();
        assertThat(WireRules.violations(error("UNKNOWN_FIELD", "colour (string)")))
                .isEmpty();
        assertThat(WireRules.violations(error("INVALID_PARAMETER", ""))).isEmpty();
        assertThat(WireRules.violations(error("INVALID_PARAMETER", "Idempotency-Key")))
                .as("a header")
                .isEmpty();
        assertThat(WireRules.violations(error("AMOUNT_MISMATCH", "amount"))).hasSize(1);
        assertThat(WireRules.violations(error("INVALID_PARAMETER", "url"))).hasSize(1);
        assertThat(WireRules.violations(error("UNKNOWN_FIELD", "colour (colour)")))
                .hasSize(1);
    }

    @Test
    void otherErrorsNameWhatTheyConcern() {
        assertThat(WireRules.violations(error("NOT_FOUND", "usr_123abc"))).isEmpty();
        assertThat(WireRules.violations(error("PAYMENT_FAILED", "insufficient_funds")))
                .isEmpty();
    }

    private static String error(String code, String details) {
        return "{\"error\": {\"code\": \"" + code + "\", \"message\": \"m\", \"details\": \"" + details + "\"}}";
    }
}
