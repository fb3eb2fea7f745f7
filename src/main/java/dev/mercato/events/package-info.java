/**
 * Records domain events in the transaction that caused them and publishes them to in-process listeners.
 */
@ApplicationModule(
        displayName = "Domain events",
        allowedDependencies = {"shared"})
package dev.mercato.events;

import org.springframework.modulith.ApplicationModule;
