/**
 * The embedded PostgreSQL that runs when no external database is configured, and the local data directory.
 */
@ApplicationModule(
        displayName = "Database",
        allowedDependencies = {})
package dev.mercato.database;

import org.springframework.modulith.ApplicationModule;
