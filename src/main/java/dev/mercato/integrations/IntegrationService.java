package dev.mercato.integrations;

import dev.mercato.integrations.Catalogue.Definition;
import dev.mercato.integrations.Catalogue.Setting;
import dev.mercato.integrations.Integration.LastTest;
import dev.mercato.integrations.SettingsResolver.Resolved;
import dev.mercato.security.Caller;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.StaleVersionException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The integrations catalogue: their state, changing their settings, and testing them. The integrations are the
 * shop's: every caller allowed to read them (the API and the dashboard check the scope) sees them all, never a
 * secret.
 */
@Service
public class IntegrationService {

    private static final Logger log = LoggerFactory.getLogger(IntegrationService.class);
    private static final int MAX_ERROR = 1000;

    private final IntegrationRepository repository;
    private final SettingsResolver resolver;
    private final IntegrationSettings settings;
    private final List<IntegrationTester> testers;
    private final Clock clock;

    IntegrationService(
            IntegrationRepository repository,
            SettingsResolver resolver,
            IntegrationSettings settings,
            List<IntegrationTester> testers,
            Clock clock) {
        this.repository = repository;
        this.resolver = resolver;
        this.settings = settings;
        this.testers = testers;
        this.clock = clock;
    }

    /** A key that cannot open what is stored is found at start, not at the first email that fails to go out. */
    @EventListener(ApplicationReadyEvent.class)
    void checkStoredSecrets() {
        for (StoredIntegration row : repository.findAll()) {
            try {
                resolver.secrets(row);
            } catch (UnreadableSecretsException e) {
                log.error("{} Until then the {} integration is in error and does not send.", e.getMessage(), row.id());
            }
        }
    }

    /** All of them, in the catalogue's order. */
    public List<Integration> list(Caller caller) {
        Map<String, StoredIntegration> rows =
                repository.findAll().stream().collect(Collectors.toMap(StoredIntegration::id, Function.identity()));
        return Catalogue.ALL.stream()
                .map(definition -> view(definition, Optional.ofNullable(rows.get(definition.id()))))
                .toList();
    }

    public Integration get(Caller caller, String id) {
        return current(id);
    }

    private Integration current(String id) {
        return view(definition(id), repository.find(id));
    }

    /**
     * Replaces the settings stored for an integration. A field left out falls back to server configuration; a
     * secret left out keeps its stored value, and a secret sent as null is removed.
     */
    Integration update(String id, SettingsBody body, String credentialId, Long expectedVersion) {
        Definition definition = definition(id);
        if (!definition.configurable()) {
            throw new ConflictException(
                    "NOT_CONFIGURABLE", "The " + id + " integration is set up by server " + "configuration only.", id);
        }
        SettingsValidator.checkFields(body, definition);
        Optional<StoredIntegration> row = repository.find(id);
        long version = row.map(StoredIntegration::version).orElse(0L);
        if (expectedVersion != null && expectedVersion != version) {
            throw new StaleVersionException(current(id).version());
        }
        Map<String, Object> stored = new LinkedHashMap<>();
        for (Setting setting : definition.settings()) {
            Object node = body.get(setting.name());
            if (!setting.secret() && node != null) {
                stored.put(setting.name(), SettingsValidator.value(setting, node));
            }
        }
        checkDestination(definition, stored);
        checkSecretsFollowTheDestination(definition, body, row);
        Map<String, String> secrets = new HashMap<>(currentSecrets(definition, row, body));
        for (Setting setting : definition.settings()) {
            Object node = body.get(setting.name());
            if (setting.secret() && body.has(setting.name()) && node == null) {
                secrets.remove(setting.name());
            } else if (setting.secret() && node != null) {
                secrets.put(setting.name(), (String) SettingsValidator.value(setting, node));
            }
        }
        long current = row.map(StoredIntegration::version).orElse(0L);
        if ((expectedVersion != null && expectedVersion != current)
                || !repository.saveSettings(
                        id, stored, resolver.seal(id, secrets), now(), credentialId, expectedVersion)) {
            throw new StaleVersionException(current(id).version());
        }
        settings.forget(id);
        return current(id);
    }

    /**
     * Sends a real test through the integration to {@code target} (an email address for smtp, an E.164 number for
     * sms, a user id for push; ignored by the others) and records its outcome.
     */
    public IntegrationTester.Outcome test(Caller caller, String id, String target) {
        return test(caller, id, TestTargets.body(id, target));
    }

    /** Sends a real test through the integration and records its outcome. */
    IntegrationTester.Outcome test(Caller caller, String id, SettingsBody body) {
        Definition definition = definition(id);
        String target = TestTargets.target(definition, body);
        IntegrationTester.Outcome outcome;
        if (Catalogue.SIMULATED.equals(id)) {
            outcome = IntegrationTester.Outcome.passed(); // no network: nothing that could fail
        } else {
            IntegrationTester tester = testers.stream()
                    .filter(candidate -> candidate.integrationIds().contains(id))
                    .findFirst()
                    .orElseThrow(() -> new ConflictException(
                            "NOT_TESTABLE", "The " + id + " integration cannot be tested from the API.", id));
            outcome = run(tester, id, target);
        }
        repository.recordTest(id, now(), outcome.ok(), truncate(outcome.error()));
        settings.forget(id);
        log.info("The {} integration was tested by {}: {}", id, caller.name(), outcome.ok() ? "passed" : "failed");
        return outcome;
    }

    private IntegrationTester.Outcome run(IntegrationTester tester, String id, String target) {
        try {
            return tester.test(id, target);
        } catch (UnreadableSecretsException e) {
            return IntegrationTester.Outcome.failed(e.getMessage());
        }
    }

    /**
     * A change of where an integration connects (its host, port or URL) must come with its secrets: else a caller
     * who may configure integrations but not read their secrets could point one at a server of theirs and have the
     * stored password or token sent there. A destination left out while one is stored counts as a change (it falls
     * back to server configuration).
     */
    private void checkSecretsFollowTheDestination(
            Definition definition, SettingsBody body, Optional<StoredIntegration> row) {
        Map<String, Object> before = current(definition.id()).settings();
        Map<String, Object> stored = row.map(StoredIntegration::settings).orElse(Map.of());
        Optional<Setting> moved = definition.settings().stream()
                .filter(Catalogue::isDestination)
                .filter(setting -> body.get(setting.name()) != null
                        ? !String.valueOf(SettingsValidator.value(setting, body.get(setting.name())))
                                .equals(String.valueOf(before.get(setting.name())))
                        : stored.containsKey(setting.name()))
                .findFirst();
        if (moved.isEmpty()) {
            return;
        }
        definition.settings().stream()
                .filter(Setting::secret)
                .filter(secret -> !body.has(secret.name()))
                .findFirst()
                .ifPresent(secret -> {
                    throw InvalidRequestException.parameter(
                            secret.name(),
                            "The '" + secret.name() + "' must be sent again when the '"
                                    + moved.get().name()
                                    + "' changes: a secret is never sent to a new destination unless it is given "
                                    + "with it. Send its value, or null to remove it.",
                            secret.name() + " (string)");
                });
    }

    /**
     * A destination aimed through the API (a host, port or URL other than server configuration's) is held to the
     * {@link TargetGuard} policy as a whole: a port set alone makes the configured host checked too, as it will be
     * at every connection.
     */
    private void checkDestination(Definition definition, Map<String, Object> stored) {
        Map<String, Object> configured = resolver.configured(definition.id());
        if (!SettingsResolver.aimedThroughApi(definition, stored, configured)) {
            return;
        }
        for (Setting setting : definition.settings()) {
            Object value = stored.getOrDefault(setting.name(), configured.get(setting.name()));
            if (value instanceof String text && !text.isBlank()) {
                switch (setting.kind()) {
                    case HOST -> settings.guard().checkHost(setting.name(), text);
                    case URL -> settings.guard().checkUrl(setting.name(), text);
                    default -> {}
                }
            }
        }
    }

    private Map<String, String> currentSecrets(
            Definition definition, Optional<StoredIntegration> row, SettingsBody body) {
        try {
            return row.map(resolver::secrets).orElse(Map.of());
        } catch (UnreadableSecretsException e) {
            boolean replacesAll =
                    definition.settings().stream().filter(Setting::secret).allMatch(secret -> body.has(secret.name()));
            if (!replacesAll) {
                throw new ConflictException(
                        "SECRETS_UNREADABLE",
                        e.getMessage() + " Send every secret field (a value or null) to replace them.",
                        definition.id());
            }
            return Map.of();
        }
    }

    private Integration view(Definition definition, Optional<StoredIntegration> row) {
        LastTest lastTest = row.filter(stored -> stored.lastTestAt() != null)
                .map(stored -> new LastTest(stored.lastTestAt(), stored.lastTestOk(), stored.lastTestError()))
                .orElse(null);
        Instant updatedAt = row.map(StoredIntegration::updatedAt).orElse(null);
        long version = row.map(StoredIntegration::version).orElse(0L);
        Integration shown = definition.configurable()
                ? provider(definition, row, updatedAt, lastTest)
                : status(
                        definition,
                        resolver.notConfigured(definition.id()).orElse(null),
                        resolver.configured(definition.id()),
                        updatedAt,
                        lastTest);
        return shown.withVersion(version);
    }

    private Integration provider(
            Definition definition, Optional<StoredIntegration> row, Instant updatedAt, LastTest lastTest) {
        Resolved resolved = resolver.resolve(definition, row);
        Map<String, Object> shown = new LinkedHashMap<>();
        for (Setting setting : definition.settings()) {
            if (setting.secret()) {
                shown.put(setting.name() + "_set", resolved.values().containsKey(setting.name()));
            } else if (resolved.values().containsKey(setting.name())) {
                shown.put(setting.name(), resolved.values().get(setting.name()));
            }
        }
        if (resolved.unreadable().isPresent()) {
            return new Integration(
                    definition.id(),
                    definition.name(),
                    definition.category(),
                    Integration.ERROR,
                    resolved.unreadable().get().getMessage(),
                    shown,
                    updatedAt,
                    lastTest,
                    0);
        }
        String reason = IntegrationSettings.configured(definition.id(), resolved)
                ? null
                : "Not every required setting is set: " + required(definition.id()) + ".";
        return status(definition, reason, shown, updatedAt, lastTest);
    }

    /** Active, unless not configured ({@code notConfigured} says why) or configured but its last test failed. */
    private static Integration status(
            Definition definition,
            String notConfigured,
            Map<String, Object> shown,
            Instant updatedAt,
            LastTest lastTest) {
        String status = Integration.ACTIVE;
        String reason = null;
        if (notConfigured != null) {
            status = Integration.NOT_CONFIGURED;
            reason = notConfigured;
        } else if (lastTest != null && !lastTest.ok()) {
            status = Integration.ERROR;
            reason = "The last test failed: " + lastTest.error();
        }
        return new Integration(
                definition.id(),
                definition.name(),
                definition.category(),
                status,
                reason,
                shown,
                updatedAt,
                lastTest,
                0);
    }

    private static String required(String id) {
        return switch (id) {
            case Catalogue.SMTP -> "host";
            case Catalogue.SMS -> "base_url, account_sid, auth_token and from";
            default -> "url";
        };
    }

    private static Definition definition(String id) {
        return Catalogue.find(id).orElseThrow(() -> new NotFoundException("integration", id));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR) + "...";
    }
}
