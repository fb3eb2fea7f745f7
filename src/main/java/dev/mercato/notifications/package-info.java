/**
 * Email, SMS and push notifications, queued with their job and delivered by background workers.
 */
@ApplicationModule(
        displayName = "Notifications",
        allowedDependencies = {
            "shared",
            "web",
            "security",
            "idempotency",
            "jobs",
            "users",
            "orders",
            "payments",
            "integrations",
            "ratelimit"
        })
package dev.mercato.notifications;

import org.springframework.modulith.ApplicationModule;
