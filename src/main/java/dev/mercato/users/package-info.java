/**
 * Users and their profiles, passwords and status.
 */
@ApplicationModule(
        displayName = "Users",
        allowedDependencies = {"shared", "web", "security", "idempotency"})
package dev.mercato.users;

import org.springframework.modulith.ApplicationModule;
