/**
 * API keys, the OAuth 2.0 authorization server, and the authentication of every API request.
 */
@ApplicationModule(
        displayName = "Authentication",
        allowedDependencies = {"shared", "web", "security", "users", "crypto"})
package dev.mercato.auth;

import org.springframework.modulith.ApplicationModule;
