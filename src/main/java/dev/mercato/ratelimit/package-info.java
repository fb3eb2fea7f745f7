/**
 * Rate limits per credential and per client address, with the IETF RateLimit headers.
 */
@ApplicationModule(
        displayName = "Rate limits",
        allowedDependencies = {"web", "security"})
package dev.mercato.ratelimit;

import org.springframework.modulith.ApplicationModule;
