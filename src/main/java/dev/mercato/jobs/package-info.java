/**
 * The durable background-work engine (db-scheduler over PostgreSQL) other modules contribute tasks to.
 */
@ApplicationModule(
        displayName = "Background jobs",
        allowedDependencies = {})
package dev.mercato.jobs;

import org.springframework.modulith.ApplicationModule;
