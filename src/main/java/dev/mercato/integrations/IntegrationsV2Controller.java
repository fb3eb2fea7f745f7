package dev.mercato.integrations;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.web.ETags;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.databind.JsonNode;

@Tag(name = "Integrations")
@RestController
@RequestMapping(path = "/v2/integrations", produces = "application/json")
class IntegrationsV2Controller {

    private static final String VERSION = "v2";

    private static final String STATUSES_DESCRIPTION = "active; not_configured (a required setting is missing, or a "
            + "payment processor other than the one in use); error (configured, but its stored secrets cannot be "
            + "decrypted or its last test failed).";

    private final IntegrationService integrations;

    IntegrationsV2Controller(IntegrationService integrations) {
        this.integrations = integrations;
    }

    @SnakeCaseJson
    record LastTestV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant at,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            boolean ok,

            @Schema(description = "Why it failed; left out when it passed.")
            String error) {

        static LastTestV2 from(Integration.LastTest test) {
            return test == null ? null : new LastTestV2(test.at(), test.ok(), test.error());
        }
    }

    @SnakeCaseJson
    record IntegrationV2(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "smtp",
                    allowableValues = {"simulated", "stripe", "smtp", "sms", "push", "webhooks"})
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Email (SMTP)")
            String name,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"payments", "email", "sms", "push", "webhooks"})
            String category,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = STATUSES_DESCRIPTION,
                    allowableValues = {"active", "not_configured", "error"})
            String status,

            @Schema(description = "Why the status is not active.")
            String statusReason,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "The non-secret settings it runs with "
                            + "(stored through this API, else from server configuration); for each secret only whether it "
                            + "is set, as <name>_set.",
                    example = "{\"host\": \"smtp.example.com\", \"port\": 587, " + "\"password_set\": true}")
            Map<String, Object> settings,

            @Schema(description = "When its settings were last changed through this API; left out when never.")
            Instant updatedAt,

            @Schema(description = "The last test's outcome; left out when never tested (a settings change clears it).")
            LastTestV2 lastTest) {

        static IntegrationV2 from(Integration integration) {
            return new IntegrationV2(
                    integration.id(),
                    integration.name(),
                    integration.category(),
                    integration.status(),
                    integration.statusReason(),
                    integration.settings(),
                    integration.updatedAt(),
                    LastTestV2.from(integration.lastTest()));
        }
    }

    @SnakeCaseJson
    @Schema(description = "Settings of the smtp integration.")
    record SmtpSettingsV2(
            @Schema(example = "smtp.example.com") String host,

            @Schema(minimum = "1", maximum = "65535", example = "587")
            Integer port,

            String username,

            @Schema(description = "Write-only. Left out: kept; null: removed.", writeOnly = true)
            String password,

            @Schema(example = "Shop <no-reply@example.com>") String from,
            Boolean starttls) {}

    @SnakeCaseJson
    @Schema(description = "Settings of the sms integration (a Twilio-compatible API).")
    record SmsSettingsV2(
            @Schema(example = "https://api.twilio.com") String baseUrl,
            String accountSid,

            @Schema(description = "Write-only. Left out: kept; null: removed.", writeOnly = true)
            String authToken,

            @Schema(example = "+14155550123", description = "E.164")
            String from) {}

    @SnakeCaseJson
    @Schema(description = "Settings of the push integration.")
    record PushSettingsV2(
            @Schema(example = "https://push.example.com/send")
            String url,

            @Schema(description = "Write-only bearer token. Left out: kept; null: removed.", writeOnly = true)
            String token) {}

    @SnakeCaseJson
    @Schema(
            description = "smtp: the address a test email goes to; sms: the E.164 number a test SMS goes to; push: "
                    + "the user id a test push goes to. Payments take no body.")
    record TestRequestV2(
            @Schema(example = "ops@example.com") String to,
            @Schema(example = "usr_123abc") String userId) {}

    @SnakeCaseJson
    record TestResultV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            boolean ok,

            @Schema(description = "Why the test failed; left out when it passed.")
            String error) {}

    @Operation(
            summary = "List integrations",
            description = "All of them, in a fixed order: simulated, stripe, smtp, " + "sms, push, webhooks.")
    @RequiresScope(Scope.INTEGRATIONS_READ)
    @GetMapping
    List<IntegrationV2> list(@AuthenticationPrincipal Caller caller) {
        return integrations.list(caller).stream().map(IntegrationV2::from).toList();
    }

    @Operation(summary = "Get an integration")
    @ApiResponse(responseCode = "200", description = "The integration.")
    @ApiResponse(responseCode = "304", description = "Not modified.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such integration.")
    @RequiresScope(Scope.INTEGRATIONS_READ)
    @GetMapping("/{id}")
    ResponseEntity<IntegrationV2> get(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, WebRequest request) {
        Integration integration = integrations.get(caller, id);
        return ETags.ok(request, VERSION, integration.version(), () -> IntegrationV2.from(integration));
    }

    @Operation(
            summary = "Configure an integration",
            description = "Replaces the settings of smtp, sms or push, "
                    + "which take precedence over server configuration on every server within seconds. A setting left out "
                    + "(or null) falls back to server configuration; a secret (password, auth_token, token) left out keeps "
                    + "its stored value, and null removes it. Secrets are encrypted at rest and never returned. Clears the "
                    + "last test.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true,
            content =
                    @Content(
                            schema =
                                    @Schema(oneOf = {SmtpSettingsV2.class, SmsSettingsV2.class, PushSettingsV2.class})))
    @ApiResponse(responseCode = "200", description = "The integration with its new settings.")
    @ApiResponse(responseCode = "404", description = "No such integration.")
    @ApiResponse(
            responseCode = "409",
            description = "NOT_CONFIGURABLE: payments and webhooks are set up by server "
                    + "configuration only. SECRETS_UNREADABLE: the stored secrets cannot be decrypted with this server's "
                    + "key; send every secret field again.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.INTEGRATIONS_WRITE)
    @PutMapping(path = "/{id}", consumes = "application/json")
    ResponseEntity<IntegrationV2> update(
            @PathVariable String id,
            @RequestBody JsonNode settings,
            @RequestHeader(name = "If-Match", required = false) String ifMatch,
            @AuthenticationPrincipal Caller caller) {
        Integration updated = integrations.update(
                id, plain(settings), caller.credentialId(), ETags.expectedVersion(ifMatch, VERSION));
        return ResponseEntity.ok().eTag(ETags.of(VERSION, updated.version())).body(IntegrationV2.from(updated));
    }

    @Operation(
            summary = "Test an integration",
            description = "Sends a real test through it with the settings it "
                    + "runs with now: an email (smtp, {\"to\": email}), an SMS (sms, {\"to\": E.164 number}), a push (push, "
                    + "{\"user_id\": ...}); stripe retrieves the account balance; simulated always passes. The outcome is "
                    + "recorded as last_test; a failed test puts a configured integration in status error.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = TestRequestV2.class)))
    @ApiResponse(responseCode = "200", description = "The test ran; ok says whether it passed.")
    @ApiResponse(responseCode = "404", description = "No such integration.")
    @ApiResponse(
            responseCode = "409",
            description =
                    "NOT_TESTABLE: webhooks (and stripe where no tester is " + "available) cannot be tested here.")
    @RequiresScope(Scope.INTEGRATIONS_WRITE)
    @PostMapping(path = "/{id}/test", consumes = "application/json")
    TestResultV2 test(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestBody(required = false) JsonNode body) {
        IntegrationTester.Outcome outcome = integrations.test(caller, id, plain(body));
        return new TestResultV2(outcome.ok(), outcome.error());
    }

    /** The body as plain values for the service, which checks each integration's own fields. */
    private static SettingsBody plain(JsonNode body) {
        if (body == null || body.isNull()) {
            return SettingsBody.ABSENT;
        }
        if (!body.isObject()) {
            return SettingsBody.NOT_AN_OBJECT;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        body.properties().forEach(field -> fields.put(field.getKey(), plainValue(field.getValue())));
        return SettingsBody.of(fields);
    }

    private static Object plainValue(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            node.properties().forEach(field -> fields.put(field.getKey(), plainValue(field.getValue())));
            return fields;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(plainValue(item)));
            return items;
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNumber() ? node.numberValue() : null;
    }
}
