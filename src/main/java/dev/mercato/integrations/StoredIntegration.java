package dev.mercato.integrations;

import java.time.Instant;
import java.util.Map;

/** A row of {@code integrations}: what was configured over the API, secrets still sealed, and the last test. */
record StoredIntegration(
        String id,
        Map<String, Object> settings,
        byte[] sealedSecrets,
        Instant updatedAt,
        String updatedBy,
        Instant lastTestAt,
        Boolean lastTestOk,
        String lastTestError,
        long version) {}
