/**
 * Idempotency-Key on every POST: replays, conflicts, and creations committed together with their key.
 */
@ApplicationModule(
        displayName = "Idempotency keys",
        allowedDependencies = {"shared", "web", "security"})
package dev.mercato.idempotency;

import org.springframework.modulith.ApplicationModule;
