/**
 * Reports on sales, products, users, stock and API usage: asked for over the API, computed by SQL in PostgreSQL on
 * the job engine from the reporting views the other features publish, kept for a retention period.
 */
@ApplicationModule(
        displayName = "Reports",
        allowedDependencies = {"shared", "web", "security", "idempotency", "jobs"})
package dev.mercato.reports;

import org.springframework.modulith.ApplicationModule;
