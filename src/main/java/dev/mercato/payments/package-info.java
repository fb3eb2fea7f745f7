/**
 * Payments and refunds through a payment processor (simulated or Stripe), and settling unknown outcomes.
 */
@ApplicationModule(
        displayName = "Payments",
        allowedDependencies = {"shared", "web", "security", "idempotency", "orders", "integrations", "jobs"})
package dev.mercato.payments;

import org.springframework.modulith.ApplicationModule;
