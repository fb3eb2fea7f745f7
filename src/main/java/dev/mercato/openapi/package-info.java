/**
 * The OpenAPI 3.1 documents of v1 and v2, derived from the controllers, and the browsable reference.
 */
@ApplicationModule(
        displayName = "OpenAPI documents",
        allowedDependencies = {"shared", "web", "security"})
package dev.mercato.openapi;

import org.springframework.modulith.ApplicationModule;
