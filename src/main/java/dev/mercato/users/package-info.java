/**
 * Users and their profiles, passwords and status.
 */
@ApplicationModule(
        displayName = "Users",
        allowedDependencies = {"shared", "web", "security", "idempotency", "ratelimit"})
package dev.mercato.users;

import org.springframework.modulith.ApplicationModule;
