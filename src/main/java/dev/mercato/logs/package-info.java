/**
 * The access log: one entry per API request, written in batches off the request path, and its API.
 */
@ApplicationModule(
        displayName = "Access log",
        allowedDependencies = {"shared", "web", "security"})
package dev.mercato.logs;

import org.springframework.modulith.ApplicationModule;
