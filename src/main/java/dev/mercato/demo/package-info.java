/**
 * The small demo catalog and users loaded on first start when asked for.
 */
@ApplicationModule(
        displayName = "Demo data",
        allowedDependencies = {"security", "users", "products"})
package dev.mercato.demo;

import org.springframework.modulith.ApplicationModule;
