/**
 * Third-party integrations (payments, email, SMS, push, webhooks): their state, settings and tests, with
 * secrets encrypted at rest.
 */
@ApplicationModule(
        displayName = "Integrations",
        allowedDependencies = {"shared", "web", "security", "crypto"})
package dev.mercato.integrations;

import org.springframework.modulith.ApplicationModule;
