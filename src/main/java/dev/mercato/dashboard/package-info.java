/**
 * The developer dashboard at {@code /dashboard}: server-rendered pages behind a form sign-in of its own accounts (the
 * admin, created on the first start, and developers), with sessions, CSRF protection and lockout after repeated
 * failures. The API stays stateless; this is a separate security chain.
 */
@ApplicationModule(
        displayName = "Dashboard",
        allowedDependencies = {
            "shared",
            "web",
            "security",
            "users",
            "auth",
            "auth::clients",
            "notifications",
            "webhooks",
            "integrations",
            "reports",
            "logs"
        })
package dev.mercato.dashboard;

import org.springframework.modulith.ApplicationModule;
