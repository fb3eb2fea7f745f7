/**
 * Orders: placing them with stock reserved atomically, and their lifecycle.
 */
@ApplicationModule(
        displayName = "Orders",
        allowedDependencies = {"shared", "web", "security", "idempotency", "users", "products"})
package dev.mercato.orders;

import org.springframework.modulith.ApplicationModule;
