/**
 * Installs the native cryptography provider (AWS-LC) where it loads, and seals the secrets kept in the database
 * ({@link dev.mercato.crypto.SecretBox}) under a key kept outside it.
 */
@ApplicationModule(
        displayName = "Cryptography",
        allowedDependencies = {"database"})
package dev.mercato.crypto;

import org.springframework.modulith.ApplicationModule;
