/**
 * The product catalog, full-text search, and stock reservations.
 */
@ApplicationModule(
        displayName = "Products",
        allowedDependencies = {"shared", "web", "security", "idempotency"})
package dev.mercato.products;

import org.springframework.modulith.ApplicationModule;
