/**
 * Webhook subscriptions and signed, retried deliveries of domain events.
 */
@ApplicationModule(
        displayName = "Webhooks",
        allowedDependencies = {
            "shared",
            "web",
            "security",
            "crypto",
            "events",
            "jobs",
            "orders",
            "payments",
            "reports",
            "integrations"
        })
package dev.mercato.webhooks;

import org.springframework.modulith.ApplicationModule;
